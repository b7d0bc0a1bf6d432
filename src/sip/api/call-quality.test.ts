import { describe, expect, it } from "vitest";
import { delayImpairment, estimateQuality, gradeOf, lossImpairment, mosFromR } from "./call-quality.js";

/** A LAN call: 20 ms round trip, 2 ms jitter, 40 ms in the jitter buffer. */
const LAN = { rttMs: 20, jitterMs: 2, jitterBufferMs: 40 };

describe("the E-model pieces", () => {
  it("maps R to MOS as G.107 Annex B does, at its fixed points", () => {
    expect(mosFromR(0)).toBe(1);
    expect(mosFromR(-5)).toBe(1);
    expect(mosFromR(100)).toBe(4.5);
    expect(mosFromR(93.2)).toBeCloseTo(4.41, 2);
    expect(mosFromR(80)).toBeCloseTo(4.02, 2);
    expect(mosFromR(60)).toBeCloseTo(3.1, 5);
    expect(mosFromR(50)).toBeCloseTo(2.58, 2);
  });

  it("grades by G.109's bands: R 80 (MOS 4.0) and R 60 (MOS 3.1)", () => {
    expect(gradeOf(mosFromR(81))).toBe("good");
    expect(gradeOf(mosFromR(79))).toBe("fair");
    expect(gradeOf(mosFromR(61))).toBe("fair");
    expect(gradeOf(mosFromR(59))).toBe("poor");
  });

  it("charges delay lightly up to 177.3 ms one way and steeply beyond", () => {
    expect(delayImpairment(0)).toBe(0);
    expect(delayImpairment(100)).toBeCloseTo(2.4, 5);
    expect(delayImpairment(177.3)).toBeCloseTo(4.26, 2);
    expect(delayImpairment(300)).toBeCloseTo(7.2 + 0.11 * 122.7, 5);
  });

  it("charges loss by the codec's robustness (G.711 with PLC: Bpl 25.1)", () => {
    expect(lossImpairment(0, "PCMU")).toBe(0);
    expect(lossImpairment(5, "PCMU")).toBeCloseTo((95 * 5) / 30.1, 5);
    expect(lossImpairment(5, "opus")).toBeLessThan(lossImpairment(5, "PCMU"));
    expect(lossImpairment(100, "PCMA")).toBeCloseTo(95 * (100 / 125.1), 5);
    expect(lossImpairment(150, "PCMA")).toBe(lossImpairment(100, "PCMA"));
  });
});

describe("estimateQuality", () => {
  it("no loss and little delay on G.711: about 4.4, good", () => {
    const q = estimateQuality({ ...LAN, lossPercent: 0, codec: "PCMU" });
    expect(q.mos).toBeGreaterThan(4.3);
    expect(q.mos).toBeLessThanOrEqual(4.41);
    expect(q.quality).toBe("good");
  });

  it("5 % random loss makes G.711 clearly worse (fair), Opus stays good", () => {
    const clean = estimateQuality({ ...LAN, lossPercent: 0, codec: "PCMU" });
    const pcmu = estimateQuality({ ...LAN, lossPercent: 5, codec: "PCMU" });
    const opus = estimateQuality({ ...LAN, lossPercent: 5, codec: "opus" });
    expect(clean.mos - pcmu.mos).toBeGreaterThan(0.4);
    expect(pcmu.quality).toBe("fair");
    expect(opus.quality).toBe("good");
    expect(opus.mos).toBeGreaterThan(pcmu.mos + 0.15);
  });

  it("heavy loss or a satellite delay is poor", () => {
    expect(estimateQuality({ ...LAN, lossPercent: 20, codec: "PCMU" }).quality).toBe("poor");
    expect(estimateQuality({ rttMs: 900, jitterMs: 30, lossPercent: 1, codec: "opus" }).quality).toBe("poor");
    expect(estimateQuality({ ...LAN, lossPercent: 100, codec: "PCMU" }).mos).toBeLessThan(1.5);
  });

  it("without a jitter-buffer figure takes twice the jitter; without RTT, none", () => {
    const measured = estimateQuality({ rttMs: 0, jitterMs: 50, jitterBufferMs: 100, lossPercent: 0, codec: "PCMU" });
    const guessed = estimateQuality({ jitterMs: 50, lossPercent: 0, codec: "PCMU" });
    expect(guessed.r).toBeCloseTo(measured.r, 5);
    expect(guessed.r).toBeCloseTo(93.2 - delayImpairment(120), 5);
  });

  it("takes an unknown codec or missing figures as G.711 and zero, never NaN", () => {
    const q = estimateQuality({ rttMs: Number.NaN, jitterMs: -3, lossPercent: Number.NaN, codec: "G729" });
    expect(q.r).toBeCloseTo(93.2 - delayImpairment(20), 5);
    expect(Number.isFinite(q.mos)).toBe(true);
    expect(estimateQuality({ jitterMs: 0, lossPercent: 2 }).r).toBe(estimateQuality({ jitterMs: 0, lossPercent: 2, codec: "PCMA" }).r);
  });
});
