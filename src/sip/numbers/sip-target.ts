import { checkTargetUri } from "../core/header-guard.js";

/**
 * Turns what a user typed or a link carried into a SIP request URI for a line's domain.
 * Accepts `sip:`/`sips:` URIs, `tel:` URIs (RFC 3966, as browsers hand them over, percent-encoded),
 * phone numbers with the usual punctuation, and plain SIP user names.
 */
export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetError";
  }
}

const SEPARATORS = /[\s\u00a0().\-/]/g;

/**
 * The digits of a number (`+` first if international), or undefined if `input` is not a phone
 * number (a SIP address or user name). Accepts `tel:` URIs with visual separators and a global
 * `phone-context` (RFC 3966), Outlook's `+43 (1) 505641` and `+49 (0)30 123`, percent-encoded
 * links (`tel%3A%2B43…`).
 */
export function cleanNumber(input: string): string | undefined {
  let text = input.trim();
  if (/^[a-z]+%3a/i.test(text)) text = decodeURIComponent(text);
  if (/^sips?:/i.test(text)) return undefined;
  let context = "";
  if (/^tel:/i.test(text)) {
    const [number = "", ...params] = text.slice(4).split(";");
    text = number;
    const pc = params.find((p) => /^phone-context=/i.test(p))?.slice(14) ?? "";
    // A global context (`+43-1`) prefixes a local number; a domain context adds nothing we can dial.
    if (pc.startsWith("+") && !text.trim().startsWith("+")) context = pc.replace(SEPARATORS, "");
  }
  // "+49 (0)30 …": the (0) is the national prefix, written for people dialling from inside.
  text = text.replace(/^(\s*\+\s*\d{1,3})\s*\(0\)/, "$1");
  const digits = context + text.replace(SEPARATORS, "");
  return /^\+?[0-9*#]+$/.test(digits) && /[0-9]/.test(digits) ? digits : undefined;
}

export function normalizeTarget(input: string, domain: string): { uri: string; display: string } {
  let text = input.trim();
  if (/^[a-z]+%3a/i.test(text)) text = decodeURIComponent(text);
  if (!text) throw new TargetError("Enter a number or SIP address to call");
  if (/^sips?:/i.test(text)) {
    // Links and pages hand us URIs: their ?headers are dropped, a maddr or control characters refused.
    const checked = checkTargetUri(text);
    if (!checked.ok) {
      throw new TargetError(
        checked.problem === "maddr"
          ? `"${input}" names another server to send the call to (maddr): not dialled`
          : `"${input}" is not a valid SIP address`,
      );
    }
    text = checked.uri;
    if (!/^sips?:[^@\s<>"]+(@[^\s<>"]+)?$/i.test(text)) throw new TargetError(`"${input}" is not a valid SIP address`);
    const full = text.includes("@") ? text : `${text}@${domain}`;
    const [user, host] = full
      .replace(/^sips?:/i, "")
      .split(";")[0]
      .split("@");
    // A number on our own domain is shown as the number, as a desk phone does.
    return { uri: full, display: host.toLowerCase() === domain.toLowerCase() ? decodeURIComponent(user) : `${user}@${host}` };
  }
  if (/^tel:/i.test(text) && cleanNumber(text) === undefined) throw new TargetError(`"${input}" is not a valid tel: number`);
  const number = cleanNumber(text);
  if (number !== undefined) {
    return { uri: `sip:${encodeURIComponent(number).replace(/%2B/g, "+").replace(/%23/g, "%23")}@${domain}`, display: number };
  }
  if (/^[a-z0-9_.!~*'+-]+(@[a-z0-9.-]+(:\d+)?)?$/i.test(text)) {
    const full = text.includes("@") ? text : `${text}@${domain}`;
    return { uri: `sip:${full}`, display: text };
  }
  throw new TargetError(`"${input}" is not a phone number or SIP address`);
}

/** DTMF digits a phone can send. */
export function validateDtmf(digits: string): string {
  const clean = digits.replace(/\s/g, "").toUpperCase();
  if (!/^[0-9A-D#*]+$/.test(clean)) throw new TargetError(`"${digits}" contains characters that are not DTMF digits (0-9, *, #, A-D)`);
  return clean;
}
