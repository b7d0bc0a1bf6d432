import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryPeer, PEER_SDP, PeerDialog } from "../test-support/memory-peer.js";
import { testPlatform } from "../test-support/test-platform.js";
import type { CallSnapshot } from "./call-state.js";
import { MAX_DISPLAY_NAME, displayName } from "./display-name.js";
import { IncomingRateLimit, RING_LIMIT, RING_WINDOW_MS } from "./incoming-rate.js";
import { Phone } from "./phone.js";

/**
 * What a remote party can make the phone do when it calls: auto-answer only from trusted
 * sources and never into another call, ringing bounded in time and per caller, the microphone
 * opened for a ringing call closed however the ringing ends, names capped. Driven through the
 * in-memory SIP peer (real SIP.js both sides), asserting on the wire.
 */
const AUTO = ["Call-Info: <sip:pbx.test>;answer-after=0"];

async function setup(account: Record<string, unknown> = {}) {
  const peer = new MemoryPeer();
  const stopped: string[] = [];
  let opened = 0;
  const platform = {
    ...testPlatform(peer),
    // Each ringing call's microphone: one track whose stop() is recorded.
    openMicrophone: () => {
      const name = `mic${++opened}`;
      return Promise.resolve({ getTracks: () => [{ stop: () => stopped.push(name) }] } as unknown as MediaStream);
    },
  };
  const phone = new Phone({ platform, lineTiming: { keepAliveMs: 10 ** 9 } });
  const ended: CallSnapshot[] = [];
  phone.on("call-state", (c) => c.state === "ended" && ended.push(c));
  peer.onRequest = (req, socket) => {
    if (req.method === "BYE" || req.method === "NOTIFY") peer.reply(socket, req, 200);
  };
  phone.configure({
    version: 1,
    accounts: [{ id: "l1", sipUri: "sip:1001@pbx.test", password: "pw", servers: ["wss://pbx.test/ws"], ...account }],
  });
  await vi.advanceTimersByTimeAsync(100);
  expect(phone.lines[0]?.state).toBe("registered");
  return { peer, phone, stopped, ended, opened: () => opened };
}

/** An INVITE to the phone from `from` (a whole name-addr, any host). */
function inviteFrom(peer: MemoryPeer, from: string, headers: string[] = []): PeerDialog {
  const contact = peer.contacts.get("1001")!;
  const dialog = new PeerDialog(peer, contact.socket, contact.uri, from, "<sip:1001@pbx.test>");
  dialog.invite = dialog.request("INVITE", headers, PEER_SDP);
  return dialog;
}

/** CANCEL of the dialog's INVITE (same branch, RFC 3261 9.1). */
function cancel(peer: MemoryPeer, dialog: PeerDialog): void {
  const from = dialog.responses("INVITE")[0]?.getHeader("from") ?? "";
  peer.send(
    dialog.socket,
    `CANCEL ${dialog.remoteTarget} SIP/2.0\r\nVia: SIP/2.0/WSS peer.test;branch=${dialog.invite}\r\nMax-Forwards: 70\r\nFrom: ${from}\r\nTo: <sip:1001@pbx.test>\r\nCall-ID: ${dialog.callId}\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n`,
  );
}

/** Awaits `p` while the fake clock runs (SIP.js's promises may wait on its timers). */
async function settled<T>(p: Promise<T>): Promise<T> {
  await vi.advanceTimersByTimeAsync(100);
  return p;
}

const codes = (d: PeerDialog) => d.responses("INVITE").map((r) => r.statusCode);

async function stop(phone: Phone) {
  const done = phone.dispose();
  await vi.advanceTimersByTimeAsync(3000);
  await done;
}

