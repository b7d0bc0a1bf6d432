// IndexedDB in Node (fake-indexeddb): the recorder writes through the real history store.
import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CallState, type CallSnapshot } from "../sip/api/call-state.js";
import type { CallStats } from "../sip/api/platform.js";
import { clearHistory, recentHistory } from "../storage/history-store.js";
import { CallQualityWatch, QualityTally, SAMPLE_MS } from "./call-quality-watch.js";
import { CallRecorder } from "./call-recorder.js";

function reading(patch: Partial<CallStats>): CallStats {
  return {
    packetsReceived: 500,
    packetsSent: 500,
    packetsLost: 0,
    bytesReceived: 40_000,
    audioLevel: 0.1,
    totalAudioEnergy: 1,
    jitterMs: 2,
    ...patch,
  };
}

const call = (patch: Partial<CallSnapshot> = {}): CallSnapshot => ({
  id: "c1",
  lineId: "l1",
  direction: "out",
  remote: "1002",
  remoteUri: "sip:1002@pbx.test",
  state: CallState.Established,
  muted: false,
  held: false,
  heldByRemote: false,
  startedAt: 1000,
  answeredAt: 2000,
  ...patch,
});

describe("QualityTally", () => {
  it("averages MOS, jitter and round trip, keeps the worst MOS and loss and the last codec", () => {
    const t = new QualityTally();
    t.add(reading({ mos: 4.4, lossPercent: 0, jitterMs: 1, rttMs: 10, codec: "PCMU" }));
    t.add(reading({ mos: 3.2, lossPercent: 8.04, jitterMs: 5, rttMs: 30, codec: "opus" }));
    t.add(reading({ mos: 4.1, lossPercent: 1, jitterMs: 3 }));
    expect(t.summary()).toEqual({
      mosAvg: 3.9,
      mosWorst: 3.2,
      lossWorstPercent: 8.04,
      jitterAvgMs: 3,
      // Over the two readings that had one.
      rttAvgMs: 20,
      codec: "opus",
      samples: 3,
    });
  });

  it("leaves out readings without a MOS (nothing expected: held by the other side, no media yet)", () => {
    const t = new QualityTally();
    t.add(reading({}));
    expect(t.summary()).toBeUndefined();
    t.add(reading({ mos: 4.38, lossPercent: 0, jitterMs: Number.NaN }));
    t.add(reading({ jitterMs: 100 }));
    expect(t.summary()).toEqual({ mosAvg: 4.38, mosWorst: 4.38, lossWorstPercent: 0, jitterAvgMs: 0, samples: 1 });
  });

  it("holds sums, not readings: a day of readings takes the room of one", () => {
    const t = new QualityTally();
    for (let i = 0; i < 17_280; i++) t.add(reading({ mos: i % 2 ? 4 : 3, lossPercent: i % 100, rttMs: 10 }));
    expect(t.summary()).toMatchObject({ mosAvg: 3.5, mosWorst: 3, lossWorstPercent: 99, rttAvgMs: 10, samples: 17_280 });
    expect(Object.values(t).some((v) => Array.isArray(v))).toBe(false);
  });
});

