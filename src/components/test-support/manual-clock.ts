import type { FrameClock } from "../frame-gate.js";

/** Frames and timers that run when the test says. */
export class ManualClock implements FrameClock {
  frames: Array<() => void> = [];
  timers = new Map<number, { callback: () => void; ms: number }>();
  isHidden = false;
  private ids = 0;
  requestFrame(callback: () => void): void {
    this.frames.push(callback);
  }
  setTimer(callback: () => void, ms: number): unknown {
    this.timers.set(++this.ids, { callback, ms });
    return this.ids;
  }
  clearTimer(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  hidden(): boolean {
    return this.isHidden;
  }
  frame(): void {
    const due = this.frames;
    this.frames = [];
    for (const f of due) f();
  }
  fireTimers(): void {
    const due = [...this.timers.values()];
    this.timers.clear();
    for (const t of due) t.callback();
  }
}
