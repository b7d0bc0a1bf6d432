import type { TargetProblem } from "../core/header-guard.js";
import type { TransferFailure } from "./call-transfer.js";

/**
 * Why something failed, as data: `src/sip` reports codes and the facts a sentence needs; the
 * components turn them into words (and translations). Each union member is one situation.
 */

/** Why a call failed or ended badly (CallSnapshot.failure). */
export type CallFailure =
  /** The INVITE got a final failure response. */
  | { kind: "rejected"; sipCode: number; reasonPhrase: string }
  /** The microphone could not be opened (the getUserMedia error's name). */
  | { kind: "microphone"; error: string }
  /** Something else went wrong placing or answering the call. */
  | { kind: "error"; detail: string }
  /**
   * A 3xx sent the call elsewhere: a new call follows to `uri`, unless `notFollowed` says why
   * not (another domain or too many hops: `uri` is the full address to show; or a target we
   * never call: a `TargetProblem` of core/header-guard.ts).
   */
  | { kind: "redirected"; target: string; uri?: string; notFollowed?: "domain" | "hops" | TargetProblem }
  /** A re-INVITE got 481: the other side has forgotten the call. */
  | { kind: "dialog-gone" }
  /** No session refresh came in time, or ours got no 2xx (RFC 4028): the other side is gone. */
  | { kind: "session-expired" }
  /** A relay-only line (iceTransportPolicy "relay") got no TURN relay: no TURN server reachable, or credentials refused. */
  | { kind: "no-relay" }
  /** The 2xx's answer could not be used (no codec in common: ACK and BYE with Reason 488; or no SDP). */
  | { kind: "answer-refused" }
  /** No media from the other side for `seconds` (the line's rtpTimeout). */
  | { kind: "rtp-timeout"; seconds: number }
  /** A transfer we started failed (the call may still be up). */
  | { kind: "transfer"; target: string; failure: TransferFailure }
  /** A click-to-call leg failed at `stage` (see click-to-call.ts). */
  | {
      kind: "click-to-call";
      mode: "desk" | "reverse";
      stage: "invite" | "refer" | "notify" | "timeout" | "error";
      target: string;
      sipCode?: number;
      seconds?: number;
      detail?: string;
    };

/** Why a line is not registered (LineSnapshot.error). */
export type LineFailure =
  /** 401/403/407 to REGISTER: retried once a minute at most. */
  | { kind: "auth"; code: number; reasonPhrase?: string }
  /** The WebSocket could not be opened or was lost; `next` is the server tried at once. */
  | { kind: "transport"; servers: string[]; next?: string }
  /** The registrar answered 2xx without a binding of ours: calls would not reach us. Retried after the backoff. */
  | { kind: "binding" }
  /** The registrar refused with another code; retried after the backoff or its Retry-After. */
  | { kind: "server"; code: number; reasonPhrase?: string };
