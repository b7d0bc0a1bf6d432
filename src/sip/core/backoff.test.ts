import { describe, expect, it } from "vitest";
import { Backoff } from "./backoff.js";

describe("Backoff", () => {
  it("doubles from 1 s up to 60 s", () => {
    const b = new Backoff({ random: () => 0.5 });
    const delays = Array.from({ length: 10 }, () => b.next());
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000]);
  });

  it("spreads each delay by ±25 %", () => {
    expect(new Backoff({ random: () => 0 }).next()).toBe(750);
    expect(new Backoff({ random: () => 0.999999 }).next()).toBe(1250);
  });

  it("stays under the fast cap early in an outage, then grows to the maximum", () => {
    let t = 0;
    const b = new Backoff({ fastPhaseMs: 300_000, fastCapMs: 3000, random: () => 0.999999, now: () => t });
    const early: number[] = [];
    while (t < 300_000) {
      const d = b.next();
      early.push(d);
      t += d;
    }
    expect(Math.max(...early)).toBeLessThanOrEqual(3000);
    const late = Array.from({ length: 8 }, () => b.next());
    expect(late.at(-1)).toBe(60_000);
  });

  it("starts over after reset()", () => {
    const b = new Backoff({ random: () => 0.5 });
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(1000);
  });
});
