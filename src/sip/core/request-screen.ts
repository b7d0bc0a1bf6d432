import { IncomingRequestMessage, LoggerFactory, Parser } from "sip.js/lib/core/index.js";
import { AllowedMethods } from "sip.js/lib/core/user-agent-core/allowed-methods.js";
import { headerValues, splitRequest, statelessResponse, type RawRequest } from "./raw-request.js";

/**
 * The largest MESSAGE body taken, in bytes (413 above, RFC 3428 7). The same bound as
 * MAX_MESSAGE_BYTES in sip/api/text-message.ts (core cannot import api).
 */
export const MAX_MESSAGE_BODY = 16 * 1024;

/**
 * What every incoming request must pass before SIP.js sees it: the checks of RFC 3261 8.2 that
 * SIP.js 0.21 leaves as a TODO (8.2.3 content) or does not make (version, duplicate or missing
 * mandatory headers, CSeq, Content-Length, Via branch), each answered statelessly as
 * the RFC says instead of being dropped, mis-read (SIP.js keeps the last of two Call-IDs) or
 * thrown on (a Request-URI that is no SIP URI made SIP.js throw in the page). The RFC 4475
 * torture messages are the proof set (src/sip/core/request-screen.test.ts and
 * e2e/hostile-requests.test.mjs). It runs in the transport (websocket-flow.ts), where every
 * message arrives and where RFC 3261 18.3 puts framing errors. Require (8.2.2.3, 420) is checked
 * in SIP.js's core instead (patched in-tree): only the UserAgent knows the option tags it lists
 * in Supported.
 */

/**
 * Methods this phone handles: SIP.js's AllowedMethods, patched to this list (ACK, BYE, CANCEL,
 * INFO, INVITE, MESSAGE, NOTIFY, OPTIONS, REFER) so that every Allow header we send says the same.
 * NOTIFY: the progress of our REFERs and message waiting (RFC 3842); INFO: accepted and ignored
 * in a call; MESSAGE: text messages (RFC 3428, text/plain only, see contentProblem).
 * SUBSCRIBE, REGISTER, PRACK and UPDATE are not handled.
 */
export const HANDLED_METHODS: readonly string[] = AllowedMethods;
/** Methods defined by RFC 3261 and its extensions: known but not handled here is 405, unknown 501. */
const KNOWN_METHODS = new Set<string>([...HANDLED_METHODS, "MESSAGE", "PRACK", "PUBLISH", "REGISTER", "SUBSCRIBE", "UPDATE"]);

/** Headers that may appear once only (RFC 3261 20, RFC 3891 3, RFC 3515 2.4.1). */
const SINGLE = ["call-id", "from", "to", "cseq", "content-length", "content-type", "max-forwards", "replaces", "refer-to"];
const MANDATORY = ["from", "to", "call-id", "cseq"];
/** RFC 3261 8.1.1.5: the CSeq number MUST be below 2**31. */
const MAX_CSEQ = 2 ** 31 - 1;
const ALLOW = `Allow: ${HANDLED_METHODS.join(", ")}`;
const METHOD = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

export type ScreenVerdict =
  /** Well formed and for us to handle: SIP.js takes it. */
  | { kind: "pass" }
  /** Answered here: `reply` is the whole response to send back. */
  | { kind: "refuse"; status: number; reply: string }
  /** Nothing to answer with (no Via to send a response along): dropped. */
  | { kind: "drop"; why: string };

const PASS: ScreenVerdict = { kind: "pass" };

const quiet = new LoggerFactory();
quiet.builtinEnabled = false;
const parserLogger = quiet.getLogger("sip.screen");

/** Screens one message off the wire. Responses pass: SIP.js discards the ones it cannot match. */
export function screenRequest(text: string): ScreenVerdict {
  if (text.startsWith("SIP/")) return PASS;
  const raw = splitRequest(text);
  if (!raw) return { kind: "drop", why: "no line end" };
  if (!headerValues(raw, "via").length) return { kind: "drop", why: "no Via to answer along" };
  const refusal = refusalOf(raw, text);
  if (!refusal) return PASS;
  const [status, reason, headers = []] = refusal;
  return { kind: "refuse", status, reply: statelessResponse(raw, status, reason, headers) };
}