describe("CallQualityWatch", () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] }));
  afterEach(() => vi.useRealTimers());

  function watched(stats: (id: string) => CallStats | undefined = () => reading({ mos: 4.3, lossPercent: 0, codec: "opus" })) {
    const read = vi.fn(async (id: string) => stats(id));
    return { read, watch: new CallQualityWatch(read) };
  }

  it(`reads a connected call every ${SAMPLE_MS / 1000} s, not before it is connected, and sums it up at the end`, async () => {
    const { read, watch } = watched();
    watch.update(call({ state: CallState.Ringing, answeredAt: undefined }));
    await vi.advanceTimersByTimeAsync(3 * SAMPLE_MS);
    expect(read).not.toHaveBeenCalled();
    watch.update(call());
    // Each change of the call comes again (mute, transfer progress): still one timer.
    watch.update(call({ muted: true }));
    await vi.advanceTimersByTimeAsync(SAMPLE_MS - 1);
    expect(read).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1 + 2 * SAMPLE_MS);
    expect(read.mock.calls).toEqual([["c1"], ["c1"], ["c1"]]);
    expect(watch.take("c1")).toMatchObject({ mosAvg: 4.3, samples: 3, codec: "opus" });
    await vi.advanceTimersByTimeAsync(5 * SAMPLE_MS);
    expect(read).toHaveBeenCalledTimes(3);
    expect(watch.size).toBe(0);
    expect(watch.take("c1")).toBeUndefined();
  });

  it("stops while either side holds and goes on after, summing both connected parts", async () => {
    let mos = 4.4;
    const { read, watch } = watched(() => reading({ mos, lossPercent: 0 }));
    watch.update(call());
    await vi.advanceTimersByTimeAsync(SAMPLE_MS);
    watch.update(call({ held: true }));
    await vi.advanceTimersByTimeAsync(4 * SAMPLE_MS);
    watch.update(call({ heldByRemote: true }));
    await vi.advanceTimersByTimeAsync(4 * SAMPLE_MS);
    expect(read).toHaveBeenCalledTimes(1);
    mos = 3.4;
    watch.update(call());
    await vi.advanceTimersByTimeAsync(SAMPLE_MS);
    expect(read).toHaveBeenCalledTimes(2);
    expect(watch.take("c1")).toMatchObject({ mosAvg: 3.9, mosWorst: 3.4, samples: 2 });
  });

  it("never reads a click-to-call leg (its audio is the desk phone's), nor a call ending", async () => {
    const { read, watch } = watched();
    watch.update(call({ clickToCall: { mode: "desk", target: "1003", deskPhone: "2001" } }));
    watch.update(call({ id: "c2", state: CallState.Terminating }));
    await vi.advanceTimersByTimeAsync(3 * SAMPLE_MS);
    expect(read).not.toHaveBeenCalled();
    expect(watch.take("c1")).toBeUndefined();
  });

  it("a reading still under way when the call is held or ends is dropped; a failed one is skipped", async () => {
    let answer!: (s: CallStats | undefined) => void;
    const read = vi.fn(() => new Promise<CallStats | undefined>((r) => (answer = r)));
    const watch = new CallQualityWatch(read);
    watch.update(call());
    await vi.advanceTimersByTimeAsync(SAMPLE_MS);
    watch.update(call({ held: true }));
    watch.update(call());
    answer(reading({ mos: 1.5 }));
    await vi.advanceTimersByTimeAsync(SAMPLE_MS);
    expect(read).toHaveBeenCalledTimes(2);
    answer(reading({ mos: 4.2 }));
    await vi.advanceTimersByTimeAsync(0);
    read.mockImplementationOnce(() => Promise.reject(new Error("call gone")));
    await vi.advanceTimersByTimeAsync(SAMPLE_MS);
    await vi.advanceTimersByTimeAsync(SAMPLE_MS);
    // The third read failed, the fourth is under way when the call ends.
    expect(read).toHaveBeenCalledTimes(4);
    const summary = watch.take("c1");
    answer(reading({ mos: 1 }));
    await vi.advanceTimersByTimeAsync(SAMPLE_MS);
    expect(summary).toMatchObject({ mosAvg: 4.2, mosWorst: 4.2, samples: 1 });
    expect(read).toHaveBeenCalledTimes(4);
  });
});

describe("CallRecorder with the quality watch", () => {
  afterEach(async () => {
    vi.useRealTimers();
    await clearHistory();
  });

  it("writes the call's quality summary with its final entry only", async () => {
    // Only the watch's timers are fake: IndexedDB (fake-indexeddb) runs on setImmediate.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const saved = vi.fn();
    const recorder = new CallRecorder({
      labelOf: () => "Office",
      retention: () => ({ maxEntries: 0, maxAgeDays: 0 }),
      saved,
      failed: (e) => {
        throw e;
      },
      quality: new CallQualityWatch(async () => reading({ mos: 4.38, lossPercent: 0.5, jitterMs: 1.5, rttMs: 4, codec: "opus" })),
    });
    recorder.record(call({ state: CallState.Dialing, answeredAt: undefined }));
    recorder.record(call());
    await vi.waitFor(() => expect(saved).toHaveBeenCalledTimes(2));
    await vi.advanceTimersByTimeAsync(2 * SAMPLE_MS);
    expect((await recentHistory(1))[0]).toMatchObject({ open: true, result: "answered" });
    expect((await recentHistory(1))[0]!.quality).toBeUndefined();
    recorder.record(call({ state: CallState.Ended, endedAt: 13_000, reason: "hangup" }));
    await vi.waitFor(() => expect(saved).toHaveBeenCalledTimes(3));
    const [entry] = await recentHistory(1);
    expect(entry!.open).toBeUndefined();
    expect(entry!.quality).toEqual({
      mosAvg: 4.38,
      mosWorst: 4.38,
      lossWorstPercent: 0.5,
      jitterAvgMs: 1.5,
      rttAvgMs: 4,
      codec: "opus",
      samples: 2,
    });
  });

  it("a call never connected has no summary", async () => {
    const saved = vi.fn();
    const quality = new CallQualityWatch(async () => reading({ mos: 4 }));
    const recorder = new CallRecorder({
      labelOf: () => "Office",
      retention: () => ({ maxEntries: 0, maxAgeDays: 0 }),
      saved,
      failed: vi.fn(),
      quality,
    });
    recorder.record(call({ state: CallState.Incoming, answeredAt: undefined, direction: "in" }));
    recorder.record(call({ state: CallState.Ended, answeredAt: undefined, direction: "in", reason: "missed", endedAt: 9000 }));
    await vi.waitFor(() => expect(saved).toHaveBeenCalledTimes(2));
    const [entry] = await recentHistory(1);
    expect(entry).toMatchObject({ result: "missed" });
    expect(entry!.quality).toBeUndefined();
    expect(quality.size).toBe(0);
  });
});
