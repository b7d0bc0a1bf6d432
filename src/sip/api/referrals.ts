import type { Referral } from "sip.js";
import { getLogger } from "../core/logger.js";
import { detachFromReferrer } from "../core/sipjs-internals.js";
import { CALL_AUDIO } from "./platform.js";
import type { Call } from "./call.js";
import { CallState } from "./call-state.js";
import { checkTargetUri, isSafeHeaderValue, parseReplaces } from "../core/header-guard.js";
import { followPolicy } from "./follow-policy.js";
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
    const checked = checkReferral(referral);
    if (!checked) {
      // Header injection, a maddr, a Replaces that breaks RFC 3891, a scheme we do not call.
      log.warn("REFER refused: its Refer-To or Referred-By is not safe to follow");
      void referral.reject({ statusCode: 400 }).catch(() => undefined);
      return;
    }
    const decision = followPolicy(checked.uri, line.account, line.domain, call.redirectHops);
    if (decision.action === "refuse") {
      void referral.reject({ statusCode: 400 }).catch(() => undefined);
      return;
    }
    void referral
      .accept()
      .then(async () => {
        call.notifyReferrer("SIP/2.0 100 Trying", false);
        // Another domain or too many hops asks even when the policy is "always".
        const mustAsk = policy === "ask" || decision.action === "ask";
        if (mustAsk && !(await this.ask(call, referral, decision.uri))) {
          call.notifyReferrer("SIP/2.0 603 Declined", true);
          return;
        }
        // SIP.js builds the INVITE from the Refer-To, including a Replaces header (attended
        // transfer), but reads it from the parsed URI, which loses it when the URI also carries
        // a proxy's alias parameter: take it from the header text instead (checked above).
        const extraHeaders = checked.replaces && !referral.replaces ? [`Replaces: ${checked.replaces}`] : [];
        const inviter = referral.makeInviter({
          earlyMedia: true,
          extraHeaders,
          sessionDescriptionHandlerOptions: { constraints: CALL_AUDIO },
        });
        // Our NOTIFYs below report the progress; SIP.js would send a second set (see there).
        detachFromReferrer(inviter);
        const to = referral.referTo;
        const next = this.phone.newCall(inviter, line, "out", {
          user: to.uri.user ?? to.uri.toString(),
          name: shownName(to.displayName),
          uri: decision.uri,
        });
        next.redirectHops = call.redirectHops + 1;
        this.phone.track(next);
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

  private ask(call: Call, referral: Referral, uri: string): Promise<boolean> {
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
      // The full address too: a display name can say anything.
      call.referral = { target: shownName(to.displayName) ?? to.uri.user ?? uri, uri };
      call.changed();
    });
  }
}

/**
 * The REFER's target and Replaces, checked (core/header-guard.ts): undefined when anything in
 * it is unsafe to copy into our INVITE. SIP.js itself copies the Refer-To's Replaces (decoded)
 * and the Referred-By into the INVITE, so both are checked here before makeInviter runs.
 */
function checkReferral(referral: Referral): { uri: string; replaces?: string } | undefined {
  const raw = referral.request.getHeader("refer-to") ?? "";
  const uriText = /<([^>]*)>/.exec(raw)?.[1] ?? raw.trim();
  const target = checkTargetUri(uriText);
  if (!target.ok) return undefined;
  const referredBy = referral.request.getHeader("referred-by");
  if (referredBy !== undefined && !isSafeHeaderValue(referredBy)) return undefined;
  const encoded = referral.replaces ?? /[?&]Replaces=([^&>]+)/i.exec(uriText)?.[1];
  if (encoded === undefined) return { uri: target.uri };
  let replaces: string;
  try {
    replaces = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  return parseReplaces(replaces) ? { uri: target.uri, replaces } : undefined;
}

/** A display name from the wire, for the screen: no control characters, bounded. */
function shownName(name: string | undefined): string | undefined {
  const clean = name
    // eslint-disable-next-line no-control-regex
    ?.replace(/[\x00-\x1f\x7f]/g, " ")
    .trim()
    .slice(0, 100);
  return clean || undefined;
}
