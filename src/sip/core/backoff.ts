/**
 * Reconnection delays, each spread by ±25 % so that many lines and many users do not reconnect
 * in lock-step after an outage.
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
  random?: () => number;
  now?: () => number;
}

export class Backoff {
  private attempt = 0;
  private since: number | undefined;
  private readonly o: Required<BackoffOptions>;

  constructor(options: BackoffOptions = {}) {
    this.o = { minMs: 1000, maxMs: 60_000, fastPhaseMs: 0, fastCapMs: 60_000, random: Math.random, now: Date.now, ...options };
  }

  /** Delay before the next attempt; each call counts one more failure. */
  next(): number {
    const now = this.o.now();
    this.since ??= now;
    const fast = now - this.since < this.o.fastPhaseMs;
    const cap = fast ? Math.min(this.o.fastCapMs, this.o.maxMs) : this.o.maxMs;
    const base = Math.min(cap, this.o.minMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.min(cap, Math.round(base * (0.75 + 0.5 * this.o.random())));
  }

  reset(): void {
    this.attempt = 0;
    this.since = undefined;
  }

  get attempts(): number {
    return this.attempt;
  }
}
