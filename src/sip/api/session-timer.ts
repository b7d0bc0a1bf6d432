import type { Clock, TimerHandle } from "../core/clock.js";

/**
 * Session timers (RFC 4028): a call whose other side vanished without a BYE (a crashed phone,
 * a lost network) is found out and ended. One side, the refresher, re-INVITEs every half
 * interval; if the other side sees no refresh by the end of the interval (less a margin), it
 * sends BYE. The negotiation is plain header arithmetic, kept here as pure functions; the
 * SessionTimer runs the clock for one call.
 */

/** What we ask for: 30 min, as desk phones do (RFC 4028 recommends 1800 s). */
export const DEFAULT_SESSION_EXPIRES = 1800;
/** The smallest interval we accept (RFC 4028 4: Min-SE is never below 90 s). */
export const MIN_SE = 90;
/** Intervals above this are taken as this: a day without a refresh finds nothing out. */
const MAX_SESSION_EXPIRES = 86_400;

export type Refresher = "uac" | "uas";

export interface SessionTerms {
  /** Session interval in seconds. */
  interval: number;
  /** Who re-INVITEs: the side that sent the INVITE (uac) or the one that answered it (uas). */
  refresher: Refresher;
}

/** `Session-Expires: 1800;refresher=uac` → its parts; undefined when absent or malformed. */
export function parseSessionExpires(header: string | undefined): { interval: number; refresher?: Refresher } | undefined {
  const m = /^\s*(\d{1,10})\s*(?:;(.*))?$/.exec(header ?? "");
  if (!m) return undefined;
  const interval = Number(m[1]);
  if (!Number.isSafeInteger(interval) || interval <= 0) return undefined;
  const refresher = /(?:^|;)\s*refresher\s*=\s*(uac|uas)\s*(?:;|$)/i.exec(m[2] ?? "")?.[1]?.toLowerCase() as Refresher | undefined;
  return { interval: Math.min(interval, MAX_SESSION_EXPIRES), ...(refresher ? { refresher } : {}) };
}

/** `Min-SE: 90` → 90; undefined when absent or malformed. */
export function parseMinSe(header: string | undefined): number | undefined {
  const m = /^\s*(\d{1,10})\s*(?:;.*)?$/.exec(header ?? "");
  return m ? Number(m[1]) : undefined;
}

/** Headers of our INVITE: we support timers (UA option) and ask for this interval. */
export function offerHeaders(interval = DEFAULT_SESSION_EXPIRES): string[] {
  return [`Session-Expires: ${interval}`, `Min-SE: ${MIN_SE}`];
}

export type IncomingTerms =
  /** The caller asked for less than we accept: answer 422 with our Min-SE (RFC 4028 8.1). */
  | { action: "reject"; statusCode: 422; headers: string[] }
  /** Answer with these headers; run a timer with `terms` (none when the caller did not ask). */
  | { action: "accept"; headers: string[]; terms?: SessionTerms };

/**
 * What we answer an INVITE that may ask for session timers (RFC 4028 9). With a
 * Session-Expires we take its interval (raised to its Min-SE), and say who refreshes: the one
 * it named, else the caller when it supports timers (it then must, `Require: timer`), else us.
 * Without one we run no timer: RFC 4028 lets us add one, but a caller that never asked might
 * not answer our refreshes, and the RTP timeout finds dead calls anyway.
 */
export function answerTerms(request: { sessionExpires?: string; minSe?: string; supported: string[] }): IncomingTerms {
  const asked = parseSessionExpires(request.sessionExpires);
  if (!asked) return { action: "accept", headers: [] };
  if (asked.interval < MIN_SE) return { action: "reject", statusCode: 422, headers: [`Min-SE: ${MIN_SE}`] };
  const callerSupports = request.supported.some((tag) => tag.trim().toLowerCase() === "timer");
  const interval = Math.max(asked.interval, parseMinSe(request.minSe) ?? 0, MIN_SE);
  const refresher: Refresher = asked.refresher ?? (callerSupports ? "uac" : "uas");
  const headers = [`Session-Expires: ${interval};refresher=${refresher}`];
  // We may only require what the caller supports (RFC 4028 9).
  if (callerSupports) headers.push("Require: timer");
  return { action: "accept", headers, terms: { interval, refresher } };
}

