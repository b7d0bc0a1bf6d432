import type { HoldState } from "./call-hold.js";
import type { TransferProgress } from "./call-transfer.js";
import type { CallFailure } from "./failures.js";
import type { VideoSnapshot } from "./video-state.js";
import type { RecordingFailure, RecordingState } from "./recording-media.js";

/**
 * State of one call.
 *
 * ```
 * outgoing:  dialing ──180/183──▶ ringing ──2xx──▶ established ──BYE──▶ terminating ──▶ ended
 *               │                    │                                                  ▲
 *               └────── CANCEL / 4xx-6xx / no microphone ─────────────────────────────────┘
 * incoming:  incoming ──answer──▶ established ...           incoming ──decline/CANCEL──▶ ended
 * ```
 * `ended` carries why (`EndReason`) and, where a SIP response ended it, the code.
 */
export enum CallState {
  Dialing = "dialing",
  Ringing = "ringing",
  Incoming = "incoming",
  Established = "established",
  Terminating = "terminating",
  Ended = "ended",
}

export const CALL_MOVES: Readonly<Record<CallState, readonly CallState[]>> = {
  [CallState.Dialing]: [CallState.Ringing, CallState.Established, CallState.Terminating, CallState.Ended],
  [CallState.Ringing]: [CallState.Established, CallState.Terminating, CallState.Ended],
  [CallState.Incoming]: [CallState.Established, CallState.Terminating, CallState.Ended],
  [CallState.Established]: [CallState.Terminating, CallState.Ended],
  [CallState.Terminating]: [CallState.Ended],
  [CallState.Ended]: [],
};

export type EndReason =
  | "hangup" // we hung up an established call
  | "remote-hangup" // the other side sent BYE
  | "cancelled" // we cancelled our outgoing call before answer
  | "missed" // the caller cancelled before we answered
  | "answered-elsewhere" // another device of the same number answered (CANCEL with Reason SIP;cause=200)
  | "declined-elsewhere" // another device of the same number declined (Reason SIP;cause=600/603)
  | "declined" // we declined an incoming call
  | "rejected" // the callee refused (486/603/...)
  | "failed" // network, server or media failure
  | "transferred" // we transferred the other party elsewhere
  | "redirected" // the callee sent us elsewhere (3xx); a new call follows
  | "replaced" // an INVITE with Replaces took this call's place (the other party was transferred)
  | "no-microphone"; // microphone missing or denied

export type CallDirection = "in" | "out";

/** What the UI and host pages see of a call. */
export interface CallSnapshot {
  id: string;
  lineId: string;
  direction: CallDirection;
  /** The other party's number or SIP user, as it should be shown. */
  remote: string;
  remoteName?: string;
  remoteUri: string;
  state: CallState;
  muted: boolean;
  /** We put the call on hold (or the hold re-INVITE is in flight). */
  held: boolean;
  /** Our hold, with the re-INVITE in flight as its own state (see call-hold.ts). */
  hold?: HoldState;
  /** The other side put us on hold (its offer was sendonly or inactive). */
  heldByRemote: boolean;
  /** The far end's early media plays (a 1xx with SDP): no ringback of ours meanwhile. */
  earlyMedia?: boolean;
  /** Progress of a transfer we started, from the REFER's NOTIFYs (see call-transfer.ts). */
  transfer?: TransferProgress;
  /** A consultation call: the held call it may transfer (completeTransfer) or go back to. */
  consultFor?: string;
  /** This call took the place of another (incoming INVITE with Replaces: we were transferred to). */
  replaces?: string;
  /** Member of the browser-mixed conference: every member hears the others and us. */
  conference?: boolean;
  /**
   * The other party asks to transfer us (REFER) and the user must say yes (policy "ask", or a
   * target outside the line's domain): `target` as shown (a name or number), `uri` the full address.
   */
  referral?: { target: string; uri: string };
  /**
   * A click-to-call leg: `desk` rings our desk phone, then makes it dial `target`; `reverse`
   * calls `target`, then hands it to the desk phone.
   */
  clickToCall?: { mode: "desk" | "reverse"; target: string; deskPhone: string };
  /** Headers of the incoming INVITE that the host page asked for (`<sip-phone headers>`). */
  headers?: Record<string, string>;
  /** The call's video (video-state.ts); absent while the call has never had or been offered any. */
  video?: VideoSnapshot;
  /** This call's recording (absent: never recorded); see recording-media.ts. */
  recording?: RecordingState;
  /** Why the recording failed (with `recording: "failed"`), as a code the UI words. */
  recordingFailure?: RecordingFailure;
  sipCode?: number;
  reason?: EndReason;
  /** Why the call failed or was refused, or why its transfer failed, as data (the UI words it). */
  failure?: CallFailure;
  /**
   * The sentence for `failure`. Never set by src/sip: the UI layer adds it where snapshots
   * leave for a host page or a person (words belong to the UI).
   */
  message?: string;
  startedAt: number;
  answeredAt?: number;
  endedAt?: number;
}
