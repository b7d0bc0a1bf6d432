import type { Invitation, LogConnector, Message, Notification, SessionDescriptionHandlerFactory } from "sip.js";
import type { Clock } from "../core/clock.js";
import type { SocketLivenessMap } from "./keep-alive.js";
import type { Line } from "./line.js";
import type { TransportConstructor } from "./platform.js";

/** The timings of a line (tests shorten them) and what it needs from the phone. */
export interface LineTiming {
  /** Wait after an authentication failure before trying again (a wrong password must not storm). */
  authRetryMs: number;
  /** Interval of the OPTIONS ping that detects a dead WebSocket. */
  keepAliveMs: number;
  /** How long a ping may go unanswered before the socket is declared dead. */
  keepAliveTimeoutMs: number;
  /** Share of the granted expiry after which the registration is refreshed. */
  refreshRatio: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  /** Early in an outage, retry at most this far apart (a restarted server is back in seconds). */
  backoffFastCapMs: number;
  backoffFastPhaseMs: number;
}

export const DEFAULT_LINE_TIMING: LineTiming = {
  authRetryMs: 60_000,
  keepAliveMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  // Chrome throttles timers of hidden tabs to once a minute: refresh at 75 % so that a 600 s
  // registration is refreshed at 450 s and a late timer still lands well before expiry.
  refreshRatio: 0.75,
  backoffMinMs: 2000,
  backoffMaxMs: 60_000,
  // A restarted server has every line back within 5 s of its return; the random draws within
  // the steps spread the load (src/sip/core/backoff.ts, the bench's reconnect simulation).
  backoffFastCapMs: 5000,
  backoffFastPhaseMs: 5 * 60_000,
};

export interface LineDeps {
  /** What the lines of this phone know of each server's socket (one keep-alive per socket). */
  liveness?: SocketLivenessMap;
  sdhFactory: SessionDescriptionHandlerFactory;
  onInvite(line: Line, invitation: Invitation): void;
  /** An out-of-dialog NOTIFY (unsolicited message waiting); it MUST be answered. */
  onNotify?(line: Line, notification: Notification): void;
  /** An incoming MESSAGE that passed the request screen; it MUST be answered. */
  onMessage?(line: Line, message: Message): void;
  transportConstructor: TransportConstructor;
  timing?: Partial<LineTiming>;
  clock?: Clock;
  logConnector?: LogConnector;
  /**
   * Resolves true when this device has no network at all (the page's own server is unreachable
   * too). Then a failed connection is reported `offline` instead of blaming the SIP server.
   * `navigator.onLine` is not used: it only says whether an interface is up.
   */
  probeOffline?: () => Promise<boolean>;
}
