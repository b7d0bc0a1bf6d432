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

const VISUAL_SEPARATORS = /[\s().\-/]/g;

export function normalizeTarget(input: string, domain: string): { uri: string; display: string } {
  let text = input.trim();
  if (/^[a-z]+%3a/i.test(text)) text = decodeURIComponent(text);
  if (!text) throw new TargetError("Enter a number or SIP address to call");
  if (/^sips?:/i.test(text)) {
    if (!/^sips?:[^@\s<>"]+(@[^\s<>"]+)?$/i.test(text)) throw new TargetError(`"${input}" is not a valid SIP address`);
    const full = text.includes("@") ? text : `${text}@${domain}`;
    const [user, host] = full.replace(/^sips?:/i, "").split(";")[0].split("@");
    // A number on our own domain is shown as the number, as a desk phone does.
    return { uri: full, display: host.toLowerCase() === domain.toLowerCase() ? decodeURIComponent(user) : `${user}@${host}` };
  }
  if (/^tel:/i.test(text)) text = text.slice(4).split(";")[0];
  const number = text.replace(VISUAL_SEPARATORS, "");
  if (/^\+?[0-9*#]+$/.test(number)) {
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
