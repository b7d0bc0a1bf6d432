/**
 * Time for the SIP layer's own timers (registration refresh, keep-alive, retries, ring and
 * transfer timeouts), behind one swappable object. Unit tests drive it with vitest's fake timers
 * (which also drive SIP.js's transaction timers); a host could give a clock that survives
 * throttled background tabs.
 */
export type TimerHandle = ReturnType<typeof setTimeout>;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

/** The real clock. Reads the globals at call time, so vitest's fake timers replace them. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle),
};

/** A promise that resolves after `ms` on `clock`. */
export function delay(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

/**
 * A set of timers that can all be cleared at once (a line that stops, a call that ends):
 * nothing of a stopped object fires later.
 */
export class Timers {
  private readonly live = new Set<TimerHandle>();

  constructor(private readonly clock: Clock) {}

  after(ms: number, fn: () => void): TimerHandle {
    const handle = this.clock.setTimeout(() => {
      this.live.delete(handle);
      fn();
    }, ms);
    this.live.add(handle);
    return handle;
  }

  cancel(handle: TimerHandle | undefined): undefined {
    if (handle !== undefined) {
      this.clock.clearTimeout(handle);
      this.live.delete(handle);
    }
    return undefined;
  }

  cancelAll(): void {
    for (const h of this.live) this.clock.clearTimeout(h);
    this.live.clear();
  }
}
