import { Inviter, UserAgent, type URI } from "sip.js";
import type { DeskPhoneAnswer } from "../../config/phone-config.js";
import { CallState } from "./call-state.js";
import type { CallFailure } from "./failures.js";
import type { Line } from "./line.js";
import type { ClickToCallMedia } from "./platform.js";
import { PhoneError } from "./phone-errors.js";
import type { PhoneInternals } from "./phone-internals.js";

/**
 * Click-to-call modes, as the SIPTAPI and ESTOS drivers have them:
 * - `browser`: a normal WebRTC call from this phone;
 * - `desk`: INVITE the user's desk phone with an auto-answer header and a signalling-only SDP;
 *   once it answers, REFER it to the target (it dials), follow the NOTIFYs, then BYE our leg;
 * - `reverse`: INVITE the target first (listening only, no microphone); once it answers, REFER
 *   it to the desk phone, which then rings.
 */
export type DialMode = "browser" | "desk" | "reverse";

/**
 * What each leg offers (the platform builds it; neither opens the microphone nor plays):
 * - the desk leg goes to the user's own desk phone, a plain SIP phone that auto-answers: a plain
 *   RTP/AVP inactive offer, which every desk phone takes and which costs no ICE wait and no
 *   bridge on the proxy;
 * - the reverse leg goes to a target that may be anything: another browser phone (which refuses
 *   an offer without a DTLS fingerprint, and between two WebSocket clients there is often no
 *   bridge, issue 13), a desk phone behind the proxy's media bridge, a PBX. A real WebRTC offer
 *   is what our ordinary browser calls send, so every target a browser call reaches, a reverse
 *   call reaches too. A late offer (INVITE without SDP) was the other way: it leaves the format
 *   to the target but needs a WebRTC answer in the ACK anyway for a browser target, and many
 *   gateways and PBXes handle it badly.
 */
export function legMedia(mode: "desk" | "reverse"): ClickToCallMedia {
  return mode === "desk" ? "signalling-only" : "listen-only";
}

/**
 * The header that asks a desk phone to answer by itself. Vendors differ: Snom, Yealink and
 * Grandstream read Call-Info answer-after; Polycom and Cisco an Alert-Info with
 * info=alert-autoanswer; some older phones "Alert-Info: Ring Answer".
 */
export function autoAnswerHeaders(kind: DeskPhoneAnswer, domain: string): string[] {
  switch (kind) {
    case "call-info":
      return [`Call-Info: <sip:${domain}>;answer-after=0`];
    case "alert-info":
      return ["Alert-Info: <http://127.0.0.1>;info=alert-autoanswer;delay=0"];
    case "ring-answer":
      return ["Alert-Info: Ring Answer"];
    case "none":
      return [];
  }
}

/** A reverse call waits as long as a person may take to answer. */
const REVERSE_TIMEOUT_S = 60;

/**
 * Places click-to-call legs. The leg carries no media we send or play (see legMedia); it ends
 * by itself once the REFER's outcome is known, and on every failure (no answer within the
 * line's deskPhoneTimeout, REFER refused, target busy) with the failure as data.
 */
export class ClickToCall {
  constructor(private readonly phone: PhoneInternals) {}

  async place(line: Line, mode: "desk" | "reverse", targetUri: URI, display: string): Promise<string> {
    const account = line.account;
    const label = account.label ?? account.sipUri;
    if (!account.deskPhone) throw new PhoneError(`No desk phone is set for ${label}`, "no-desk-phone", { line: label });
    const deskUri = UserAgent.makeURI(account.deskPhone);
    if (!deskUri)
      throw new PhoneError(`The desk phone address "${account.deskPhone}" is not a SIP address`, "no-desk-phone", {
        line: label,
        deskPhone: account.deskPhone,
      });
    const deskShown = deskUri.user ?? account.deskPhone;
    const first = mode === "desk" ? deskUri : targetUri;
    const second = mode === "desk" ? targetUri : deskUri;
    const inviter = new Inviter(line.ua, first, {
      extraHeaders: mode === "desk" ? autoAnswerHeaders(account.deskPhoneAnswer ?? "call-info", line.domain) : [],
    });
    this.phone.platform.prepareMedia(inviter, { clickToCall: legMedia(mode) });
    const call = this.phone.newCall(inviter, line, "out", { user: display, uri: targetUri.toString() }, "info");
    const failure = (
      stage: "invite" | "refer" | "notify" | "timeout" | "error",
      extra: Partial<CallFailure & { kind: "click-to-call" }> = {},
    ): CallFailure => ({
      kind: "click-to-call",
      mode,
      stage,
      target: display,
      ...extra,
    });
    call.clickToCall = { mode, target: display, deskPhone: deskShown };
    call.inviteFailureOf = (sipCode) => failure("invite", { sipCode });
    this.phone.track(call);
    const timeoutS = mode === "desk" ? (account.deskPhoneTimeout ?? 20) : REVERSE_TIMEOUT_S;
    const clock = this.phone.clock;
    const timer = clock.setTimeout(() => {
      if (call.state === CallState.Dialing || call.state === CallState.Ringing) void call.giveUp(failure("timeout", { seconds: timeoutS }));
    }, timeoutS * 1000);
    const off = call.on("change", (s) => {
      if (s.state === CallState.Established) {
        clock.clearTimeout(timer);
        off();
        void call
          .transfer(second.toString(), mode === "desk" ? display : deskShown, {
            hold: false,
            resumeOnFailure: false,
            endOnFailure: true,
            failureOf: (f) =>
              f.stage === "refer" || f.stage === "notify"
                ? failure(f.stage, { sipCode: f.sipCode })
                : f.stage === "timeout"
                  ? failure("notify", {})
                  : failure("error", { detail: f.detail }),
          })
          .catch((e: Error) => void call.giveUp(failure("error", { detail: e.message })));
      } else if (s.state === CallState.Ended) {
        clock.clearTimeout(timer);
        off();
      }
    });
    await call.invite();
    return call.id;
  }
}
