import type { CallSnapshot } from "../sip/api/call-state.js";
import type { CallFailure } from "../sip/api/failures.js";
import type { LineForwarding } from "../sip/api/forwarding.js";
import type { LineError, LineSnapshot } from "../sip/api/line-state.js";
import type { VoicemailState } from "../sip/api/message-summary.js";
import { PhoneError } from "../sip/api/phone-errors.js";
import type { MessageFailure, MessageSnapshot } from "../sip/api/text-message.js";
import type { PresenceSnapshot, PresenceState } from "../sip/api/presence-state.js";
import type { ImportSummary } from "./app-context.js";

/**
 * Every sentence the phone shows about what happened, built from the codes and data that
 * src/sip reports (words belong to the UI). English today; a translation adds a table with
 * the same functions (see the UX issue). Each sentence names what to check.
 */
export function describeRegistrationFailure(code: number, reason: string): string {
  if (code === 401 || code === 407 || code === 403) {
    return `Authentication failed (${code}): check user and password`;
  }
  if (code === 404) return `Unknown account (404 ${reason}): check the SIP address`;
  if (code === 408) return `The server did not answer in time (408)`;
  if (code === 423) return `Registration interval too short for this server (423)`;
  if (code === 503) return `Server unavailable (503 ${reason})`;
  if (code >= 500) return `Server error (${code} ${reason})`;
  return `Registration refused (${code} ${reason})`;
}

export function describeCallFailure(code: number, reason: string): string {
  switch (code) {
    case 404:
    case 484:
    case 604:
      return `Number not found (${code})`;
    case 480:
      return `Not available right now (480)`;
    case 408:
      return `No answer (408)`;
    case 486:
    case 600:
      return `Busy (${code})`;
    case 603:
      return `Declined (603)`;
    case 487:
      return `Call cancelled (487)`;
    case 488:
    case 606:
      return `Call not possible: no common audio format or security setting (${code})`;
    case 401:
    case 407:
    case 403:
      return `Not allowed to call (${code}): check user and password`;
    default:
      return code >= 500 ? `Server error (${code} ${reason})` : `Call failed (${code} ${reason})`;
  }
}

export function describeTransportFailure(server: string, retryInMs?: number): string {
  const retry = retryInMs === undefined ? "" : `, retrying in ${Math.max(1, Math.round(retryInMs / 1000))} s`;
  // Browsers do not say why a WebSocket failed (refused, DNS, TLS): name the usual causes.
  return `Cannot reach ${server}: no connection (server down, wrong address or untrusted certificate)${retry}`;
}

/** getUserMedia errors, as a sentence. */
export function describeMediaError(error: unknown): string {
  const name = (error as { name?: string } | null)?.name;
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return "Microphone access is blocked: allow it in the browser's site settings";
    case "NotFoundError":
    case "OverconstrainedError":
      return "No microphone found: connect one and try again";
    case "NotReadableError":
    case "AbortError":
      return "The microphone is in use by another program or could not be opened";
    default:
      return `Microphone unavailable (${name ?? String(error)})`;
  }
}

/** A line's failure as a sentence (LineSnapshot.error). */
export function describeLineError(e: LineError): string {
  switch (e.kind) {
    case "auth":
      return describeRegistrationFailure(e.code, e.reasonPhrase ?? "");
    case "server":
      return `${describeRegistrationFailure(e.code, e.reasonPhrase ?? "")}, retrying in ${Math.round((e.retryInMs ?? 0) / 1000)} s`;
    case "binding":
      return `The server accepted the registration but did not list this phone among its bindings, so calls would not reach it; retrying in ${Math.round((e.retryInMs ?? 0) / 1000)} s`;
    case "transport":
      if (e.offline) return "Offline: no network. The line registers again by itself when the network is back";
      if (e.next) return `${describeTransportFailure(e.servers.join(", "))}, trying ${e.next}`;
      return describeTransportFailure(e.servers.join(", "), e.retryInMs ?? 0);
  }
}