describe("incoming calls: what a caller can make the phone do", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("auto-answers a caller of the line's own domain, and rings for the same request from another host", async () => {
    const { peer, phone } = await setup({ autoAnswer: true });
    const own = inviteFrom(peer, "<sip:2000@pbx.test>", AUTO);
    await vi.advanceTimersByTimeAsync(200);
    expect(codes(own)).toContain(200);
    own.confirm();
    await vi.advanceTimersByTimeAsync(50);
    await phone.hangup();
    await vi.advanceTimersByTimeAsync(200);
    expect(phone.calls).toEqual([]);
    const foreign = inviteFrom(peer, "<sip:2000@attacker.test>", AUTO);
    await vi.advanceTimersByTimeAsync(2000);
    expect(codes(foreign)).toContain(180);
    expect(codes(foreign)).not.toContain(200);
    expect(phone.calls.map((c) => c.state)).toEqual(["incoming"]);
    await stop(phone);
  });

  it("autoAnswerFrom replaces the default: listed hosts (and *. subdomains) only", async () => {
    const { peer, phone } = await setup({ autoAnswer: true, autoAnswerFrom: ["*.paging.test"] });
    const own = inviteFrom(peer, "<sip:2000@pbx.test>", AUTO);
    await vi.advanceTimersByTimeAsync(500);
    expect(codes(own)).not.toContain(200);
    await settled(phone.decline());
    const listed = inviteFrom(peer, "<sip:2000@zone1.paging.test>", AUTO);
    await vi.advanceTimersByTimeAsync(500);
    expect(codes(listed)).toContain(200);
    listed.confirm();
    await stop(phone);
  });

  it("never auto-answers while another call is up, established or ringing", async () => {
    const { peer, phone } = await setup({ autoAnswer: true });
    const first = inviteFrom(peer, "<sip:2000@pbx.test>");
    await vi.advanceTimersByTimeAsync(100);
    expect(phone.calls.map((c) => c.state)).toEqual(["incoming"]);
    const whileRinging = inviteFrom(peer, "<sip:2001@pbx.test>", AUTO);
    await vi.advanceTimersByTimeAsync(500);
    expect(codes(whileRinging)).not.toContain(200);
    await phone.answer(phone.calls[0]!.id);
    await vi.advanceTimersByTimeAsync(100);
    first.confirm();
    await vi.advanceTimersByTimeAsync(100);
    const whileTalking = inviteFrom(peer, "<sip:2002@pbx.test>", ["Alert-Info: <http://127.0.0.1>;info=alert-autoanswer"]);
    await vi.advanceTimersByTimeAsync(500);
    expect(codes(whileTalking)).toContain(180);
    expect(codes(whileTalking)).not.toContain(200);
    expect(phone.calls.filter((c) => c.state === "established")).toHaveLength(1);
    await stop(phone);
  });

  it("a delayed auto-answer does not happen when another call came up meanwhile", async () => {
    const { peer, phone } = await setup({ autoAnswer: true });
    const paged = inviteFrom(peer, "<sip:2000@pbx.test>", ["Call-Info: <sip:pbx.test>;answer-after=5"]);
    await vi.advanceTimersByTimeAsync(100);
    const other = inviteFrom(peer, "<sip:2001@pbx.test>");
    await vi.advanceTimersByTimeAsync(6000);
    expect(codes(paged)).not.toContain(200);
    expect(codes(other)).not.toContain(200);
    expect(phone.calls.map((c) => c.state)).toEqual(["incoming", "incoming"]);
    await stop(phone);
  });

  it("a ringing call ends after the line's ringTimeout with 480, as missed; SIP.js's own 60 s timer no longer decides", async () => {
    const { peer, phone, ended } = await setup({ ringTimeout: 10 });
    const short = inviteFrom(peer, "<sip:2000@pbx.test>");
    await vi.advanceTimersByTimeAsync(9_900);
    expect(codes(short)).not.toContain(480);
    await vi.advanceTimersByTimeAsync(200);
    expect(codes(short)).toContain(480);
    await vi.advanceTimersByTimeAsync(100);
    expect(ended.map((c) => c.reason)).toEqual(["missed"]);
    await stop(phone);

    const dflt = await setup();
    const long = inviteFrom(dflt.peer, "<sip:2000@pbx.test>");
    await vi.advanceTimersByTimeAsync(61_000);
    expect(codes(long)).not.toContain(480);
    expect(dflt.phone.calls.map((c) => c.state)).toEqual(["incoming"]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(codes(long)).toContain(480);
    await stop(dflt.phone);
  });

  it(`rings at most ${RING_LIMIT} times a minute per caller; then 486 with Retry-After, other callers unaffected`, async () => {
    const { peer, phone } = await setup();
    for (let i = 0; i < RING_LIMIT; i++) {
      inviteFrom(peer, "<sip:666@spam.test>");
      await vi.advanceTimersByTimeAsync(100);
      await settled(phone.decline());
      await vi.advanceTimersByTimeAsync(100);
    }
    const excess = inviteFrom(peer, "<sip:666@SPAM.test>");
    await vi.advanceTimersByTimeAsync(100);
    const busy = excess.responses("INVITE").find((r) => r.statusCode === 486);
    expect(busy?.getHeader("retry-after")).toMatch(/^\d+$/);
    expect(Number(busy?.getHeader("retry-after"))).toBeLessThanOrEqual(60);
    const other = inviteFrom(peer, "<sip:777@spam.test>");
    await vi.advanceTimersByTimeAsync(100);
    expect(codes(other)).toContain(180);
    await settled(phone.decline());
    await vi.advanceTimersByTimeAsync(RING_WINDOW_MS);
    const later = inviteFrom(peer, "<sip:666@spam.test>");
    await vi.advanceTimersByTimeAsync(100);
    expect(codes(later)).toContain(180);
    await stop(phone);
  });

  it("answered calls do not count against the caller's rate: a colleague may call back and forth", async () => {
    const { peer, phone } = await setup();
    for (let i = 0; i < RING_LIMIT * 2; i++) {
      const call = inviteFrom(peer, "<sip:1002@pbx.test>");
      await vi.advanceTimersByTimeAsync(100);
      expect(codes(call)).toContain(180);
      await settled(phone.answer());
      call.confirm();
      await vi.advanceTimersByTimeAsync(100);
      await settled(phone.hangup());
    }
    // Then calls that ring in vain are counted as before.
    for (let i = 0; i < RING_LIMIT; i++) {
      inviteFrom(peer, "<sip:1002@pbx.test>");
      await vi.advanceTimersByTimeAsync(100);
      await settled(phone.decline());
    }
    const excess = inviteFrom(peer, "<sip:1002@pbx.test>");
    await vi.advanceTimersByTimeAsync(100);
    expect(codes(excess)).toContain(486);
    await stop(phone);
  });

  it("the microphone opened for a ringing call is released when it is declined, cancelled, timed out or hung up after answering", async () => {
    const { peer, phone, stopped } = await setup({ ringTimeout: 10 });
    inviteFrom(peer, "<sip:2000@pbx.test>");
    await vi.advanceTimersByTimeAsync(100);
    await settled(phone.decline());
    await vi.advanceTimersByTimeAsync(100);
    expect(stopped).toEqual(["mic1"]);

    const cancelled = inviteFrom(peer, "<sip:2001@pbx.test>");
    await vi.advanceTimersByTimeAsync(100);
    cancel(peer, cancelled);
    await vi.advanceTimersByTimeAsync(100);
    expect(codes(cancelled)).toContain(487);
    expect(stopped).toEqual(["mic1", "mic2"]);

    inviteFrom(peer, "<sip:2002@pbx.test>");
    await vi.advanceTimersByTimeAsync(10_500);
    expect(stopped).toEqual(["mic1", "mic2", "mic3"]);

    const answered = inviteFrom(peer, "<sip:2003@pbx.test>");
    await vi.advanceTimersByTimeAsync(100);
    await phone.answer();
    await vi.advanceTimersByTimeAsync(100);
    answered.confirm();
    await vi.advanceTimersByTimeAsync(100);
    expect(stopped).toEqual(["mic1", "mic2", "mic3"]);
    answered.request("BYE");
    await vi.advanceTimersByTimeAsync(100);
    expect(stopped).toEqual(["mic1", "mic2", "mic3", "mic4"]);
    await stop(phone);
  });

  it("an INVITE with Replaces naming a call still ringing here gets 481 (RFC 3891 3); the ringing call rings on, then releases its microphone", async () => {
    const { peer, phone, stopped } = await setup();
    const ringing = inviteFrom(peer, "<sip:2000@pbx.test>");
    await vi.advanceTimersByTimeAsync(100);
    const ringingTag = ringing.responses("INVITE").find((r) => r.statusCode === 180)?.toTag;
    const fromTag = /tag=([^;>\s]+)/.exec(ringing.responses("INVITE")[0]?.getHeader("from") ?? "")?.[1];
    expect(ringingTag && fromTag).toBeTruthy();
    const replacing = inviteFrom(peer, "<sip:2000@pbx.test>", [`Replaces: ${ringing.callId};to-tag=${ringingTag};from-tag=${fromTag}`]);
    await vi.advanceTimersByTimeAsync(100);
    expect(codes(replacing)).toContain(481);
    expect(phone.calls.map((c) => c.state)).toEqual(["incoming"]);
    expect(stopped).toEqual([]);
    cancel(peer, ringing);
    await vi.advanceTimersByTimeAsync(100);
    expect(stopped).toEqual(["mic1"]);
    await stop(phone);
  });

  it("the caller's display name is shown without control characters or overrides, and capped", async () => {
    const { peer, phone } = await setup();
    // A BEL as a quoted-pair is valid SIP (RFC 3261 25.1); a bare one is refused by the screen (400).
    const name = `Evil\u202eeciffo\\\u0007 ${"x".repeat(300)}`;
    inviteFrom(peer, `"${name}" <sip:2000@pbx.test>`);
    await vi.advanceTimersByTimeAsync(100);
    const shown = phone.calls[0]?.remoteName ?? "";
    expect(shown.startsWith("Evileciffo xxx")).toBe(true);
    expect(Array.from(shown)).toHaveLength(MAX_DISPLAY_NAME);
    expect(shown.endsWith("…")).toBe(true);
    await stop(phone);
  });
});

