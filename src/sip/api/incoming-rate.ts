/**
 * How often one caller may make the phone ring: at most RING_LIMIT calls per RING_WINDOW_MS
 * from the same From address (user@host). More are refused with 486 Busy Here and a Retry-After
 * saying when the caller may ring again (RFC 3261 21.4.24 allows it on 486). 486 rather than 503:
 * a proxy turns a 503 into 500 or tries other branches (RFC 3261 16.7), and 503 means the whole
 * phone is overloaded, while only this caller is limited; 486 is also what MAX_RINGING answers.
 *
 * Why the From address: every request reaches a WebRTC phone over its proxy's WebSocket, so the
 * top Via and the socket are always the proxy's, the same for every caller. From is the caller's
 * identity as the proxy let it through (the proxy must authenticate its own users; a spoofed
 * From changes the key, which MAX_RINGING and the ring timeout still bound). The limit is loose
 * enough for real callers: a queue re-ringing an agent every 15-20 s, several withheld callers
 * sharing anonymous@anonymous.invalid. A call the user answered was wanted and stops counting
 * (`forgive`): only calls that rang in vain make up a flood (a colleague calling back and forth,
 * or our own benchmark's hundred answered calls, are not one).
 */
export const RING_LIMIT = 20;
export const RING_WINDOW_MS = 60_000;
/**
 * Text messages one sender may send a minute (messaging.ts): a person types a few; a script or
 * an SMS gateway replaying its backlog sends more, and the rest get 486 with Retry-After and are
 * sent again later by a well-behaved gateway, rather than flooding the page's storage and
 * notifications.
 */
export const MESSAGE_LIMIT = 30;
/** Callers remembered at most (a flood of invented From addresses must not grow memory). */
const MAX_SOURCES = 1000;

export class IncomingRateLimit {
  /** When each recent call of a source rang, oldest first. */
  private readonly rang = new Map<string, number[]>();

  /** `limit` requests per `windowMs` per source (calls by default; MESSAGE_LIMIT for messages). */
  constructor(
    private readonly limit = RING_LIMIT,
    private readonly windowMs = RING_WINDOW_MS,
  ) {}

  /**
   * Counts a call from `source` that is about to ring at `now`; returns undefined when it may,
   * else the whole seconds until the oldest counted call is out of the window again.
   */
  admit(source: string, now: number): number | undefined {
    const key = source.toLowerCase();
    const recent = (this.rang.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.limit) {
      this.rang.set(key, recent);
      return Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
    }
    recent.push(now);
    this.rang.delete(key);
    this.rang.set(key, recent);
    if (this.rang.size > MAX_SOURCES) this.forgetOld(now);
    return undefined;
  }

  /** The call from `source` that rang at `at` was answered: it no longer counts. */
  forgive(source: string, at: number): void {
    const recent = this.rang.get(source.toLowerCase());
    const i = recent?.indexOf(at) ?? -1;
    if (i >= 0) recent!.splice(i, 1);
  }

  private forgetOld(now: number): void {
    for (const [key, times] of this.rang) if (now - times[times.length - 1]! >= this.windowMs) this.rang.delete(key);
    // Still too many: the least recently seen go (Map keeps insertion order; admit re-inserts).
    for (const key of this.rang.keys()) {
      if (this.rang.size <= MAX_SOURCES) break;
      this.rang.delete(key);
    }
  }
}
