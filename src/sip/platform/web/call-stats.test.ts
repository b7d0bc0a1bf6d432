import { describe, expect, it } from "vitest";
import { readCallStats } from "./call-stats.js";

interface Inbound {
  at: number;
  received: number;
  lost: number;
  jitter?: number;
  bufferDelay?: number;
  emitted?: number;
}

/** A connection whose getStats() answers with what the test set last, as Chrome words it. */
function fakePc(codec = "audio/PCMU") {
  let now: Inbound = { at: 0, received: 0, lost: 0 };
  let remoteRtt: number | undefined;
  const pc = {
    getStats: async () =>
      new Map<string, Record<string, unknown>>([
        ["C1", { type: "codec", id: "C1", mimeType: codec, timestamp: now.at }],
        [
          "IT1",
          {
            type: "inbound-rtp",
            id: "IT1",
            kind: "audio",
            timestamp: now.at,
            codecId: "C1",
            packetsReceived: now.received,
            packetsLost: now.lost,
            jitter: now.jitter ?? 0.002,
            jitterBufferDelay: now.bufferDelay ?? 0,
            jitterBufferEmittedCount: now.emitted ?? 0,
          },
        ],
        ["CP1", { type: "candidate-pair", id: "CP1", nominated: true, currentRoundTripTime: 0.004, timestamp: now.at }],
        ...(remoteRtt === undefined
          ? []
          : ([["RI1", { type: "remote-inbound-rtp", id: "RI1", kind: "audio", roundTripTime: remoteRtt, timestamp: now.at }]] as const)),
      ]),
  };
  return {
    pc: pc as unknown as RTCPeerConnection,
    at(s: Inbound) {
      now = s;
      return readCallStats(pc as unknown as RTCPeerConnection);
    },
    rtcp(seconds: number) {
      remoteRtt = seconds;
    },
  };
}

describe("readCallStats: quality", () => {
  it("has no estimate before anything was expected, then a good one for a clean call", async () => {
    const f = fakePc();
    const none = await f.at({ at: 1000, received: 0, lost: 0 });
    expect(none.mos).toBeUndefined();
    expect(none.quality).toBeUndefined();
    const clean = await f.at({ at: 3000, received: 100, lost: 0, bufferDelay: 4, emitted: 100 * 160 });
    expect(clean.lossPercent).toBe(0);
    expect(clean.quality).toBe("good");
    expect(clean.mos).toBeGreaterThan(4.3);
    expect(clean.codec).toBe("PCMU");
  });

  it("judges loss over the recent interval: an old bad spell no longer counts, a new one counts at once", async () => {
    const f = fakePc();
    // A bad start: 20 % lost in the first 10 s.
    await f.at({ at: 5_000, received: 200, lost: 50 });
    const bad = await f.at({ at: 10_000, received: 400, lost: 100 });
    expect(bad.lossPercent).toBeCloseTo(20, 5);
    expect(bad.quality).toBe("poor");
    // Then 10 s without loss: 5-10 s back is clean, so the call is good again.
    await f.at({ at: 15_000, received: 650, lost: 100 });
    const recovered = await f.at({ at: 20_000, received: 900, lost: 100 });
    expect(recovered.packetsLost).toBe(100);
    expect(recovered.lossPercent).toBe(0);
    expect(recovered.quality).toBe("good");
    // 5 % lost since the reading 5 s ago.
    const lossy = await f.at({ at: 25_000, received: 1137.5, lost: 112.5 });
    expect(lossy.lossPercent).toBeCloseTo(5, 5);
    expect(lossy.quality).toBe("fair");
  });

  it("a reading right after another still covers at least 5 s", async () => {
    const f = fakePc();
    await f.at({ at: 10_000, received: 500, lost: 0 });
    await f.at({ at: 15_000, received: 740, lost: 10 });
    const soon = await f.at({ at: 15_200, received: 750, lost: 10 });
    // From the reading at 10 s: 10 of 260 expected.
    expect(soon.lossPercent).toBeCloseTo((100 * 10) / 260, 5);
  });

  it("starts a new interval when the counters go back (a new stream)", async () => {
    const f = fakePc();
    await f.at({ at: 5_000, received: 500, lost: 5 });
    const fresh = await f.at({ at: 11_000, received: 100, lost: 0 });
    expect(fresh.lossPercent).toBe(0);
    expect(fresh.quality).toBe("good");
  });

  it("takes RTT from RTCP reports where there are any, else from the candidate pair", async () => {
    const f = fakePc("audio/opus");
    const pair = await f.at({ at: 1000, received: 50, lost: 0 });
    expect(pair.roundTripMs).toBe(4);
    expect(pair.rttMs).toBe(4);
    f.rtcp(0.6);
    const far = await f.at({ at: 2000, received: 100, lost: 0 });
    expect(far.roundTripMs).toBe(4);
    expect(far.rttMs).toBe(600);
    expect(far.mos).toBeLessThan(pair.mos!);
  });

  it("uses the jitter buffer's own delay over the interval where it is reported", async () => {
    const f = fakePc();
    await f.at({ at: 5_000, received: 250, lost: 0, bufferDelay: 40 * 0.04, emitted: 40 });
    // 400 ms per sample since then: a long buffer costs delay impairment.
    const late = await f.at({ at: 10_000, received: 500, lost: 0, bufferDelay: 40 * 0.04 + 40 * 0.4, emitted: 80 });
    const short = await fakePc().at({ at: 10_000, received: 500, lost: 0, bufferDelay: 80 * 0.04, emitted: 80 });
    expect(late.mos!).toBeLessThan(short.mos! - 0.3);
  });
});
