import { describe, expect, it } from "vitest";
import { Backoff } from "./backoff.js";

const top = () => 0.999999;

describe("Backoff", () => {
  it("doubles from 1 s up to 60 s (each delay at most its step)", () => {
    const b = new Backoff({ random: top });
    const delays = Array.from({ length: 10 }, () => b.next());
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000]);
  });

  it("draws the first retry from [floorMs, minMs], each later one from half its step to the whole step", () => {
    expect(new Backoff({ random: () => 0 }).next()).toBe(500);
    expect(new Backoff({ random: top }).next()).toBe(1000);
    const low = new Backoff({ minMs: 2000, random: () => 0 });
    expect([low.next(), low.next(), low.next()]).toEqual([500, 2000, 4000]);
  });

  it("stays under the fast cap early in an outage, then grows to the maximum", () => {
    let t = 0;
    const b = new Backoff({ minMs: 2000, fastPhaseMs: 300_000, fastCapMs: 5000, random: () => 0, now: () => t });
    const early: number[] = [];
    while (t < 300_000) {
      const d = b.next();
      early.push(d);
      t += d;
    }
    expect(Math.max(...early)).toBeLessThanOrEqual(5000);
    // Half the capped step at the least: a restarted server is not hammered.
    expect(Math.min(...early.slice(2))).toBe(2500);
    const late = Array.from({ length: 8 }, () => b.next());
    expect(late.at(-1)).toBe(30_000);
  });

  it("starts over after reset()", () => {
    const b = new Backoff({ random: top });
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(1000);
  });
});
