import { SessionState, type Inviter, type Session } from "sip.js";
import type { IncomingResponse } from "sip.js/lib/core/index.js";
import { getLogger } from "../core/logger.js";
import type { CallEnding } from "./call-ending.js";
import { CallState } from "./call-state.js";
import type { CallFailure } from "./failures.js";
import type { FollowDecision } from "./follow-policy.js";
import { NO_RELAY_ERROR, type MicrophoneAfterOffer } from "./platform.js";

const log = getLogger("call");

/** getUserMedia's errors: the microphone could not be had, said as such rather than as an error. */
const MEDIA_ERRORS = new Set([
  "NotAllowedError",
  "NotFoundError",
  "NotReadableError",
  "OverconstrainedError",
  "SecurityError",
  "AbortError",
]);

/** What the outcome writes on its call, which shows both in its snapshot. */
export interface CallOutcome {
  /** The final response's code. */
  sipCode: number | undefined;
  failure: CallFailure | undefined;
}

/** What the INVITE's outcome needs of its call. */
export interface InvitedCall {
  state(): CallState;
  /** The far end rings: dialing → ringing. */
  ring(): void;
  /** The far end's early media arrived: it plays. */
  playEarly(): void;
  /** Something in the snapshot changed. */
  changed(): void;
  /** The call was established (SIP.js reported it). */
  answered(): boolean;
  /** Whether a 3xx's target is followed (set on the call by the phone; follow-policy.ts). */
  followRedirect(contact: string): FollowDecision | undefined;
  /** How a failed INVITE shows, when the phone says (click-to-call). */
  failureOf(sipCode: number): CallFailure | undefined;
}

/**
 * What became of our INVITE (and why an invite() or answer() failed): the 1xx that make the far
 * end ring or bring its early media, a 3xx followed or not, a final failure, an error before
 * anything was sent (no microphone, no relay), and a 2xx whose answer SIP.js could not use.
 * Each is written on the call as its end reason (call-ending.ts) and its failure.
 */
export class CallInvite {
  /** A 1xx brought the far end's media (183 with SDP): it plays, and no ringback does. */
  private earlyMediaPlaying = false;
  /** Where a 3xx sent this call, when it is followed (the phone places a new call there). */
  redirectTarget: string | undefined;

  constructor(
    private readonly id: string,
    private readonly session: Session,
    /** We placed the call (a refused answer is ours to note). */
    private readonly outgoing: boolean,
    private readonly ending: CallEnding,
    private readonly outcome: CallOutcome,
    private readonly call: InvitedCall,
  ) {}

  /** Whether the far end's early media plays (then the phone plays no ringback of its own). */
  get earlyMedia(): boolean {
    return this.earlyMediaPlaying;
  }

  /** Sends the INVITE; `accepted` gets its 2xx. A failure to send is written on the call. */
  async send(accepted: (response: IncomingResponse) => void): Promise<void> {
    try {
      await (this.session as Inviter).invite({
        requestDelegate: {
          onProgress: (response) => this.onProgress(response),
          onAccept: accepted,
          onReject: (response) => this.onFinalFailure(response),
          onRedirect: (response) => this.onRedirect(response),
        },
      });
      // A standby leg's INVITE left before the microphone was open: no microphone ends the call.
      const late = (this.session.sessionDescriptionHandler as MicrophoneAfterOffer | undefined)?.microphoneAttached;
      late?.catch((e: unknown) => {
        if (this.session.state !== SessionState.Terminated) this.failed(e);
      });
    } catch (e) {
      this.failed(e);
    }
  }

  /** invite() or answer() threw: why, as the user would say it (no microphone, no relay, error). */
  failed(e: unknown): void {
    const name = (e as { name?: string } | null)?.name ?? "";
    if (MEDIA_ERRORS.has(name)) {
      this.ending.intend("no-microphone", true);
      this.outcome.failure = { kind: "microphone", error: name };
    } else if (name === NO_RELAY_ERROR) {
      this.ending.intend("failed", true);
      this.outcome.failure = { kind: "no-relay" };
    } else {
      this.ending.intend("failed");
      this.outcome.failure ??= { kind: "error", detail: (e as Error)?.message ?? String(e) };
    }
    log.warn(this.id, this.outcome.failure);
    if (this.session.state !== SessionState.Terminated) void this.session.dispose().catch(() => undefined);
  }

  /**
   * An outgoing call whose 2xx came (SIP.js holds its dialog) but that never got established:
   * SIP.js could not use the answer (no codec in common: BYE with Reason 488; no SDP at all:
   * 400) and sent ACK and BYE (RFC 3261 13.2.2.4). Said as such, not as an unknown error.
   */
  noteRefusedAnswer(): void {
    if (!this.outgoing || this.call.answered() || this.outcome.failure || !this.session.dialog) return;
    if (this.ending.cancelledByUs) return;
    this.outcome.failure = { kind: "answer-refused" };
    this.ending.intend("failed", true);
  }

  /**
   * Any 1xx but 100 means the far end rings. A 1xx with SDP (183, or a 180 with SDP) brings its
   * media: announcements or its own ringback play at once, instead of ours, and keep playing
   * through a later 180 without SDP. A forked INVITE's branches may each send early media:
   * SIP.js (patched) plays the latest one, and the 2xx's answer wins over any of them.
   */
  private onProgress(response: IncomingResponse): void {
    const code = response.message.statusCode ?? 0;
    if (code <= 100) return;
    const early = !!response.message.body && /^application\/sdp/i.test(response.message.getHeader("content-type") ?? "");
    const startsEarlyMedia = early && !this.earlyMediaPlaying;
    if (startsEarlyMedia) {
      this.earlyMediaPlaying = true;
      this.call.playEarly();
    }
    if (this.call.state() === CallState.Dialing) this.call.ring();
    else if (startsEarlyMedia) this.call.changed();
  }

  private onRedirect(response: IncomingResponse): void {
    const header = response.message.getHeader("contact");
    const contact = /<([^>]+)>/.exec(header ?? "")?.[1] ?? header?.trim();
    if (!contact) return this.onFinalFailure(response);
    this.outcome.sipCode = response.message.statusCode;
    this.ending.intend("redirected", true);
    // Shown to the user: the address without parameters, bounded.
    const target = (contact.replace(/^sips?:/i, "").split(/[;?]/)[0] ?? contact).slice(0, 200);
    const decision = this.call.followRedirect(contact) ?? ({ action: "refuse", problem: "scheme" } as const);
    if (decision.action === "follow") {
      this.redirectTarget = decision.uri;
      this.outcome.failure = { kind: "redirected", target, uri: decision.uri };
    } else {
      const notFollowed = decision.action === "ask" ? decision.why : decision.problem;
      this.outcome.failure = { kind: "redirected", target, notFollowed, ...(decision.action === "ask" ? { uri: decision.uri } : {}) };
    }
  }

  private onFinalFailure(response: IncomingResponse): void {
    const code = response.message.statusCode ?? 0;
    this.outcome.sipCode = code;
    if (this.ending.cancelledByUs && code === 487) return;
    this.ending.intend("rejected", true);
    this.outcome.failure = this.call.failureOf(code) ?? {
      kind: "rejected",
      sipCode: code,
      reasonPhrase: response.message.reasonPhrase ?? "",
    };
  }
}