type Refusal = [status: number, reason: string, headers?: string[]];

/** In the order of RFC 3261 8.2, the framing errors of 18.3 first. */
function refusalOf(raw: RawRequest, text: string): Refusal | undefined {
  const parts = raw.startLine.split(" ");
  const [method = "", uri = "", version = ""] = parts;
  const versionMatch = /^SIP\/(\d+)\.(\d+)$/i.exec(version);
  if (parts.length !== 3 || !METHOD.test(method) || !uri || !versionMatch) return [400, "Bad Request-Line"];
  if (Number(versionMatch[1]) !== 2 || Number(versionMatch[2]) !== 0) return [505, "Version Not Supported"];
  if (raw.malformed) return [400, "Malformed Header Field"];
  for (const name of MANDATORY) if (!headerValues(raw, name).length) return [400, `Missing ${display(name)}`];
  for (const name of SINGLE) if (headerValues(raw, name).length > 1) return [400, `Multiple ${display(name)}`];
  const cseq = /^(\d{1,10})\s+(\S+)$/.exec(headerValues(raw, "cseq")[0] ?? "");
  if (!cseq || Number(cseq[1]) > MAX_CSEQ) return [400, "Bad CSeq"];
  const length = lengthProblem(raw);
  if (length) return [400, length];
  // RFC 3261 8.1.1.7: SIP.js matches transactions by the top Via's branch alone (17.2.3 rule 1),
  // so two requests without one would be taken for one transaction (RFC 4475 longreq and inv2543
  // were): RFC 2543 peers are not served. Over WebSocket the top Via is the proxy's, which has one.
  const topVia = (headerValues(raw, "via")[0] ?? "").split(",")[0]!;
  const branch = /;\s*branch\s*=\s*([^;,\s]*)/i.exec(topVia)?.[1] ?? "";
  if (!branch || branch.toLowerCase() === "z9hg4bk") return [400, "Missing Via Branch"];
  // 8.2.1: a method we do not know is 501 (RFC 4475 3.1.1.2 intmeth, 3.1.2.18 mismatch02), one we
  // know but do not handle 405; both list what we handle.
  if (!KNOWN_METHODS.has(method)) return [501, "Not Implemented", [ALLOW]];
  if (cseq[2] !== method) return [400, "CSeq Method Mismatch"];
  if (!HANDLED_METHODS.includes(method)) return [405, "Method Not Allowed", [ALLOW]];
  // 8.2.2.1: SIP.js only takes sip: (its core answers 416 too, but threw first on URIs it cannot parse).
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  if (!scheme) return [400, "Bad Request-URI"];
  if (scheme !== "sip") return [416, "Unsupported URI Scheme"];
  // RFC 4475 3.1.2.11: headers escaped into the Request-URI are refused, never applied.
  if (uri.includes("?")) return [400, "Bad Request-URI"];
  return grammarProblem(text, method) ?? contentProblem(raw, method);
}

function display(name: string): string {
  return name === "call-id"
    ? "Call-ID"
    : name === "cseq"
      ? "CSeq"
      : name.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase());
}

/** Content-Length: digits only (RFC 4475 ncl), not beyond the body that came (clerr). */
function lengthProblem(raw: RawRequest): string | undefined {
  const [value] = headerValues(raw, "content-length");
  if (value === undefined) return undefined;
  if (!/^\d{1,10}$/.test(value)) return "Bad Content-Length";
  return Number(value) > new TextEncoder().encode(raw.body).length ? "Bad Content-Length" : undefined;
}

