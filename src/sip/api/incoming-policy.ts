import type { Invitation } from "sip.js";
import type { AccountConfig } from "../../config/phone-config.js";
import { hostMatches } from "../../config/trust-config.js";
import { autoAnswerDelay } from "./auto-answer.js";
import type { Call } from "./call.js";
import { CallState } from "./call-state.js";
import { Forwarding, type ForwardDecision, type ForwardOptions, type LineForwarding } from "./forwarding.js";
import { IncomingRateLimit } from "./incoming-rate.js";
import { isAudioOffer } from "./sdp.js";
import { answerTerms, type SessionTerms } from "./session-timer.js";

/** More calls than this ringing at once are refused with 486 (an INVITE flood rings no one). */
export const MAX_RINGING = 8;
/** Captured header values are cut here: a hostile peer's header does not travel to the host page whole. */
const MAX_CAPTURED_HEADER = 1024;

export type IncomingDecision =
  /** Answer the INVITE with this final response and forget it. */
  | { action: "reject"; statusCode: number; extraHeaders?: string[] }
  /** An INVITE with Replaces naming one of our calls: it takes that call's place at once. */
  | { action: "replace"; replaced: Call; session: SessionAnswer }
  /** Ring; auto-answer after `autoAnswerAfterS`, forward after `forward.after` s when set. */
  | { action: "ring"; autoAnswerAfterS?: number; forward?: ForwardDecision; session: SessionAnswer };

/** What our 200 says about session timers (RFC 4028), and the timer's terms. */
export type SessionAnswer = { headers: string[]; terms?: SessionTerms };

/** The line an INVITE came in on, as the policy needs it. */
export interface IncomingLine {
  account: AccountConfig;
  /** The host of the line's own address (the default source allowed to ask for auto-answer). */
  domain: string;
}

/**
 * What happens to an incoming INVITE, decided in one place and in this order: Replaces of one
 * of our calls (a consultation transfer continues a conversation we are in: no ringing, no DND),
 * the flood limit, do-not-disturb, forwarding decided before ringing (unconditional, internal or
 * external callers, busy: forwarding.ts), offers we cannot take, the per-caller ring limit
 * (incoming-rate.ts), auto-answer; a ringing call carries its forwarding on no answer. What the INVITE itself must be (SIP
 * version, headers, Require, a body that is SDP) was checked before SIP.js saw it
 * (core/request-screen.ts).
 */
export class IncomingPolicy {
  /** Do-not-disturb: per line, or for all lines under "*". */
  private readonly dnd = new Set<string>();
  private dndCode: 486 | 603 = 486;
  /** Forwarding per line and mode: incoming calls get 302 to the mode's URI. */
  private readonly forward = new Forwarding();
  /** Headers of incoming INVITEs that go into the call snapshot (a CRM lookup on the host page). */
  private capture: string[] = [];
  private readonly rate = new IncomingRateLimit();
  /** When each ringing call was counted against its caller (so that answering it forgives it). */
  private readonly admitted = new WeakMap<Invitation, { source: string; at: number }>();

  decide(invitation: Invitation, line: IncomingLine, calls: readonly Call[], now: number): IncomingDecision {
    const { account } = line;
    const request = invitation.request;
    // Session timers (RFC 4028): an interval below our Min-SE is refused with 422.
    const timers = answerTerms({
      sessionExpires: request.getHeader("session-expires"),
      minSe: request.getHeader("min-se"),
      supported: request.getHeaders("supported").flatMap((h) => h.split(",")),
    });
    if (timers.action === "reject") return { action: "reject", statusCode: timers.statusCode, extraHeaders: timers.headers };
    const session: SessionAnswer = { headers: timers.headers, ...(timers.terms ? { terms: timers.terms } : {}) };
    const replaced = invitation.replacee ? calls.find((c) => c.session === invitation.replacee) : undefined;
    // RFC 3891 3: an early dialog we did not start (a call ringing here) cannot be replaced.
    if (replaced?.state === CallState.Incoming) return { action: "reject", statusCode: 481 };
    if (replaced) return { action: "replace", replaced, session };
    if (calls.filter((c) => c.state === CallState.Incoming).length >= MAX_RINGING) return { action: "reject", statusCode: 486 };
    if (this.isDnd(account.id)) return { action: "reject", statusCode: this.dndCode };
    const caller = invitation.remoteIdentity.uri;
    // Busy: another call of the phone is up (dialling, talking, held), not merely ringing.
    const busy = calls.some((c) => c.state !== CallState.Incoming && c.state !== CallState.Ended);
    const forwardTo = this.forward.now(account, caller.user ?? "", busy);
    if (forwardTo) return { action: "reject", statusCode: 302, extraHeaders: [`Contact: <${forwardTo}>`] };
    // The request screen let only application/sdp through: this is SDP we cannot take.
    const body = invitation.request.body;
    if (body && !isAudioOffer(body)) return { action: "reject", statusCode: 488 };
    const source = `${caller.user ?? ""}@${caller.host}`;
    const wait = this.rate.admit(source, now);
    if (wait !== undefined) return { action: "reject", statusCode: 486, extraHeaders: [`Retry-After: ${wait}`] };
    this.admitted.set(invitation, { source, at: now });
    const delay = this.autoAnswerDelay(invitation, line, calls);
    const forward = this.forward.onNoAnswer(account.id);
    return { action: "ring", session, ...(delay === undefined ? {} : { autoAnswerAfterS: delay }), ...(forward ? { forward } : {}) };
  }

