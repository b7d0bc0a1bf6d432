import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AccountConfig } from "../../config/phone-config.js";
import { setup, stop } from "../test-support/phone-harness.js";
import { LinePhase } from "./line-state.js";
import type { StandbyLeg } from "./platform.js";
import {
  MAX_STANDBY_LEGS,
  RECENT_USE_MS,
  STANDBY_MAX_AGE_MS,
  STANDBY_REFILL_MS,
  STANDBY_RETRY_MS,
  StandbyLegs,
  type StandbyLine,
} from "./standby-legs.js";

/** A leg as the platform makes it, recording what happened to it. */
class FakeLeg implements StandbyLeg {
  released = false;
  taken = false;
  held: MediaStream | undefined;
  constructor(readonly account: AccountConfig) {}
  get usable(): boolean {
    return !this.released && !this.taken;
  }
  release(): void {
    this.released = true;
  }
  holdMicrophone(microphone: MediaStream): void {
    this.held = microphone;
  }
}

function account(id: string, extra: Partial<AccountConfig> = {}): AccountConfig {
  return { id, sipUri: `sip:${id}@pbx.test`, password: "pw", servers: ["wss://pbx.test/ws"], ...extra };
}

function harness(lines: StandbyLine[], open?: (a: AccountConfig) => Promise<FakeLeg>) {
  const made: FakeLeg[] = [];
  const legs = new StandbyLegs({
    clock: { now: () => Date.now(), setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h) },
    open:
      open ??
      ((a) => {
        const leg = new FakeLeg(a);
        made.push(leg);
        return Promise.resolve(leg);
      }),
    lines: () => lines,
  });
  const live = () => made.filter((l) => !l.released && !l.taken);
  return { legs, made, live };
}

const registered = (a: AccountConfig): StandbyLine & { phase: LinePhase } => ({ id: a.id, account: a, phase: LinePhase.Registered });

