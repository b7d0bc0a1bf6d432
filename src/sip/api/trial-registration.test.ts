import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryPeer } from "../test-support/memory-peer.js";
import { testPlatform } from "../test-support/test-platform.js";
import { Phone } from "./phone.js";
import type { TrialOutcome } from "./trial-registration.js";

const account = { id: "new", sipUri: "sip:1001@pbx.test", password: "pw", servers: ["wss://pbx.test/ws"] };

/** A phone with no lines (the first run) and its in-memory registrar. */
function firstRun() {
  const peer = new MemoryPeer();
  const phone = new Phone({ platform: testPlatform(peer), preopenMicrophoneOnRing: false });
  return { peer, phone };
}

/** Runs a trial with the fake clock moving until it is settled. */
async function trial(phone: Phone, patch: Record<string, unknown> = {}, timeoutMs?: number): Promise<TrialOutcome> {
  let outcome: TrialOutcome | undefined;
  void phone.tryRegistration({ ...account, ...patch }, timeoutMs).then((o) => (outcome = o));
  for (let i = 0; i < 60 && !outcome; i++) await vi.advanceTimersByTimeAsync(500);
  return outcome!;
}

describe("Phone.tryRegistration (the set-up form's Test)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("a good account: registered, then unregistered at once; the phone still has no line", async () => {
    const { peer, phone } = firstRun();
    const outcome = await trial(phone);
    expect(outcome).toEqual({ ok: true, server: "wss://pbx.test/ws" });
    const registers = peer.requests("REGISTER");
    // Challenge, authenticated REGISTER, and the un-REGISTER (expiry 0).
    expect(registers.length).toBeGreaterThanOrEqual(3);
    expect(registers.at(-1)!.toString()).toMatch(/expires=0|^Expires:\s*0/im);
    expect(phone.lines).toEqual([]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(peer.count("REGISTER")).toBe(registers.length);
  });

  it("a wrong password: the 401 as data, and no retry afterwards", async () => {
    const { peer, phone } = firstRun();
    peer.behaviour.authResult = 401;
    expect(await trial(phone)).toMatchObject({ ok: false, failure: { kind: "auth", code: 401 } });
    const sent = peer.count("REGISTER");
    await vi.advanceTimersByTimeAsync(120_000);
    expect(peer.count("REGISTER")).toBe(sent);
  });

  it("a server refusing with 403 or 503: the code as data", async () => {
    const { peer, phone } = firstRun();
    peer.behaviour.authResult = 403;
    expect(await trial(phone)).toMatchObject({ ok: false, failure: { kind: "auth", code: 403 } });
    peer.behaviour.authResult = 503;
    expect(await trial(phone)).toMatchObject({ ok: false, failure: { kind: "server", code: 503 } });
  });

  it("no server reachable: a transport failure naming every server, after trying each once", async () => {
    const { peer, phone } = firstRun();
    peer.behaviour.reachable = false;
    const outcome = await trial(phone, { servers: ["wss://a.test/ws", "wss://b.test/ws"] });
    expect(outcome).toEqual({ ok: false, failure: { kind: "transport", servers: ["wss://a.test/ws", "wss://b.test/ws"] } });
  });

  it("a server that takes the connection and never answers: a timeout", async () => {
    const { peer, phone } = firstRun();
    peer.behaviour.answers = false;
    expect(await trial(phone, {}, 4000)).toEqual({ ok: false, failure: { kind: "timeout", seconds: 4 } });
  });
});
