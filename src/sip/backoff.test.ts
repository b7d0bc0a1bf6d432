import { describe, expect, it } from "vitest";
import { Backoff } from "./backoff.js";

describe("Backoff", () => {
  it("doubles from 1 s and never exceeds 60 s", () => {
    const b = new Backoff(1000, 60_000, () => 0.5);
    const delays = Array.from({ length: 10 }, () => b.next());
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000]);
  });

  it("spreads each delay by ±25 %", () => {
    expect(new Backoff(1000, 60_000, () => 0).next()).toBe(750);
    expect(new Backoff(1000, 60_000, () => 0.999999).next()).toBe(1250);
    const capped = new Backoff(1000, 60_000, () => 0.999999);
    for (let i = 0; i < 20; i++) expect(capped.next()).toBeLessThanOrEqual(60_000);
  });

  it("starts over after reset()", () => {
    const b = new Backoff(1000, 60_000, () => 0.5);
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(1000);
  });
});