/** What SIP.js's own parser refuses (RFC 4475 badinv01, quotbal, baddn, badaspec ...), and Replaces/Refer-To it would throw on. */
function grammarProblem(text: string, method: string): Refusal | undefined {
  let message: unknown;
  try {
    message = Parser.parseMessage(text, parserLogger);
  } catch {
    message = undefined;
  }
  if (!(message instanceof IncomingRequestMessage) || !message.ruri) return [400, "Bad Request"];
  if (message.hasHeader("replaces")) {
    // RFC 3891 3: Replaces in anything but INVITE is 400; SIP.js threw on one without both tags.
    const r = method === "INVITE" ? (message.parseHeader("replaces") as Record<string, unknown> | undefined) : undefined;
    if (!r || typeof r.call_id !== "string" || typeof r.replaces_to_tag !== "string" || typeof r.replaces_from_tag !== "string") {
      return [400, "Bad Replaces"];
    }
  }
  if (method === "REFER" && !message.hasHeader("refer-to")) return [400, "Missing Refer-To"];
  return undefined;
}

const mediaType = (value: string) => (value.split(";")[0] ?? "").trim().toLowerCase();

/**
 * 8.2.3 for the requests whose body we read. INVITE: SDP, unencoded (415 with Accept or
 * Accept-Encoding), and an Accept that lets us answer with SDP (406, RFC 4475 "sdp01").
 * SDP we cannot take (no audio) is the incoming policy's 488. MESSAGE: see messageProblem.
 */
function contentProblem(raw: RawRequest, method: string): Refusal | undefined {
  const [length] = headerValues(raw, "content-length");
  const body = length === undefined ? raw.body : raw.body.slice(0, Number(length));
  if (method === "MESSAGE") return messageProblem(raw, body);
  if (method !== "INVITE") return undefined;
  if (body.trim()) {
    const encodings = headerValues(raw, "content-encoding").flatMap((v) => v.split(","));
    if (encodings.some((e) => e.trim() && e.trim().toLowerCase() !== "identity")) {
      return [415, "Unsupported Media Type", ["Accept-Encoding: identity"]];
    }
    const [type] = headerValues(raw, "content-type");
    if (type === undefined) return [400, "Missing Content-Type"];
    if (mediaType(type) !== "application/sdp") return [415, "Unsupported Media Type", ["Accept: application/sdp"]];
  }
  const accept = headerValues(raw, "accept");
  if (accept.length) {
    const ranges = accept.flatMap((v) => v.split(",")).map(mediaType);
    if (!ranges.some((r) => r === "application/sdp" || r === "application/*" || r === "*/*")) {
      return [406, "Not Acceptable", ['Warning: 399 webphone "answers carry application/sdp only"']];
    }
  }
  return undefined;
}

/** Character sets a text/plain body may name: it arrives as UTF-8 (a WebSocket text frame). */
const TEXT_CHARSETS = new Set(["utf-8", "utf8", "us-ascii"]);

/**
 * RFC 3428 7 and 8.2.3 for MESSAGE: the phone shows text, so only `text/plain` in UTF-8 is taken
 * (415 with `Accept: text/plain`, which tells the sender what to send instead; isComposing
 * notices, RFC 3994, are not shown either), unencoded (415 with Accept-Encoding), and at most
 * MAX_MESSAGE_BODY bytes (413: a message is one request, and whatever it holds is kept).
 */
function messageProblem(raw: RawRequest, body: string): Refusal | undefined {
  if (new TextEncoder().encode(body).length > MAX_MESSAGE_BODY) return [413, "Request Entity Too Large"];
  const encodings = headerValues(raw, "content-encoding").flatMap((v) => v.split(","));
  if (encodings.some((e) => e.trim() && e.trim().toLowerCase() !== "identity")) {
    return [415, "Unsupported Media Type", ["Accept-Encoding: identity"]];
  }
  const [type] = headerValues(raw, "content-type");
  if (type === undefined) return body ? [400, "Missing Content-Type"] : undefined;
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1]?.toLowerCase();
  if (mediaType(type) !== "text/plain" || (charset && !TEXT_CHARSETS.has(charset))) {
    return [415, "Unsupported Media Type", ["Accept: text/plain"]];
  }
  return undefined;
}
