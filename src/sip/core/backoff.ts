/**
 * Reconnection delays, drawn at random within doubling steps so that phones that lost their
 * server at the same instant do not come back in lock-step: the first from `floorMs` up to
 * `minMs`, each later one from half its step up to the step ("equal jitter").
 *
 * Two phases: for the first `fastPhaseMs` of an outage the step doubles from `minMs` but stays
 * under `fastCapMs`, so a server that comes back (restart, failover) has every line registered
 * again within `fastCapMs`; after that it keeps doubling up to `maxMs`, so a long outage costs
 * the server little. Connection attempts of lines that share a socket are also merged (see
 * websocket-flow.ts), so this is per server, not per line. `npm run bench` simulates a proxy
 * restart with 10 000 phones on this code (e2e/bench/reconnect-sim.mjs): with the line's
 * timings (2 s, 5 s cap) a 15 s restart sees at most about 4 500 REGISTERs a second, all back
 * within 5 s of its return; it was 7 200 a second with the earlier ±25 % around 1, 2, 3 s.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export interface BackoffOptions {
  minMs?: number;
  maxMs?: number;
  fastPhaseMs?: number;
  fastCapMs?: number;
  /** The first retry comes no sooner than this. */
  floorMs?: number;
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
      floorMs: 500,
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
    const low = this.attempt === 1 ? Math.min(base, this.o.floorMs) : base / 2;
    return Math.round(low + (base - low) * this.o.random());
  }

  reset(): void {
    this.attempt = 0;
    this.since = undefined;
  }

  get attempts(): number {
    return this.attempt;
  }
}
