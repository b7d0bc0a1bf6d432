/**
 * A SIP request as text, split the tolerant way: start line, header fields (unfolded, compact
 * names expanded) and body, without interpreting any value. It serves the requests SIP.js
 * cannot answer itself: those its parser refuses or its core drops (missing headers, broken
 * grammar), which RFC 3261 8.2 and RFC 4475 want answered, not ignored. A response needs only
 * the Via, From, To, Call-ID and CSeq copied (RFC 3261 8.2.6.2), so raw values are enough.
 */
export interface RawHeader {
  /** Lower-case long form ("call-id" for "i", "Call-ID" or "CALL-ID"). */
  name: string;
  /** Unfolded (RFC 3261 7.3.1: a folded line is one SP), trimmed. */
  value: string;
}

export interface RawRequest {
  startLine: string;
  headers: RawHeader[];
  /** Everything after the empty line (over WebSocket a frame is one message, RFC 7118 5.3). */
  body: string;
  /** A line that is no `name: value` field, or a CR or LF that does not end a line. */
  malformed: boolean;
}

/** RFC 3261 7.3.3 compact forms, and those of the extensions SIP.js knows (RFC 3515, 3841, 4028, 6665, 3892, 8224). */
const COMPACT: Readonly<Record<string, string>> = {
  a: "accept-contact",
  b: "referred-by",
  c: "content-type",
  d: "request-disposition",
  e: "content-encoding",
  f: "from",
  i: "call-id",
  j: "reject-contact",
  k: "supported",
  l: "content-length",
  m: "contact",
  o: "event",
  r: "refer-to",
  s: "subject",
  t: "to",
  u: "allow-events",
  v: "via",
  x: "session-expires",
  y: "identity",
};

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** Splits `text`; undefined when it has no line end at all (nothing to answer). */
export function splitRequest(text: string): RawRequest | undefined {
  const firstEnd = text.indexOf("\r\n");
  if (firstEnd < 0) return undefined;
  const headEnd = text.indexOf("\r\n\r\n", firstEnd);
  // Without the empty line the message never ended: its fields are still worth reading to answer.
  const head = headEnd < 0 ? text.slice(firstEnd + 2) : text.slice(firstEnd + 2, headEnd + 2);
  const body = headEnd < 0 ? "" : text.slice(headEnd + 4);
  let malformed = headEnd < 0;
  const fields: string[] = [];
  for (const line of head.split("\r\n")) {
    if (line === "") continue;
    if (/[\r\n]/.test(line)) malformed = true;
    if ((line.startsWith(" ") || line.startsWith("\t")) && fields.length) fields[fields.length - 1] += " " + line.trim();
    else fields.push(line);
  }
  const headers: RawHeader[] = [];
  for (const field of fields) {
    const colon = field.indexOf(":");
    const name = colon < 0 ? "" : field.slice(0, colon).trim();
    if (!TOKEN.test(name)) {
      malformed = true;
      continue;
    }
    const lower = name.toLowerCase();
    headers.push({ name: COMPACT[lower] ?? lower, value: field.slice(colon + 1).trim() });
  }
  return { startLine: text.slice(0, firstEnd), headers, body, malformed };
}

/** Every value of header `name` (lower-case long form), one per field, in order. */
export function headerValues(request: RawRequest, name: string): string[] {
  return request.headers.filter((h) => h.name === name).map((h) => h.value);
}

/** `value` with quoted strings and `<...>` blanked, so that its own `;params` can be looked at. */
function outsideQuotesAndBrackets(value: string): string {
  return value.replace(/"(?:[^"\\]|\\.)*"?/g, '""').replace(/<[^>]*>?/g, "<>");
}

/** FNV-1a: the same request always gets the same To-tag (RFC 3261 8.2.7, stateless UAS). */
function tagFor(request: RawRequest): string {
  const seed = ["call-id", "from", "cseq", "via"].map((n) => headerValues(request, n)[0] ?? "").join("\n");
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) hash = Math.imul(hash ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  return `s${hash.toString(36)}`;
}

/** A value we copy back: a bare CR or LF in a hostile request must not start a line of ours. */
const copied = (value: string) => value.replace(/[\r\n]+/g, " ");

/**
 * A stateless final response to `request` (RFC 3261 8.2.6 and 8.2.7): its Via fields, From,
 * To (with a tag of ours when it had none), Call-ID and CSeq copied, whichever of them exist.
 */
export function statelessResponse(request: RawRequest, status: number, reason: string, extraHeaders: string[] = []): string {
  const lines = [`SIP/2.0 ${status} ${reason}`];
  for (const via of headerValues(request, "via")) lines.push(`Via: ${copied(via)}`);
  const [from] = headerValues(request, "from");
  if (from !== undefined) lines.push(`From: ${copied(from)}`);
  const [to] = headerValues(request, "to");
  if (to !== undefined) {
    const tagged = /;\s*tag\s*=/i.test(outsideQuotesAndBrackets(to));
    lines.push(`To: ${copied(to)}${tagged ? "" : `;tag=${tagFor(request)}`}`);
  }
  const [callId] = headerValues(request, "call-id");
  if (callId !== undefined) lines.push(`Call-ID: ${copied(callId)}`);
  const [cseq] = headerValues(request, "cseq");
  if (cseq !== undefined) lines.push(`CSeq: ${copied(cseq)}`);
  lines.push(...extraHeaders, "Content-Length: 0");
  return lines.join("\r\n") + "\r\n\r\n";
}