describe("StandbyLegs", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("makes one leg for the default line once it is registered, none before", async () => {
    const line = { id: "l1", account: account("l1"), phase: LinePhase.Registering as LinePhase };
    line.phase = LinePhase.Connecting;
    const { legs, made } = harness([line]);
    legs.linesChanged();
    await vi.advanceTimersByTimeAsync(10);
    expect(made).toHaveLength(0);
    line.phase = LinePhase.Registered;
    legs.linesChanged();
    await vi.advanceTimersByTimeAsync(10);
    expect(made).toHaveLength(1);
    legs.linesChanged();
    await vi.advanceTimersByTimeAsync(10);
    expect(made).toHaveLength(1);
  });

  it("1000 lines with one configuration share one leg; with 1000 configurations at most MAX_STANDBY_LEGS are kept", async () => {
    const same = Array.from({ length: 1000 }, (_, i) => registered(account(`s${i}`)));
    const one = harness(same);
    one.legs.linesChanged();
    await vi.advanceTimersByTimeAsync(10);
    expect(one.made).toHaveLength(1);

    const distinct = Array.from({ length: 1000 }, (_, i) => registered(account(`d${i}`, { iceServers: [{ urls: `stun:s${i}.test` }] })));
    const many = harness(distinct);
    many.legs.linesChanged();
    await vi.advanceTimersByTimeAsync(10);
    expect(many.made.map((l) => l.account.id)).toEqual(["d0"]);
    for (const i of [5, 6, 7, 8, 9]) many.legs.use(`d${i}`);
    await vi.advanceTimersByTimeAsync(10);
    expect(many.live()).toHaveLength(MAX_STANDBY_LEGS);
    // The default line and the most recently used ones.
    expect(
      many
        .live()
        .map((l) => l.account.id)
        .sort(),
    ).toEqual(["d0", "d8", "d9"]);
  });

  it("a taken leg goes to the call; the next is made when that call ends, or after STANDBY_REFILL_MS", async () => {
    const line = registered(account("l1"));
    const { legs, made, live } = harness([line]);
    legs.linesChanged();
    await vi.advanceTimersByTimeAsync(10);
    const leg = await legs.take(line);
    expect(leg).toBe(made[0]);
    (leg as FakeLeg).taken = true;
    // Not while the call is being set up or up (it is established: the line is used again).
    legs.linesChanged();
    legs.use("l1");
    await vi.advanceTimersByTimeAsync(10);
    expect(made).toHaveLength(1);
    legs.callEnded("l1");
    await vi.advanceTimersByTimeAsync(10);
    expect(live()).toEqual([made[1]]);

    (await legs.take(line)) as FakeLeg;
    made[1]!.taken = true;
    await vi.advanceTimersByTimeAsync(STANDBY_REFILL_MS + 10);
    expect(live()).toEqual([made[2]]);
  });

  it("a leg older than STANDBY_MAX_AGE_MS is made again, the old one released only once the new one is ready", async () => {
    const line = registered(account("l1"));
    let finish: ((leg: FakeLeg) => void) | undefined;
    const made: FakeLeg[] = [];
    const { legs } = harness([line], (a) => {
      const leg = new FakeLeg(a);
      made.push(leg);
      return made.length === 1 ? Promise.resolve(leg) : new Promise((r) => (finish = () => r(leg)));
    });
    legs.linesChanged();
    await vi.advanceTimersByTimeAsync(10);
    await vi.advanceTimersByTimeAsync(STANDBY_MAX_AGE_MS);
    expect(made).toHaveLength(2);
    expect(made[0]!.released).toBe(false);
    finish!(made[1]!);
    await vi.advanceTimersByTimeAsync(0);
    expect(made[0]!.released).toBe(true);
    expect(await legs.take(line)).toBe(made[1]);
  });

  it("another ICE configuration, a removed line, a lost registration or a network change release the leg", async () => {
    const lines: (StandbyLine & { phase: LinePhase })[] = [registered(account("l1"))];
    const { legs, made, live } = harness(lines);
    legs.linesChanged();
    await vi.advanceTimersByTimeAsync(10);
    lines[0] = registered(account("l1", { iceServers: [{ urls: "turn:t.test", username: "u", credential: "c" }] }));
    legs.linesChanged();
    await vi.advanceTimersByTimeAsync(10);
    expect(made[0]!.released).toBe(true);
    expect(live().map((l) => l.account.iceServers)).toEqual([lines[0].account.iceServers]);

    legs.networkChanged();
    await vi.advanceTimersByTimeAsync(10);
    expect(made[1]!.released).toBe(true);
    expect(live()).toEqual([made[2]]);

    lines[0].phase = LinePhase.RetryWait;
    legs.linesChanged();
    await vi.advanceTimersByTimeAsync(10);
    expect(live()).toEqual([]);

    lines[0].phase = LinePhase.Registered;
    legs.linesChanged();
    await vi.advanceTimersByTimeAsync(10);
    expect(live()).toHaveLength(1);
    lines.length = 0;
    legs.linesChanged();
    await vi.advanceTimersByTimeAsync(10);
    expect(live()).toEqual([]);
  });

  it("a line used long ago keeps no leg; desk-phone lines never get one", async () => {
    const lines = [registered(account("l1", { clickToCall: "desk" })), registered(account("l2", { codecs: ["PCMU"] }))];
    const { legs, live } = harness(lines);
    legs.use("l2");
    await vi.advanceTimersByTimeAsync(10);
    expect(live().map((l) => l.account.id)).toEqual(["l2"]);
    await vi.advanceTimersByTimeAsync(RECENT_USE_MS);
    expect(live()).toEqual([]);
  });

  it("a leg that cannot be made is tried again after STANDBY_RETRY_MS, not at every line change", async () => {
    const line = registered(account("l1"));
    let attempts = 0;
    const { legs } = harness([line], () => {
      attempts++;
      return Promise.reject(new Error("no TURN answer"));
    });
    legs.linesChanged();
    await vi.advanceTimersByTimeAsync(10);
    legs.linesChanged();
    await vi.advanceTimersByTimeAsync(10);
    expect(attempts).toBe(1);
    expect(await legs.take(line)).toBeUndefined();
    await vi.advanceTimersByTimeAsync(STANDBY_RETRY_MS);
    expect(attempts).toBe(2);
  });
});

