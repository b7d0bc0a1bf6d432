import type { UserAgent } from "sip.js";
import type { IncomingResponse } from "sip.js/lib/core/index.js";

/**
 * The arithmetic of a registration's lifetime: what the registrar granted, when to refresh it,
 * and how long a Retry-After makes us wait. Pure functions, unit-tested.
 */

/**
 * When to refresh a registration granted for `expires` seconds: at `ratio` of it, but at least
 * 90 s before it runs out (a hidden tab's timers may fire a minute late under Chrome's intensive
 * throttling), and not before half of it (a short expiry is refreshed at half time).
 */
export function refreshDelayMs(expires: number, ratio: number): number {
  const seconds = Math.max(expires * 0.5, Math.min(expires * ratio, expires - 90));
  return seconds * 1000;
}

/**
 * The expiry the registrar granted (it may shorten ours): our Contact's `expires`, else the
 * Expires header, else what we asked for. Registrars that rewrite the Contact (SIP.js #852) are
 * matched by the Contact's user part, which SIP.js makes random and unique; a rewritten Contact
 * without any expiry means what we asked for (never NaN: see patches/sip.js+0.21.2.patch).
 */
export function grantedExpires(response: IncomingResponse, ua: UserAgent, asked: number): number {
  return clampExpires(grantedByRegistrar(response, ua, asked));
}

/**
 * The registration lifetimes we act on. A registrar may shorten ours, but "expires=1" would
 * make us re-REGISTER twice a second (real registrars grant 60 s or more: Kamailio's and
 * Asterisk's minimum), and a huge one overflows timers (2^31 ms is ~24.8 days).
 */
export const MIN_GRANTED_EXPIRES_S = 30;
export const MAX_GRANTED_EXPIRES_S = 86_400;

export function clampExpires(seconds: number): number {
  return Math.min(Math.max(seconds, MIN_GRANTED_EXPIRES_S), MAX_GRANTED_EXPIRES_S);
}

function grantedByRegistrar(response: IncomingResponse, ua: UserAgent, asked: number): number {
  const msg = response.message;
  const ours = ua.contact.uri.user;
  const n = msg.getHeaders("contact").length;
  for (let i = 0; i < n; i++) {
    const c = msg.parseHeader("contact", i) as { uri?: { user?: string }; getParam(p: string): string | undefined } | undefined;
    if (c && c.uri?.user === ours) {
      const e = Number(c.getParam("expires"));
      if (Number.isFinite(e) && e > 0) return e;
    }
  }
  const header = Number(msg.getHeader("expires"));
  return Number.isFinite(header) && header > 0 ? header : asked;
}

/** The longest Retry-After we honour: beyond it a timer overflows (~24.8 days) or the line looks dead. */
export const MAX_RETRY_AFTER_S = 3600;

/**
 * Milliseconds a Retry-After header asks us to wait, clamped to [1 s, MAX_RETRY_AFTER_S];
 * undefined when there is none or it is not a number. (setTimeout fires at once for delays
 * above 2^31-1 ms, which would turn a huge Retry-After into a REGISTER storm.)
 */
export function retryAfterMs(header: string | undefined): number | undefined {
  const seconds = Number(header?.split(/[\s;(]/)[0]);
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  return Math.min(Math.max(seconds, 1), MAX_RETRY_AFTER_S) * 1000;
}