/** A call's failure as a sentence (CallSnapshot.failure). */
export function describeCallOutcome(f: CallFailure): string {
  switch (f.kind) {
    case "rejected":
      return describeCallFailure(f.sipCode, f.reasonPhrase);
    case "microphone":
      return describeMediaError({ name: f.error });
    case "error":
      return f.detail ? `Call failed: ${f.detail}` : "Call failed";
    case "redirected":
      return describeRedirect(f);
    case "dialog-gone":
      return "The other side no longer knows this call (481)";
    case "session-expired":
      return "The other side stopped answering (no session refresh): the call was ended";
    case "no-relay":
      return "No TURN relay could be reached, and this line sends sound only through one: check its TURN server, username and password";
    case "answer-refused":
      return "The other side answered without an audio codec this phone can use (488 Not Acceptable Here): the call was ended";
    case "rtp-timeout":
      return `No sound from the other side for ${f.seconds} s: the call was ended`;
    case "transfer": {
      const t = f.failure;
      if (t.stage === "refer") {
        const code = t.sipCode;
        return code === 403 || code === 405 || code === 501
          ? `Transfer refused (${code}): the other side or your PBX does not allow call transfer by REFER`
          : `Transfer refused (${code})`;
      }
      if (t.stage === "notify") return `Transfer to ${f.target} failed (${t.sipCode})`;
      if (t.stage === "timeout") return `No news of the transfer to ${f.target} for ${t.seconds} s`;
      return `Transfer failed: ${t.detail}`;
    }
    case "click-to-call":
      if (f.stage === "error") return `Transfer failed: ${f.detail ?? ""}`;
      return describeClickToCallFailure(f.mode, f.stage, f.sipCode, f.target, f.seconds);
  }
}

/** Words for a failed click-to-call, by what failed. */
export function describeClickToCallFailure(
  mode: "desk" | "reverse",
  stage: "invite" | "refer" | "notify" | "timeout",
  code: number | undefined,
  target: string,
  timeoutS?: number,
): string {
  const who = mode === "desk" ? "Your desk phone" : target;
  if (stage === "timeout") return `${who} did not answer in ${timeoutS} s`;
  if (stage === "invite") {
    if (code === 486 || code === 600) return `${who} is busy (${code})`;
    if (code === 480 || code === 404)
      return mode === "desk" ? `Your desk phone is not reachable (${code}): is it registered?` : `${target} is not reachable (${code})`;
    if (code === 603) return `${who} declined the call (603)`;
    // The reverse leg is a WebRTC offer (click-to-call.ts legMedia): refused where the target
    // can take neither it nor a bridged form of it.
    if (code === 488 || code === 606)
      return mode === "desk"
        ? `Your desk phone refused the call's audio settings (${code})`
        : `${target} cannot take a call from the browser (${code}): your PBX must bridge WebRTC audio to it, as for browser calls`;
    return `${who} could not be called (${code ?? "no answer"})`;
  }
  if (stage === "refer") {
    if (code === 403 || code === 405 || code === 501)
      return `Transfer refused (${code}): your PBX or ${mode === "desk" ? "desk phone" : "the other side"} does not allow call transfer by REFER`;
    return `Transfer refused (${code ?? "no answer"})`;
  }
  const dest = mode === "desk" ? target : "your desk phone";
  if (code === 486 || code === 600) return `${dest} is busy (${code})`;
  if (code === 487 || code === 408 || code === 480) return `${dest} did not answer (${code})`;
  if (code === 603) return `${dest} declined the call (603)`;
  return `The call to ${dest} failed (${code ?? "unknown"})`;
}

/** A line snapshot with the sentence for its error (what components and host pages read). */
export function wordedLine(l: LineSnapshot): LineSnapshot {
  return l.error ? { ...l, error: { ...l.error, message: describeLineError(l.error) } } : l;
}

/** A call snapshot with the sentence for its failure. */
export function wordedCall(c: CallSnapshot): CallSnapshot {
  return c.failure ? { ...c, message: describeCallOutcome(c.failure) } : c;
}

const ENDED_TEXT: Partial<Record<NonNullable<CallSnapshot["reason"]>, string>> = {
  missed: "Missed call",
  cancelled: "Call cancelled",
  hangup: "Call ended",
  "remote-hangup": "Call ended by the other side",
  declined: "Call declined",
  transferred: "Call transferred",
  replaced: "Call handed over to the transferred party",
  "answered-elsewhere": "Answered on another device",
  "declined-elsewhere": "Declined on another device",
};

