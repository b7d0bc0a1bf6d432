import type { Referral } from "sip.js";
import { getLogger } from "../core/logger.js";
import { CALL_AUDIO } from "./platform.js";
import type { Call } from "./call.js";
import { CallState } from "./call-state.js";
import { PhoneError } from "./phone-errors.js";
import type { PhoneInternals } from "./phone-internals.js";

const log = getLogger("referrals");

/** How long an incoming transfer waits for the user's yes (referPolicy "ask") before it is refused. */
export const REFERRAL_ASK_MS = 30_000;

/**
 * Being transferred: the other party of a call sends REFER. Per the line's `referPolicy`
 * (always / ask / never) we refuse it (603), or accept it (202), call the target on the same
 * line, tell the transferor how it goes (NOTIFY with message/sipfrag, RFC 3515), and end the
 * old call once the new one is up. "ask" accepts first and reports a refusal by NOTIFY 603, so
 * the transferor waits on NOTIFYs rather than on a transaction that would time out.
 */
export class Referrals {
  /** Incoming transfers waiting for the user's decision, by call id. */
  private readonly waiting = new Map<string, (follow: boolean) => void>();

  constructor(private readonly phone: PhoneInternals) {}

  follow(call: Call, referral: Referral): void {
    const line = this.phone.line(call.lineId);
    if (!line) return;
    const policy = line.account.referPolicy ?? "always";
    if (policy === "never") {
      void referral.reject({ statusCode: 603 }).catch(() => undefined);
      return;
    }
    void referral
      .accept()
      .then(async () => {
        call.notifyReferrer("SIP/2.0 100 Trying", false);
        if (policy === "ask" && !(await this.ask(call, referral))) {
          call.notifyReferrer("SIP/2.0 603 Declined", true);
          return;
        }
        // SIP.js builds the INVITE from the Refer-To, including a Replaces header (attended
        // transfer), but reads it from the parsed URI, which loses it when the URI also carries
        // a proxy's alias parameter: take it from the header text instead.
        const extraHeaders: string[] = [];
        const raw = referral.request.getHeader("refer-to") ?? "";
        const replaces = /[?&]Replaces=([^&>]+)/i.exec(raw)?.[1];
        if (replaces && !referral.replaces) extraHeaders.push(`Replaces: ${decodeURIComponent(replaces)}`);
        const inviter = referral.makeInviter({
          earlyMedia: true,
          extraHeaders,
          sessionDescriptionHandlerOptions: { constraints: CALL_AUDIO },
        });
        const to = referral.referTo;
        const next = this.phone.track(
          this.phone.newCall(inviter, line, "out", {
            user: to.uri.user ?? to.uri.toString(),
            name: to.displayName || undefined,
            uri: to.uri.toString(),
          }),
        );
        const off = next.on("change", (s) => {
          if (s.state === CallState.Ringing) call.notifyReferrer("SIP/2.0 180 Ringing", false);
          if (s.state === CallState.Established) {
            call.notifyReferrer("SIP/2.0 200 OK", true);
            off();
            void call.hangup().catch(() => undefined);
          }
          if (s.state === CallState.Ended) {
            // The sipfrag carries the target's own status line where there was one.
            const phrase = s.failure?.kind === "rejected" && s.failure.reasonPhrase ? s.failure.reasonPhrase : "Failed";
            call.notifyReferrer(`SIP/2.0 ${s.sipCode ?? 500} ${phrase.replace(/[\r\n]/g, " ")}`, true);
            off();
          }
        });
        await next.invite();
      })
      .catch((e: Error) => log.warn("transfer not followed:", e.message));
  }

  /** The user follows (true) or refuses a transfer waiting on `callId`. */
  decide(callId: string, follow: boolean): void {
    const pending = this.waiting.get(callId);
    if (!pending) throw new PhoneError("No transfer is waiting on this call", "bad-state", { callId });
    pending(follow);
  }

  /** The call ended: a transfer still waiting on it is refused. */
  callEnded(callId: string): void {
    this.waiting.get(callId)?.(false);
  }

  private ask(call: Call, referral: Referral): Promise<boolean> {
    const to = referral.referTo;
    return new Promise<boolean>((resolve) => {
      const done = (follow: boolean) => {
        this.phone.clock.clearTimeout(timer);
        this.waiting.delete(call.id);
        call.referral = undefined;
        if (call.state !== CallState.Ended) call.changed();
        resolve(follow);
      };
      const timer = this.phone.clock.setTimeout(() => done(false), REFERRAL_ASK_MS);
      this.waiting.set(call.id, done);
      call.referral = { target: to.displayName || to.uri.user || to.uri.toString() };
      call.changed();
    });
  }
}