describe("Phone with standby legs (in-memory peer)", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("a registered line has a leg and no microphone open; dial() sends the INVITE on it; a new leg follows", async () => {
    const { peer, phone, platform } = await setupWithLegs();
    expect(platform.legs.filter((l) => l.usable)).toHaveLength(1);
    expect(platform.microphonesOpened).toBe(0);
    const invites: string[] = [];
    peer.onRequest = (req) => void (req.method === "INVITE" && invites.push(req.method));
    await phone.dial("1002");
    await vi.advanceTimersByTimeAsync(10);
    expect(invites).toEqual(["INVITE"]);
    expect(platform.mediaPrepared.map((p) => p.standby)).toEqual([platform.legs[0]]);
    expect(platform.legs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(STANDBY_REFILL_MS + 10);
    expect(platform.legs).toHaveLength(2);
    expect(platform.legs[1]!.usable).toBe(true);
    // The microphone is the call's to open (its handler, not the leg): none was opened for the legs.
    expect(platform.microphonesOpened).toBe(0);
    await stop(phone);
    expect(platform.legs.every((l) => l.released || l.taken)).toBe(true);
  });
});

describe("Phone: the microphone opened while the user types (off-hook)", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("opens on offHook on a leg made again for it, goes to the dialled call, and closes on onHook when nobody dials", async () => {
    const { peer, phone, platform } = await setupWithLegs();
    phone.offHook("l1");
    phone.offHook("l1");
    await vi.advanceTimersByTimeAsync(10);
    expect(platform.microphonesOpened).toBe(1);
    const [old, renewed] = platform.legs;
    expect(old!.released).toBe(true);
    expect(renewed!.held).toBe(platform.lastMicrophone);
    peer.onRequest = () => undefined;
    await phone.dial("1002");
    await vi.advanceTimersByTimeAsync(10);
    const prep = platform.mediaPrepared.at(-1)!;
    expect(prep.standby).toBe(renewed);
    expect(await prep.microphone).toBe(renewed!.held);

    phone.offHook("l1");
    expect(platform.microphonesOpened).toBe(2);
    const stopped = vi.fn();
    platform.lastMicrophone.getTracks = () => [{ stop: stopped } as unknown as MediaStreamTrack];
    phone.onHook();
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toHaveBeenCalledOnce();
    await stop(phone);
  });
});

/** The harness's phone with a platform that makes fake legs and counts microphones opened. */
async function setupWithLegs() {
  vi.useFakeTimers();
  const legs: FakeLeg[] = [];
  let microphonesOpened = 0;
  const h = await setup();
  const platform = Object.defineProperty(
    Object.assign(h.platform, { legs, lastMicrophone: undefined as unknown as MediaStream, microphonesOpened: 0 }),
    "microphonesOpened",
    { get: () => microphonesOpened },
  );
  platform.openMicrophone = () => {
    microphonesOpened++;
    platform.lastMicrophone = { getTracks: () => [] } as unknown as MediaStream;
    return Promise.resolve(platform.lastMicrophone);
  };
  platform.openStandby = (a) => {
    const leg = new FakeLeg(a);
    const take = leg.release.bind(leg);
    leg.release = () => (leg.taken ? undefined : take());
    legs.push(leg);
    return Promise.resolve(leg);
  };
  // The harness's line registered while its platform made no legs: the retry makes one.
  await vi.advanceTimersByTimeAsync(STANDBY_RETRY_MS);
  // A leg handed to a call is the call's (the fake handler does not mark it).
  const prepare = platform.prepareMedia;
  platform.prepareMedia = (session, prep) => {
    if (prep.standby) (prep.standby as FakeLeg).taken = true;
    prepare(session, prep);
  };
  return { ...h, platform };
}
