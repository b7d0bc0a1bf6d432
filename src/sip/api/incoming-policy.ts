import type { Invitation } from "sip.js";
import type { AccountConfig } from "../../config/phone-config.js";
import { normalizeTarget } from "../numbers/sip-target.js";
import { autoAnswerDelay } from "./auto-answer.js";
import type { Call } from "./call.js";
import { PhoneError } from "./phone-errors.js";
import { isAudioOffer } from "./sdp.js";

/** More calls than this ringing at once are refused with 486 (an INVITE flood rings no one). */
export const MAX_RINGING = 8;
/** Captured header values are cut here: a hostile peer's header does not travel to the host page whole. */
const MAX_CAPTURED_HEADER = 1024;

export type IncomingDecision =
  /** Answer the INVITE with this final response and forget it. */
  | { action: "reject"; statusCode: number; extraHeaders?: string[] }
  /** An INVITE with Replaces naming one of our calls: it takes that call's place at once. */
  | { action: "replace"; replaced: Call }
  /** Ring; auto-answer after `autoAnswerAfterS` when set. */
  | { action: "ring"; autoAnswerAfterS?: number };

/**
 * What happens to an incoming INVITE, decided in one place and in this order: Replaces of one
 * of our calls (a consultation transfer continues a conversation we are in: no ringing, no DND),
 * the flood limit, do-not-disturb, unconditional forwarding, offers we cannot take, auto-answer.
 */
export class IncomingPolicy {
  /** Do-not-disturb: per line, or for all lines under "*". */
  private readonly dnd = new Set<string>();
  private dndCode: 486 | 603 = 486;
  /** Unconditional forwarding per line: incoming calls get 302 to this URI. */
  private readonly forward = new Map<string, string>();
  /** Headers of incoming INVITEs that go into the call snapshot (a CRM lookup on the host page). */
  private capture: string[] = [];

  decide(invitation: Invitation, account: AccountConfig, calls: readonly Call[]): IncomingDecision {
    const replaced = invitation.replacee ? calls.find((c) => c.session === invitation.replacee) : undefined;
    if (replaced) return { action: "replace", replaced };
    if (calls.filter((c) => c.state === "incoming").length >= MAX_RINGING) return { action: "reject", statusCode: 486 };
    if (this.isDnd(account.id)) return { action: "reject", statusCode: this.dndCode };
    const forwardTo = this.forward.get(account.id);
    if (forwardTo) return { action: "reject", statusCode: 302, extraHeaders: [`Contact: <${forwardTo}>`] };
    const body = invitation.request.body;
    if (body && !isAudioOffer(body)) return { action: "reject", statusCode: 488 };
    if (!account.autoAnswer) return { action: "ring" };
    const request = invitation.request;
    const delay = autoAnswerDelay({ callInfo: request.getHeaders("call-info"), alertInfo: request.getHeaders("alert-info") });
    return delay === undefined ? { action: "ring" } : { action: "ring", autoAnswerAfterS: delay };
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

  /** Unconditional forwarding of one line's calls to `target` (on `domain`); undefined turns it off. */
  setForward(lineId: string, target: string | undefined, domain: string): void {
    if (!target) {
      this.forward.delete(lineId);
      return;
    }
    try {
      this.forward.set(lineId, normalizeTarget(target, domain).uri);
    } catch (e) {
      throw new PhoneError((e as Error).message, "bad-target", { input: target });
    }
  }

  /** DND and forwarding of a line, for its snapshot (visible at a glance). */
  flags(lineId: string): { dnd?: true; forwardTo?: string } {
    const forwardTo = this.forward
      .get(lineId)
      ?.replace(/^sips?:/, "")
      .split(/[;@]/)[0];
    return { ...(this.isDnd(lineId) ? { dnd: true as const } : {}), ...(forwardTo ? { forwardTo } : {}) };
  }
}