describe("displayName", () => {
  it.each([
    ["Alice", "Alice"],
    ["  Bob \t\r\n Smith ", "Bob Smith"],
    ["a\u0000b\u001bc\u007fd\u0085e", "abcde"],
    ["\u2066admin\u2069\u200b\ufeff", "admin"],
    ["\u202e\u202d", undefined],
    ["", undefined],
    [undefined, undefined],
    ["👩‍💻 Dev", "👩‍💻 Dev"],
    ['J Rosenberg \\\\\\"', 'J Rosenberg \\"'],
  ])("%j -> %j", (raw, shown) => {
    expect(displayName(raw)).toBe(shown);
  });

  it("cuts at MAX_DISPLAY_NAME characters without splitting one", () => {
    const cut = displayName("😀".repeat(150))!;
    expect(Array.from(cut)).toHaveLength(MAX_DISPLAY_NAME);
    expect(cut).toBe("😀".repeat(MAX_DISPLAY_NAME - 1) + "…");
    expect(displayName("y".repeat(MAX_DISPLAY_NAME))).toBe("y".repeat(MAX_DISPLAY_NAME));
  });
});

describe("IncomingRateLimit", () => {
  it("counts per source, case-insensitively, in a sliding window, and says when to retry", () => {
    const limit = new IncomingRateLimit();
    for (let i = 0; i < RING_LIMIT; i++) expect(limit.admit("a@x", i * 1000)).toBeUndefined();
    expect(limit.admit("A@X", 10_000)).toBe(50);
    expect(limit.admit("b@x", 10_000)).toBeUndefined();
    expect(limit.admit("a@x", RING_WINDOW_MS)).toBeUndefined();
    expect(limit.admit("a@x", RING_WINDOW_MS + 1)).toBe(1);
  });

  it("forgets callers beyond a thousand, oldest first", () => {
    const limit = new IncomingRateLimit();
    for (let i = 0; i < RING_LIMIT; i++) limit.admit("first@x", 0);
    for (let i = 0; i < 1000; i++) limit.admit(`s${i}@x`, 1);
    expect(limit.admit("first@x", 2)).toBeUndefined();
  });
});
