import { SessionState, type Invitation } from "sip.js";
import { getLogger } from "../core/logger.js";
import { applyRules } from "../numbers/number-rules.js";
import type { CallTones } from "./call-tones.js";
import { CallState, type CallSnapshot } from "./call-state.js";
import type { IncomingPolicy } from "./incoming-policy.js";
import type { Line } from "./line.js";
import type { PhoneInternals } from "./phone-internals.js";

const log = getLogger("incoming");

export interface IncomingCallsOptions {
  /** Open the microphone while a call rings, so that answering starts audio at once. */
  preopenMicrophone: boolean;
  /** A new call rings: the phone's `incoming-call` event. */
  announce(snapshot: CallSnapshot): void;
}

/**
 * What becomes of an incoming INVITE once IncomingPolicy has decided: refused, taking the place
 * of the call it replaces, or a ringing call (with its microphone opened early and its
 * auto-answer timer). The decision is the policy's; this file carries it out.
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
    const decision = this.policy.decide(invitation, line.account, this.phone.liveCalls());
    if (decision.action === "reject") {
      void invitation.reject({ statusCode: decision.statusCode, extraHeaders: decision.extraHeaders }).catch(() => undefined);
      return;
    }
    const remote = { name: id.displayName || undefined, uri: id.uri.toString() };
    if (decision.action === "replace") {
      // SIP.js sends our BYE on the replaced dialog once the new call is accepted.
      const call = this.phone.newCall(invitation, line, "in", { ...remote, user: id.uri.user ?? id.uri.toString() });
      this.phone.track(call, { replaces: decision.replaced });
      decision.replaced.expectEnd("replaced");
      void call.answer().catch((e: Error) => log.warn("replacing call not answered:", e.message));
      return;
    }
    if (this.options.preopenMicrophone) this.preopenMicrophone(invitation);
    const caller = id.uri.user ?? id.uri.toString();
    const shown = applyRules(line.account.numberRules?.incoming, caller).number || "withheld";
    const call = this.phone.newCall(invitation, line, "in", { ...remote, user: shown });
    call.headers = this.policy.capturedHeaders(invitation);
    this.phone.track(call);
    this.options.announce(call.snapshot);
    if (decision.autoAnswerAfterS !== undefined) {
      this.phone.clock.setTimeout(() => {
        if (call.state !== CallState.Incoming) return;
        this.tones.autoAnswerBeep(this.phone.clock);
        void this.phone.answer(call.id).catch((e: Error) => log.warn("auto-answer failed:", e.message));
      }, decision.autoAnswerAfterS * 1000);
    }
  }

  private preopenMicrophone(invitation: Invitation): void {
    const mic = this.phone.platform.openMicrophone();
    mic.catch(() => undefined);
    this.phone.platform.prepareMedia(invitation, { microphone: mic });
    invitation.stateChange.addListener((s) => {
      // Never answered: the microphone opened for it closes.
      if (s === SessionState.Terminated && !invitation.sessionDescriptionHandler) {
        void mic.then(
          (m) => m.getTracks().forEach((t) => t.stop()),
          () => undefined,
        );
      }
    });
  }
}
