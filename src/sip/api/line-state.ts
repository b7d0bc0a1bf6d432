/**
 * Registration state of one line (account).
 *
 * ```
 *            enable                 connected              2xx
 * disabled ─────────▶ connecting ─────────────▶ registering ─────▶ registered
 *    ▲                  │  ▲                      │    ▲             │   │
 *    │                  │  │ retry (backoff)      │    │ refresh/    │   │ socket lost
 *    │                  ▼  │                      ▼    │ reconnect   │   ▼
 *    │                 failed ◀───────────────────┴────┼─────────────┘ connecting
 *    │                                                 │
 *    └──────────── unregistering ◀── (disable from any state but disabled)
 * ```
 * `connected` replaces `registering`/`registered` for a line with `register: false` (outgoing
 * calls only): connected to its server, nothing registered.
 * `failed` carries a reason (`auth`, `transport`, `server`) and, for SIP failures, the code.
 * `auth` is final: it is retried at most once a minute so a wrong password cannot storm the PBX.
 */
export enum LineState {
  Disabled = "disabled",
  Connecting = "connecting",
  Registering = "registering",
  Registered = "registered",
  Unregistering = "unregistering",
  Failed = "failed",
  Connected = "connected",
}

export const LINE_MOVES: Readonly<Record<LineState, readonly LineState[]>> = {
  [LineState.Disabled]: [LineState.Connecting],
  [LineState.Connecting]: [LineState.Registering, LineState.Connected, LineState.Failed, LineState.Unregistering, LineState.Disabled],
  [LineState.Registering]: [LineState.Registered, LineState.Failed, LineState.Connecting, LineState.Unregistering, LineState.Disabled],
  [LineState.Registered]: [LineState.Registering, LineState.Connecting, LineState.Failed, LineState.Unregistering, LineState.Disabled],
  [LineState.Unregistering]: [LineState.Disabled],
  [LineState.Failed]: [LineState.Connecting, LineState.Registering, LineState.Connected, LineState.Unregistering, LineState.Disabled],
  [LineState.Connected]: [LineState.Connecting, LineState.Failed, LineState.Unregistering, LineState.Disabled],
};

export type LineFailure = "auth" | "transport" | "server";

export interface LineError {
  kind: LineFailure;
  /** SIP status code, when the failure was a SIP response. */
  code?: number;
  /** A sentence for the user. */
  message: string;
  /** When the line will try again by itself (ms since epoch), if it will. */
  retryAt?: number;
  /** The browser says it has no network: the line is offline, not broken. */
  offline?: boolean;
}

/** What the UI and host pages see of a line. */
export interface LineSnapshot {
  id: string;
  label: string;
  aor: string;
  state: LineState;
  error?: LineError;
  /** Server currently used (or last tried). */
  server: string;
  /** Do-not-disturb is on for this line (or for all lines). */
  dnd?: boolean;
  /** Calls to this line are forwarded there. */
  forwardTo?: string;
  /** The line has a desk phone for click-to-call, and what a dial does by default. */
  deskPhone?: string;
  clickToCall?: "browser" | "desk" | "reverse";
}