/**
 * The terms of a call we placed, from its 2xx (RFC 4028 7.2): the answer's Session-Expires
 * and refresher when it has one; without one the callee does not do timers, and we refresh
 * ourselves at the interval we asked for, since a re-INVITE works with any phone.
 */
export function offerTerms(answer: { sessionExpires?: string }, asked = DEFAULT_SESSION_EXPIRES): SessionTerms {
  const got = parseSessionExpires(answer.sessionExpires);
  if (!got) return { interval: asked, refresher: "uac" };
  return { interval: Math.max(got.interval, MIN_SE), refresher: got.refresher ?? "uac" };
}

/**
 * Runs one call's session timer. The refresher refreshes at half the interval; the other side
 * ends the call when no refresh came by the interval less min(32 s, interval/3) (RFC 4028 10).
 * Every refresh (ours or theirs, a re-INVITE or UPDATE answered 2xx) starts a new interval.
 */
export class SessionTimer {
  private handle: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private terms: SessionTerms,
    private readonly weRefresh: (terms: SessionTerms) => boolean,
    private readonly on: { refresh(): void; expire(): void },
  ) {
    this.arm();
  }

  get current(): SessionTerms {
    return this.terms;
  }

  /** A refresh went through: a new interval starts (with new terms when the refresh changed them). */
  refreshed(terms: SessionTerms = this.terms): void {
    this.terms = terms;
    this.arm();
  }

  stop(): void {
    this.clock.clearTimeout(this.handle);
    this.handle = undefined;
  }

  private arm(): void {
    this.stop();
    const { interval } = this.terms;
    if (this.weRefresh(this.terms)) {
      this.handle = this.clock.setTimeout(() => this.on.refresh(), (interval / 2) * 1000);
    } else {
      const margin = Math.min(32, interval / 3);
      this.handle = this.clock.setTimeout(() => this.on.expire(), (interval - margin) * 1000);
    }
  }
}

/**
 * One call's session timer, as the call sees it: started from the negotiated terms, refreshed
 * by every re-INVITE either side gets a 2xx for, the headers our re-INVITEs carry. Terms name
 * the refresher from the first INVITE's side (uac = who placed the call).
 */
export class CallSessionTimer {
  private timer: SessionTimer | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly direction: "in" | "out",
    private readonly on: { refresh(): void; expire(): void },
  ) {}

  start(terms: SessionTerms): void {
    this.timer?.stop();
    this.timer = new SessionTimer(this.clock, terms, (t) => this.weRefresh(t), this.on);
  }

  /** Our re-INVITE got its 2xx: a refresh. */
  refreshed(): void {
    this.timer?.refreshed();
  }

  /** The other side re-INVITEd: with a Session-Expires that is a refresh, without one timers stop (RFC 4028 9). */
  theyRefreshed(header: string | undefined): void {
    if (!this.timer) return;
    const asked = parseSessionExpires(header);
    if (!asked) return this.stop();
    // Their re-INVITE names the refresher from its own side: they are its UAC.
    const ours: Refresher = this.direction === "out" ? "uac" : "uas";
    const theirs: Refresher = ours === "uac" ? "uas" : "uac";
    this.timer.refreshed({ interval: Math.max(asked.interval, MIN_SE), refresher: asked.refresher === "uas" ? ours : theirs });
  }

  /** Session-Expires for a re-INVITE we send, the refresher named from its side (we are its UAC). */
  headers(): string[] {
    const terms = this.timer?.current;
    return terms ? [`Session-Expires: ${terms.interval};refresher=${this.weRefresh(terms) ? "uac" : "uas"}`] : [];
  }

  stop(): void {
    this.timer?.stop();
    this.timer = undefined;
  }

  private weRefresh(terms: SessionTerms): boolean {
    return (terms.refresher === "uac") === (this.direction === "out");
  }
}