/** The notice shown when a call ends: its failure in words, a missed call, or how it ended. */
export function endedNotice(c: CallSnapshot): { text: string; kind: "info" | "error" } {
  const who = c.remoteName ? `${c.remoteName} (${c.remote})` : c.remote;
  if (c.message) return { text: `${c.message} — ${who}`, kind: "error" };
  if (c.reason === "missed") return { text: `Missed call from ${who}`, kind: "info" };
  return { text: `${describeCallEnd(c.reason)} — ${who}`, kind: "info" };
}

/** The notice shown when a call ends, by its reason. */
export function describeCallEnd(reason: CallSnapshot["reason"]): string {
  return ENDED_TEXT[reason ?? "hangup"] ?? "Call ended";
}

/** A 3xx, followed or not (follow-policy.ts decides; the user sees the full address when it matters). */
function describeRedirect(f: Extract<CallFailure, { kind: "redirected" }>): string {
  switch (f.notFollowed) {
    case undefined:
      return `Redirected to ${f.target}`;
    case "domain":
      return `The other side redirected the call to ${f.uri ?? f.target}, outside your domain: not followed. Call it yourself if you trust it`;
    case "hops":
      return `The call was redirected again, to ${f.uri ?? f.target}: not followed after 3 redirects in a row`;
    case "maddr":
      return `The other side redirected the call to an address that names another server to send it to (maddr): not followed`;
    default:
      return `The other side redirected the call to something that is not a SIP address: not followed`;
  }
}

/**
 * A line's forwarding at a glance: "Forwarded to 1003", "Forwarded when busy to 1004, after
 * 20 s to 1005", or nothing when no mode is on.
 */
export function describeForwarding(f: LineForwarding | undefined): string {
  if (!f) return "";
  const parts = [
    f.always && `to ${f.always.to}`,
    f.internal && `internal callers to ${f.internal.to}`,
    f.external && `external callers to ${f.external.to}`,
    f.busy && `when busy to ${f.busy.to}`,
    f["no-answer"] && `after ${f["no-answer"].after ?? ""} s to ${f["no-answer"].to}`,
  ].filter(Boolean);
  return parts.length ? `Forwarded ${parts.join(", ")}` : "";
}

// ---- Voicemail and text messages ----

/** The line's voicemail badge: "2 new, 8 old", or nothing when there is nothing to say. */
export function describeVoicemail(v: VoicemailState | undefined): string {
  if (!v || (!v.waiting && !v.new && !v.old)) return "";
  if (!v.new && !v.old) return "Voicemail waiting";
  return v.new
    ? `${v.new} new voicemail${v.new === 1 ? "" : "s"}${v.old ? `, ${v.old} old` : ""}`
    : `${v.old} old voicemail${v.old === 1 ? "" : "s"}`;
}

/** Why a text message was not sent. */
export function describeMessageFailure(f: MessageFailure): string {
  if (f.kind === "no-line") return "Not sent: the line it was waiting for was removed or switched off";
  if (f.kind === "interrupted") return "Not sent: the phone was closed before it went out";
  switch (f.sipCode) {
    case 404:
    case 604:
      return `Not sent: no such user or number (${f.sipCode})`;
    case 480:
      return "Not sent: the other side is not reachable right now (480)";
    case 408:
      return "Not sent: no answer from the other side or the server (408)";
    case 403:
      return "Not sent: the server does not allow it (403)";
    case 405:
    case 501:
      return `Not sent: the other side does not take text messages (${f.sipCode})`;
    case 413:
      return "Not sent: the message is too long for the other side (413)";
    case 415:
      return "Not sent: the other side does not take plain text messages (415)";
    case 503:
      return f.reasonPhrase === "Service Unavailable" || !f.reasonPhrase
        ? "Not sent: no connection to the server (503)"
        : `Not sent: server unavailable (503 ${f.reasonPhrase})`;
    default:
      return `Not sent (${f.sipCode} ${f.reasonPhrase})`.trim();
  }
}

