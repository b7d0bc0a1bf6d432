/**
 * Waiting for the next frame, one promise for everyone who waits before it comes.
 *
 * Line events come one per SIP message, each in a task of its own: 1000 lines registering send
 * about 3000 of them, and Lit renders once per task, so every component that lists the lines
 * rendered all of them 3000 times (npm run bench, "1000 lines": most of 8 s of main thread).
 * Waiting here renders them once a frame, just before it is painted: what is on screen is the
 * same, only the renders nobody saw are gone.
 *
 * A hidden page gets no frames (browsers pause requestAnimationFrame), so it does not wait:
 * its components render as before, and code that awaits `updateComplete` is not held up. A
 * frame that does not come while visible is waited for `FALLBACK_MS` at most.
 */

/** The browser's frames and timers, swappable for tests. */
export interface FrameClock {
  requestFrame(callback: () => void): void;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  hidden(): boolean;
}

/** The longest wait for a frame that does not come (a busy or throttled page still renders). */
export const FALLBACK_MS = 100;

const browserClock: FrameClock = {
  requestFrame: (callback) => requestAnimationFrame(() => callback()),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  hidden: () => typeof document === "undefined" || document.visibilityState === "hidden" || typeof requestAnimationFrame !== "function",
};

export class FrameGate {
  private waiting: Promise<void> | undefined;

  constructor(private readonly clock: FrameClock = browserClock) {}

  /** Resolves just before the next frame; undefined when no frame is coming (go now). */
  next(): Promise<void> | undefined {
    if (this.clock.hidden()) return undefined;
    this.waiting ??= new Promise<void>((resolve) => {
      let opened = false;
      const open = () => {
        if (opened) return;
        opened = true;
        this.waiting = undefined;
        this.clock.clearTimer(timer);
        resolve();
      };
      const timer = this.clock.setTimer(open, FALLBACK_MS);
      this.clock.requestFrame(open);
    });
    return this.waiting;
  }
}

/** The page's gate: all components wait for the same frame and render in it together. */
export const frames = new FrameGate();
