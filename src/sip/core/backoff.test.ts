import { describe, expect, it } from "vitest";
import { Backoff } from "./backoff.js";

const top = () => 0.999999;

describe("Backoff", () => {
  it("doubles from 1 s up to 60 s (each delay at most its step)", () => {
    const b = new Backoff({ random: top });
    const delays = Array.from({ length: 10 }, () => b.next());
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000]);
  });

  it("draws the first retry from [firstLowMs, minMs], each later one from half its step to the whole step", () => {
    expect(new Backoff({ random: () => 0 }).next()).toBe(500);
    expect(new Backoff({ random: top }).next()).toBe(1000);
    expect(new Backoff({ minMs: 4000, random: () => 0 }).next()).toBe(500);
    const low = new Backoff({ minMs: 4000, random: () => 0 });
    low.next();
    expect([low.next(), low.next()]).toEqual([4000, 8000]);
  });

  it("stays under the fast cap early in an outage, then grows to the maximum", () => {
    let t = 0;
    const b = new Backoff({ minMs: 4000, fastPhaseMs: 300_000, fastCapMs: 10_000, random: top, now: () => t });
    const early: number[] = [];
    while (t < 300_000) {
      const d = b.next();
      early.push(d);
      t += d;
    }
    expect(Math.max(...early)).toBeLessThanOrEqual(10_000);
    expect(Math.min(...early.slice(3))).toBeGreaterThanOrEqual(5000);
    const late = Array.from({ length: 8 }, () => b.next());
    expect(late.at(-1)).toBe(60_000);
  });

  it("starts over after reset()", () => {
    const b = new Backoff({ random: top });
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(1000);
  });
});