/** Delivery status in words, for the conversation view. */
export const MESSAGE_STATUS_TEXT: Record<string, string> = {
  queued: "Waiting for the line",
  sending: "Sending…",
  sent: "Sent",
  delivered: "Delivered",
  failed: "Not sent",
  received: "",
};

/** A refused sendMessage as the host page gets it: the same PhoneError, its message in words. */
export function wordedError(e: unknown): unknown {
  if (!(e instanceof PhoneError) || e.code !== "message-failed" || typeof e.detail.sipCode !== "number") return e;
  const reasonPhrase = String(e.detail.reasonPhrase ?? "");
  return new PhoneError(describeMessageFailure({ kind: "rejected", sipCode: e.detail.sipCode, reasonPhrase }), e.code, e.detail);
}

/** A message snapshot with the sentence for its failure (`reason`). */
export function wordedMessage(m: MessageSnapshot): MessageSnapshot {
  return m.failure ? { ...m, reason: describeMessageFailure(m.failure) } : m;
}

// ---- Trust boundaries: links, provisioning, saved passwords (docs/security.md) ----

/** Placeholder of the password field of a line whose password is saved (the form never has it). */
export const PASSWORD_SAVED = "Saved: leave empty to keep it";

/** Help under the password field once an edit means the saved password will not be kept. */
export const PASSWORD_NEEDED_AGAIN =
  "You changed the address, user, servers or proxy: type the password again (a saved password is only sent where it was saved for)";

export function describePasswordNeeded(lines: string[]): string {
  const whose = lines.length === 1 ? "needs its" : "need their";
  return `${lines.join(", ")} ${whose} password again: the address, user, servers or proxy changed, so the saved one was not kept`;
}

export function describeImport(file: string, summary: ImportSummary): string {
  const text = `Imported ${summary.lines} line${summary.lines === 1 ? "" : "s"} from ${file}`;
  return summary.needPassword.length ? `${text}. ${describePasswordNeeded(summary.needPassword)}` : text;
}

// ---- Busy lamps (watch/pickup/park, sip/api/presence.ts) ----

const LAMP_WORDS: Record<PresenceState, string> = {
  idle: "Free",
  ringing: "Ringing",
  busy: "Busy",
  offline: "Offline",
  unknown: "Unknown",
};

/** A watched party's state in words: "Ringing (Carol)", "Unknown: not allowed to watch (403)". */
export function describeLamp(lamp: Pick<PresenceSnapshot, "state" | "code" | "reason" | "remote">): string {
  const word = LAMP_WORDS[lamp.state];
  if (lamp.state === "unknown" && lamp.code) {
    const why =
      lamp.code === 403
        ? "not allowed to watch"
        : lamp.code === 404
          ? "no such user"
          : lamp.code === 489
            ? "the server offers no busy lamps"
            : "refused";
    return `${word}: ${why} (${lamp.code})`;
  }
  if (lamp.state === "unknown" && lamp.reason) return `${word}: the server ended the watch (${lamp.reason})`;
  return lamp.remote && (lamp.state === "ringing" || lamp.state === "busy") ? `${word} (${lamp.remote})` : word;
}

/** Why a pickup or park was refused, for the notice. */
export function describePickupError(e: unknown): string {
  if (e instanceof PhoneError && e.code === "no-pickup") return "Nothing to pick up there, and this line has no pickup code";
  if (e instanceof PhoneError && e.code === "no-park") return "This line has no park extension (parkExtension)";
  return (e as Error).message;
}

// ---- The browser's storage, as the views read and change it (history, contacts) ----

/**
 * "Could not <what>: <why>". A StorageError (storage/storage-error.ts) already says why in
 * words; IndexedDB's own errors are named here; anything else keeps its message.
 */
export function describeStorageTrouble(what: string, e: unknown): string {
  const name = (e as { name?: unknown } | null)?.name;
  const message = (e as { message?: unknown } | null)?.message;
  const why =
    name === "QuotaExceededError"
      ? "The browser's storage for this site is full"
      : name === "InvalidStateError" || name === "UnknownError"
        ? "The browser refused to open its storage (private window or disk problem)"
        : typeof message === "string" && message.trim()
          ? message.trim()
          : "The browser gave no reason";
  return `Could not ${what}: ${why}`;
}
