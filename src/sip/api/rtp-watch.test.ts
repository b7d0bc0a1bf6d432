import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { systemClock } from "../core/clock.js";
import type { CallFailure } from "./failures.js";
import type { CallStats } from "./platform.js";
import { RtpWatch, type WatchedCall } from "./rtp-watch.js";

function fakeCall() {
  const call = {
    id: "c1",
    state: "established",
    snapshot: { held: false, heldByRemote: false },
    peerConnection: {} as RTCPeerConnection,
    gaveUp: undefined as CallFailure | undefined,
    giveUp(f: CallFailure) {
      this.gaveUp = f;
      this.state = "ended";
      return Promise.resolve();
    },
  };
  return call;
}

describe("RtpWatch (the RTP timeout)", () => {
  let packets = 0;
  const readStats = () => Promise.resolve({ packetsReceived: packets } as CallStats);
  beforeEach(() => {
    vi.useFakeTimers();
    packets = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("ends a call whose packets stopped for the timeout, and not before", async () => {
    const call = fakeCall();
    new RtpWatch(call as unknown as WatchedCall, 30, systemClock, readStats).start();
    for (let t = 0; t < 60_000; t += 1000) {
      packets += 50;
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(call.gaveUp).toBeUndefined();
    // Media stops: ended 30 s later (checked every 5 s).
    await vi.advanceTimersByTimeAsync(25_000);
    expect(call.gaveUp).toBeUndefined();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(call.gaveUp).toEqual({ kind: "rtp-timeout", seconds: 30 });
  });

  it("does not count time on hold (either side) as silence", async () => {
    const call = fakeCall();
    new RtpWatch(call as unknown as WatchedCall, 30, systemClock, readStats).start();
    call.snapshot.heldByRemote = true;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(call.gaveUp).toBeUndefined();
    call.snapshot.heldByRemote = false;
    packets = 10;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(call.gaveUp).toBeUndefined();
  });

  it("0 turns it off; stop() ends the watch", async () => {
    const off = fakeCall();
    new RtpWatch(off as unknown as WatchedCall, 0, systemClock, readStats).start();
    const stopped = fakeCall();
    const w = new RtpWatch(stopped as unknown as WatchedCall, 30, systemClock, readStats);
    w.start();
    w.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(off.gaveUp).toBeUndefined();
    expect(stopped.gaveUp).toBeUndefined();
  });
});