  /**
   * The auto-answer delay an INVITE asks for, if the line lets this caller have it: the line has
   * auto-answer on, no other call is up (a page must not barge into a conversation, nor answer
   * into a held one), and the caller's From host is one the line trusts (`autoAnswerFrom`,
   * default the line's own domain). The From host is the best a WebRTC phone can check: every
   * request comes over the proxy's socket (no source address of the caller's), and nothing in
   * it is signed. It is worth something only when the proxy authenticates callers from its own
   * domain and refuses foreign INVITEs that claim it (Kamailio: auth + From check; Asterisk:
   * per-endpoint identify), which deployments that turn auto-answer on must ensure.
   */
  private autoAnswerDelay(invitation: Invitation, line: IncomingLine, calls: readonly Call[]): number | undefined {
    if (!line.account.autoAnswer || calls.some((c) => c.state !== CallState.Ended)) return undefined;
    if (!hostMatches(invitation.remoteIdentity.uri.host, line.account.autoAnswerFrom ?? [line.domain])) return undefined;
    const request = invitation.request;
    return autoAnswerDelay({ callInfo: request.getHeaders("call-info"), alertInfo: request.getHeaders("alert-info") });
  }

  /** The user answered `invitation`: a wanted call, no longer counted against its caller's rate. */
  answered(invitation: Invitation): void {
    const counted = this.admitted.get(invitation);
    if (counted) this.rate.forgive(counted.source, counted.at);
  }

  /** The headers of `invitation` the host page asked for, bounded; undefined when none asked. */
  capturedHeaders(invitation: Invitation): Record<string, string> | undefined {
    if (!this.capture.length) return undefined;
    const headers: Record<string, string> = {};
    for (const name of this.capture) {
      const value = invitation.request.getHeader(name);
      if (value !== undefined) headers[name] = value.slice(0, MAX_CAPTURED_HEADER);
    }
    return headers;
  }

  /** Which headers of incoming INVITEs the calls carry (`headers` in CallSnapshot). */
  setCaptureHeaders(names: string[]): void {
    this.capture = names.map((n) => n.trim()).filter((n) => /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(n));
  }

  isDnd(lineId: string): boolean {
    return this.dnd.has("*") || this.dnd.has(lineId);
  }

  /** Do-not-disturb for one line, or for all lines when `lineId` is undefined. */
  setDnd(on: boolean, lineId?: string, code?: 486 | 603): void {
    const key = lineId ?? "*";
    if (on) this.dnd.add(key);
    else this.dnd.delete(key);
    if (code) this.dndCode = code;
  }

  /**
   * Forwarding of one line's calls to `target` (on `domain`) in `options.mode` (default
   * unconditional); no target clears that mode, or every mode when no mode is named.
   */
  setForward(lineId: string, target: string | undefined, domain: string, options: ForwardOptions = {}, account?: AccountConfig): void {
    this.forward.set(lineId, target, domain, options, account);
  }

  /** DND and forwarding of a line, for its snapshot (visible at a glance). */
  flags(lineId: string): { dnd?: true; forwardTo?: string; forward?: LineForwarding } {
    const forward = this.forward.snapshot(lineId);
    const forwardTo = forward?.always?.to;
    return {
      ...(this.isDnd(lineId) ? { dnd: true as const } : {}),
      ...(forwardTo ? { forwardTo } : {}),
      ...(forward ? { forward } : {}),
    };
  }
}
