import { describe, expect, it } from "vitest";
import { FALLBACK_MS, FrameGate } from "./frame-gate.js";
import { ManualClock } from "./test-support/manual-clock.js";

/** Whether a promise has settled once pending callbacks have run. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

describe("FrameGate", () => {
  it("lets everyone who waits before a frame through at that frame, with one request", async () => {
    const clock = new ManualClock();
    const gate = new FrameGate(clock);
    const a = gate.next()!;
    const b = gate.next()!;
    expect(b).toBe(a);
    expect(clock.frames).toHaveLength(1);
    expect(await settled(a)).toBe(false);
    clock.frame();
    expect(await settled(a)).toBe(true);
    expect(clock.timers.size).toBe(0);
  });

  it("waits for the frame after, once a frame has passed", async () => {
    const clock = new ManualClock();
    const gate = new FrameGate(clock);
    const first = gate.next()!;
    clock.frame();
    const second = gate.next()!;
    expect(second).not.toBe(first);
    expect(await settled(second)).toBe(false);
    clock.frame();
    expect(await settled(second)).toBe(true);
  });

  it("does not wait on a hidden page, which gets no frames", () => {
    const clock = new ManualClock();
    clock.isHidden = true;
    expect(new FrameGate(clock).next()).toBeUndefined();
    expect(clock.frames).toHaveLength(0);
  });

  it("stops waiting for a frame that does not come", async () => {
    const clock = new ManualClock();
    const gate = new FrameGate(clock);
    const p = gate.next()!;
    expect([...clock.timers.values()][0]?.ms).toBe(FALLBACK_MS);
    clock.fireTimers();
    expect(await settled(p)).toBe(true);
    // The late frame then opens nothing twice, and the next wait is a new one.
    clock.frame();
    const next = gate.next()!;
    expect(next).not.toBe(p);
    expect(await settled(next)).toBe(false);
  });
});
