/**
 * Reconnection delays. Each is drawn between half of its step and the whole step ("equal
 * jitter": the steps double from `minMs`), so that phones that lost their server at the same
 * instant do not come back in lock-step: a proxy restart with 10 000 phones behind it sees
 * their REGISTERs spread over the last step instead of in one burst. `npm run bench` runs the
 * simulation (e2e/bench/reconnect-sim.mjs) and prints the peak rate and the time until all are
 * back. (It was ±25 % around the step: 10 000 phones came back within 3 s of the proxy, at
 * 7 000 REGISTERs a second, each challenged: twice that in requests.)
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 *
 * Two phases: for the first `fastPhaseMs` of an outage the delay doubles from `minMs` but stays
 * under `fastCapMs`, so a server that comes back (restart, failover) has its lines registered
 * again within seconds; after that it keeps doubling up to `maxMs`, so a long outage costs the
 * server little. Connection attempts of lines that share a socket are also merged (see
 * websocket-flow.ts), so this is per server, not per line.
 */
export interface BackoffOptions {
  minMs?: number;
  maxMs?: number;
  fastPhaseMs?: number;
  fastCapMs?: number;
  /** The first retry is drawn from [firstLowMs, minMs] (a wider window than the later steps). */
  firstLowMs?: number;
  random?: () => number;
  now?: () => number;
}

export class Backoff {
  private attempt = 0;
  private since: number | undefined;
  private readonly o: Required<BackoffOptions>;

  constructor(options: BackoffOptions = {}) {
    this.o = {
      minMs: 1000,
      maxMs: 60_000,
      fastPhaseMs: 0,
      fastCapMs: 60_000,
      firstLowMs: 500,
      random: Math.random,
      now: Date.now,
      ...options,
    };
  }

  /** Delay before the next attempt; each call counts one more failure. */
  next(): number {
    const now = this.o.now();
    this.since ??= now;
    const fast = now - this.since < this.o.fastPhaseMs;
    const cap = fast ? Math.min(this.o.fastCapMs, this.o.maxMs) : this.o.maxMs;
    const base = Math.min(cap, this.o.minMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    // The first retry may come soon (most losses are one user's network), but spread widely.
    const low = this.attempt === 1 ? Math.min(1, this.o.firstLowMs / base) : 0.5;
    return Math.round(base * (low + (1 - low) * this.o.random()));
  }

  reset(): void {
    this.attempt = 0;
    this.since = undefined;
  }

  get attempts(): number {
    return this.attempt;
  }
}
