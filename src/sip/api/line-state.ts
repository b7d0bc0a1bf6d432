import type { LineFailure } from "./failures.js";
import type { LineForwarding } from "./forwarding.js";
import type { VoicemailState } from "./message-summary.js";

/**
 * Registration of one line (account): the machine the Line runs.
 *
 * ```
 *            start            connected               2xx
 * disabled ───────▶ connecting ─────────▶ registering ─────▶ registered ◀─┐ refresh 2xx
 *    ▲                │   ▲                 │  │  ▲             │  │  └───┘
 *    │   socket fails │   │ retry timer     │  │  └─ refresh ───┘  │ socket lost / ping unanswered
 *    │                ▼   │                 │  │                   ▼
 *    │             retry-wait ◀── 5xx/4xx ──┘  └── 401/403/407 ──▶ auth-failed ──(1 min)──▶ registering
 *    │                                                                             or connecting
 *    └─── unregistering ◀── stop() from any state but disabled
 * ```
 * `connected` takes the place of `registering`/`registered` for a line with `register: false`
 * (outgoing calls only). `retry-wait` is "a retry is scheduled" (socket or server failure, with
 * backoff or Retry-After); `auth-failed` is final: retried at most once a minute so a wrong
 * password cannot storm the PBX. Both are `failed` to the outside (`LineState`), with the
 * failure as data in `error`.
 */
export enum LinePhase {
  Disabled = "disabled",
  Connecting = "connecting",
  Registering = "registering",
  Registered = "registered",
  Connected = "connected",
  RetryWait = "retry-wait",
  AuthFailed = "auth-failed",
  Unregistering = "unregistering",
}

export const LINE_MOVES: Readonly<Record<LinePhase, readonly LinePhase[]>> = {
  [LinePhase.Disabled]: [LinePhase.Connecting],
  [LinePhase.Connecting]: [LinePhase.Registering, LinePhase.Connected, LinePhase.RetryWait, LinePhase.Unregistering],
  [LinePhase.Registering]: [LinePhase.Registered, LinePhase.RetryWait, LinePhase.AuthFailed, LinePhase.Unregistering],
  [LinePhase.Registered]: [LinePhase.Registering, LinePhase.RetryWait, LinePhase.AuthFailed, LinePhase.Unregistering],
  [LinePhase.Connected]: [LinePhase.RetryWait, LinePhase.Unregistering],
  [LinePhase.RetryWait]: [LinePhase.Connecting, LinePhase.Registering, LinePhase.Connected, LinePhase.Unregistering],
  [LinePhase.AuthFailed]: [LinePhase.Connecting, LinePhase.Registering, LinePhase.RetryWait, LinePhase.Unregistering],
  [LinePhase.Unregistering]: [LinePhase.Disabled],
};

/** What the outside sees of a line's phase (the string values are public API). */
export enum LineState {
  Disabled = "disabled",
  Connecting = "connecting",
  Registering = "registering",
  Registered = "registered",
  Unregistering = "unregistering",
  Failed = "failed",
  Connected = "connected",
}

export function publicState(phase: LinePhase): LineState {
  return phase === LinePhase.RetryWait || phase === LinePhase.AuthFailed ? LineState.Failed : (phase as string as LineState);
}

export type { LineFailure };

export type LineError = LineFailure & {
  /** When the line will try again by itself (ms since epoch), if it will. */
  retryAt?: number;
  /** How long the line decided to wait before that retry, in ms. */
  retryInMs?: number;
  /** No network at all (the page's own server is unreachable too): offline, not broken. */
  offline?: boolean;
  /** The sentence for the failure: added by the UI layer, never by src/sip. */
  message?: string;
};

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
  /** Calls to this line are forwarded there (unconditional forwarding: `forward.always.to`). */
  forwardTo?: string;
  /** Every forwarding mode that is on, with its target (and seconds, for no answer). */
  forward?: LineForwarding;
  /** The line has a desk phone for click-to-call, and what a dial does by default. */
  deskPhone?: string;
  clickToCall?: "browser" | "desk" | "reverse";
  /** Message waiting (RFC 3842), once the server has said: the lamp and the counts. */
  voicemail?: VoicemailState;
  /** What "Call voicemail" dials (the account's `voicemailNumber`). */
  voicemailNumber?: string;
}
