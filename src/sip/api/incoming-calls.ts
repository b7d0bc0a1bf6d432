import { SessionState, type Invitation } from "sip.js";
import { DEFAULT_RING_TIMEOUT_S } from "../../config/trust-config.js";
import { getLogger } from "../core/logger.js";
import { stopNoAnswerTimer } from "../core/sipjs-internals.js";
import { applyRules } from "../numbers/number-rules.js";
import { alertCode } from "./alert-info.js";
import { ringtoneFor } from "./alert-info-tone.js";
import type { Call } from "./call.js";
import type { CallTones } from "./call-tones.js";
import { CallState, type CallSnapshot } from "./call-state.js";
import { displayName } from "./display-name.js";
import { isInternalCaller, type ForwardDecision } from "./forwarding.js";
import type { IncomingPolicy } from "./incoming-policy.js";
import type { Line } from "./line.js";
import type { PhoneInternals } from "./phone-internals.js";

const log = getLogger("incoming");

export interface IncomingCallsOptions {
  /** Open the microphone while a call rings, so that answering starts audio at once. */
  preopenMicrophone: boolean;
  /** Prepare its answer too (platform.ts MediaPrep.answerTo): answering then only sends the 200. */
  prepareAnswer: boolean;
  /** A new call rings: the phone's `incoming-call` event. */
  announce(snapshot: CallSnapshot): void;
}

/**
 * What becomes of an incoming INVITE once IncomingPolicy has decided: refused, taking the place
 * of the call it replaces, or a ringing call, with its microphone opened early (and closed
 * whenever it stops ringing without being answered), its auto-answer timer, and its ring
 * timeout (the line's `ringTimeout`: then 480 and a missed call) or its forwarding on no answer
 * (302 after the line's chosen seconds, if sooner). The decision is the policy's;
 * this file carries it out.
 */
export class IncomingCalls {
  constructor(
    private readonly phone: PhoneInternals,
    private readonly policy: IncomingPolicy,
    private readonly tones: CallTones,
    private readonly options: IncomingCallsOptions,
  ) {}

  receive(line: Line, invitation: Invitation): void {
    const id = invitation.remoteIdentity;
    const decision = this.policy.decide(invitation, line, this.phone.liveCalls(), this.phone.clock.now());
    if (decision.action === "reject") {
      void invitation.reject({ statusCode: decision.statusCode, extraHeaders: decision.extraHeaders }).catch(() => undefined);
      return;
    }
    // The caller chose the name: shown without controls or overrides, and bounded.
    const remote = { name: displayName(id.displayName), uri: id.uri.toString() };
    if (decision.action === "replace") {
      // SIP.js sends our BYE on the replaced dialog once the new call is accepted.
      const call = this.phone.newCall(invitation, line, "in", { ...remote, user: id.uri.user ?? id.uri.toString() });
      call.sessionAnswer = decision.session;
      this.phone.track(call, { replaces: decision.replaced });
      decision.replaced.expectEnd("replaced");
      // A pickup replaces a call we placed that still rings elsewhere (RFC 3891 3: the early
      // dialog we initiated): SIP.js says BYE on confirmed dialogs only, so we CANCEL it here,
      // saying it was answered elsewhere (the colleague whose phone rang sees no missed call).
      const early = decision.replaced.state !== CallState.Established;
      void call
        .answer()
        .then(() => (early ? decision.replaced.hangup({ completedElsewhere: true }) : undefined))
        .catch((e: Error) => log.warn("replacing call not answered:", e.message));
      return;
    }
    if (this.options.preopenMicrophone) this.preopenMicrophone(invitation);
    const caller = id.uri.user ?? id.uri.toString();
    const shown = applyRules(line.account.numberRules?.incoming, caller).number || "withheld";
    const call = this.phone.newCall(invitation, line, "in", { ...remote, user: shown });
    call.headers = this.policy.capturedHeaders(invitation);
    // Distinctive ringing: Alert-Info first, else whether the caller is internal to the line.
    const alert = alertCode(invitation.request.getHeaders("alert-info"));
    call.ringtone = ringtoneFor(line.account, alert, alert ? undefined : isInternalCaller(line.account, caller));
    call.sessionAnswer = decision.session;
    this.phone.track(call);
    this.endAfterRinging(call, invitation, line.account.ringTimeout ?? DEFAULT_RING_TIMEOUT_S, decision.forward);
    this.options.announce(call.snapshot);
    if (decision.autoAnswerAfterS !== undefined) {
      this.phone.clock.setTimeout(() => {
        if (call.state !== CallState.Incoming) return;
        // Another call came up during the delay: this one rings instead of barging in.
        if (this.phone.liveCalls().some((c) => c !== call && c.state !== CallState.Ended)) return;
        this.tones.autoAnswerBeep(this.phone.clock);
        void this.phone.answer(call.id).catch((e: Error) => log.warn("auto-answer failed:", e.message));
      }, decision.autoAnswerAfterS * 1000);
    }
  }

  /**
   * Unanswered after `seconds`: 480 Temporarily Unavailable (RFC 3398 7.2.4.1, "no answer"), a
   * missed call. With forwarding on no answer that comes sooner, 302 to its target instead
   * (the caller's phone follows it; ours stops ringing); the call counts as missed here too.
   */
  private endAfterRinging(call: Call, invitation: Invitation, seconds: number, forward?: ForwardDecision): void {
    stopNoAnswerTimer(invitation);
    const clock = this.phone.clock;
    const forwarding = forward?.after !== undefined && forward.after < seconds ? forward : undefined;
    const timer = clock.setTimeout(
      () => {
        if (call.state !== CallState.Incoming) return;
        call.expectEnd("missed");
        const answer = forwarding ? { statusCode: 302, extraHeaders: [`Contact: <${forwarding.uri}>`] } : { statusCode: 480 };
        void invitation.reject(answer).catch(() => undefined);
      },
      (forwarding?.after ?? seconds) * 1000,
    );
    call.on("change", (s) => {
      if (s.state !== CallState.Incoming) clock.clearTimeout(timer);
      if (s.state === CallState.Established) this.policy.answered(invitation);
    });
  }

  private preopenMicrophone(invitation: Invitation): void {
    const mic = this.phone.platform.openMicrophone();
    mic.catch(() => undefined);
    const offer = /^application\/sdp/i.test(invitation.request.getHeader("content-type") ?? "") ? invitation.body : undefined;
    const answerTo = this.options.prepareAnswer && offer ? offer : undefined;
    this.phone.platform.prepareMedia(invitation, { microphone: mic, ...(answerTo ? { answerTo } : {}) });
    invitation.stateChange.addListener((s) => {
      // Over, whether it was declined, cancelled, timed out, refused or answered and hung up:
      // the microphone opened for it closes. An answered call's handler stopped its tracks
      // already (stopping twice is harmless); one that never got that far has only us.
      if (s === SessionState.Terminated) {
        void mic.then(
          (m) => m.getTracks().forEach((t) => t.stop()),
          () => undefined,
        );
      }
    });
  }
}
