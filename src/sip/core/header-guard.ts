/**
 * The one place that checks what comes from the wire (or from a link) before it goes into a
 * header or a Request-URI we send: REFER's Refer-To and its Replaces, 3xx Contacts, dial
 * targets. A hostile peer's `?Replaces=x%0D%0AHeader:…` must not become a line of our INVITE
 * (header injection), nor a `maddr` send our request to a host of its choosing.
 */

/** The longest value we copy from a peer into a header we send. */
export const MAX_HEADER_VALUE = 1024;
/** The longest URI we send a request to on a peer's word (RFC 3261 sets no limit; we do). */
export const MAX_TARGET_URI = 512;

/** Any control character but HTAB (RFC 3261 25.1: TEXT-UTF8char and LWS only), and DEL. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

/** `value` may go into a header we send: no CR, LF, NUL or other controls, and bounded. */
export function isSafeHeaderValue(value: string, max = MAX_HEADER_VALUE): boolean {
  return value.length <= max && !CONTROL.test(value);
}

/** RFC 3261 `word` (Call-ID halves) and `token` (tags), as RFC 3891 uses them. */
const WORD = String.raw`[A-Za-z0-9\-.!%*_+\x60'~()<>:\\"/\[\]?{}]+`;
const TOKEN = String.raw`[A-Za-z0-9\-.!%*_+\x60'~]+`;
const CALL_ID = new RegExp(`^${WORD}(?:@${WORD})?$`);
const TOKEN_ONLY = new RegExp(`^${TOKEN}$`);
const GENERIC_VALUE = new RegExp(String.raw`^(?:${TOKEN}|\[[0-9A-Fa-f:.]+\]|"(?:[^"\\\x00-\x1f]|\\[^\x00-\x1f])*")$`);

export interface ReplacesValue {
  callId: string;
  toTag: string;
  fromTag: string;
  earlyOnly: boolean;
}

/**
 * A Replaces header value (RFC 3891 section 6.1): `callid *(SEMI replaces-param)` with both
 * `to-tag` and `from-tag` (the RFC requires them), `early-only` optional, other params allowed
 * by the grammar. Undefined when it does not match the grammar or is not a safe header value.
 */
export function parseReplaces(value: string): ReplacesValue | undefined {
  if (!isSafeHeaderValue(value)) return undefined;
  const [callId = "", ...params] = value.split(";").map((p) => p.trim());
  if (!CALL_ID.test(callId)) return undefined;
  let toTag: string | undefined;
  let fromTag: string | undefined;
  let earlyOnly = false;
  for (const param of params) {
    const eq = param.indexOf("=");
    const name = (eq < 0 ? param : param.slice(0, eq)).trim().toLowerCase();
    const val = eq < 0 ? undefined : param.slice(eq + 1).trim();
    if (!TOKEN_ONLY.test(name)) return undefined;
    if (name === "to-tag" || name === "from-tag") {
      if (val === undefined || !TOKEN_ONLY.test(val)) return undefined;
      if (name === "to-tag") toTag = val;
      else fromTag = val;
    } else if (name === "early-only") {
      if (val !== undefined) return undefined;
      earlyOnly = true;
    } else if (val !== undefined && !GENERIC_VALUE.test(val)) {
      return undefined;
    }
  }
  if (toTag === undefined || fromTag === undefined) return undefined;
  return { callId, toTag, fromTag, earlyOnly };
}

export type TargetProblem = "scheme" | "control" | "length" | "maddr";

/**
 * A SIP URI from remote input (a 3xx Contact, a Refer-To) or a link, checked before we send a
 * request to it: `sip:`/`sips:` only, no control characters, bounded, and no `maddr` parameter
 * (it would send our request to a host the URI's author picks, not the one shown). Its
 * `?headers` part is dropped: RFC 3261 19.1.5 lets a URI carry headers for the request built
 * from it, which is how injection comes in; we never copy them (Replaces in a Refer-To is
 * taken separately, through parseReplaces).
 */
export function checkTargetUri(uri: string): { ok: true; uri: string } | { ok: false; problem: TargetProblem } {
  const text = uri.trim();
  if (text.length > MAX_TARGET_URI) return { ok: false, problem: "length" };
  if (CONTROL.test(text)) return { ok: false, problem: "control" };
  if (!/^sips?:/i.test(text)) return { ok: false, problem: "scheme" };
  const bare = text.split("?")[0]!;
  if (/;\s*maddr\s*=/i.test(bare)) return { ok: false, problem: "maddr" };
  return { ok: true, uri: bare };
}

/** The host of a SIP URI (`sip:user@host:port;params`), lower case; undefined if there is none. */
export function uriHost(uri: string): string | undefined {
  const rest = uri.replace(/^sips?:/i, "").split(/[;?]/)[0]!;
  const hostPort = rest.includes("@") ? rest.slice(rest.lastIndexOf("@") + 1) : rest;
  const host = hostPort.startsWith("[") ? hostPort.slice(0, hostPort.indexOf("]") + 1) : hostPort.split(":")[0]!;
  return host ? host.toLowerCase() : undefined;
}
