import type { Words } from "../i18n/words.js";
import type { CallSnapshot } from "../sip/api/call-state.js";
import type { CallFailure } from "../sip/api/failures.js";
import type { LineForwarding } from "../sip/api/forwarding.js";
import type { LineError, LineSnapshot } from "../sip/api/line-state.js";
import type { VoicemailState } from "../sip/api/message-summary.js";
import { PhoneError } from "../sip/api/phone-errors.js";
import type { PresenceSnapshot, PresenceState } from "../sip/api/presence-state.js";
import type { PlainId } from "../i18n/catalogue.js";
import type { ImportSummary } from "./app-context.js";
import { describeMessageFailure } from "./text-message-words.js";

/**
 * Every sentence the phone shows about what happened, built from the codes and data that
 * src/sip reports (words belong to the UI). Which sentence fits is decided here; the sentence
 * itself is in the catalogue (src/i18n), in the language of `w`. Each sentence names what to check.
 */
export function describeRegistrationFailure(w: Words, code: number, reason: string): string {
  if (code === 401 || code === 407 || code === 403) return w.t("register.auth", { code });
  if (code === 404) return w.t("register.unknownAccount", { reason });
  if (code === 408) return w.t("register.timeout");
  if (code === 423) return w.t("register.intervalTooShort");
  if (code === 503) return w.t("register.unavailable", { reason });
  if (code >= 500) return w.t("register.serverError", { code, reason });
  return w.t("register.refused", { code, reason });
}

export function describeCallFailure(w: Words, code: number, reason: string): string {
  switch (code) {
    case 404:
    case 484:
    case 604:
      return w.t("call.notFound", { code });
    case 480:
      return w.t("call.notAvailable");
    case 408:
      return w.t("call.noAnswer");
    case 486:
    case 600:
      return w.t("call.busy", { code });
    case 603:
      return w.t("call.declined");
    case 487:
      return w.t("call.cancelled");
    case 488:
    case 606:
      return w.t("call.notPossible", { code });
    case 401:
    case 407:
    case 403:
      return w.t("call.notAllowed", { code });
    default:
      return code >= 500 ? w.t("call.serverError", { code, reason }) : w.t("call.failedCode", { code, reason });
  }
}

export function describeTransportFailure(w: Words, server: string, retryInMs?: number): string {
  // Browsers do not say why a WebSocket failed (refused, DNS, TLS): name the usual causes.
  const problem = w.t("transport.unreachable", { server });
  return retryInMs === undefined ? problem : w.t("line.retrying", { problem, seconds: Math.max(1, Math.round(retryInMs / 1000)) });
}

/** getUserMedia errors, as a sentence. */
export function describeMediaError(w: Words, error: unknown): string {
  const name = (error as { name?: string } | null)?.name;
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return w.t("mic.blocked");
    case "NotFoundError":
    case "OverconstrainedError":
      return w.t("mic.notFound");
    case "NotReadableError":
    case "AbortError":
      return w.t("mic.inUse");
    default:
      return w.t("mic.unavailable", { name: name ?? String(error) });
  }
}

/** A line's failure as a sentence (LineSnapshot.error). */
export function describeLineError(w: Words, e: LineError): string {
  const seconds = Math.round((e.retryInMs ?? 0) / 1000);
  switch (e.kind) {
    case "auth":
      return describeRegistrationFailure(w, e.code, e.reasonPhrase ?? "");
    case "server":
      return w.t("line.retrying", { problem: describeRegistrationFailure(w, e.code, e.reasonPhrase ?? ""), seconds });
    case "binding":
      return w.t("line.notBound", { seconds });
    case "transport":
      if (e.offline) return w.t("line.offline");
      if (e.next) return w.t("line.tryingNext", { problem: describeTransportFailure(w, e.servers.join(", ")), next: e.next });
      return describeTransportFailure(w, e.servers.join(", "), e.retryInMs ?? 0);
  }
}

/** A call's failure as a sentence (CallSnapshot.failure). */
export function describeCallOutcome(w: Words, f: CallFailure): string {
  switch (f.kind) {
    case "rejected":
      return describeCallFailure(w, f.sipCode, f.reasonPhrase);
    case "microphone":
      return describeMediaError(w, { name: f.error });
    case "error":
      return f.detail ? w.t("call.failedDetail", { detail: f.detail }) : w.t("call.failed");
    case "redirected":
      return describeRedirect(w, f);
    case "dialog-gone":
      return w.t("call.dialogGone");
    case "session-expired":
      return w.t("call.sessionExpired");
    case "no-relay":
      return w.t("call.noRelay");
    case "answer-refused":
      return w.t("call.answerRefused");
    case "rtp-timeout":
      return w.t("call.rtpTimeout", { seconds: f.seconds });
    case "transfer": {
      const t = f.failure;
      if (t.stage === "refer") {
        const code = t.sipCode;
        return code === 403 || code === 405 || code === 501 ? w.t("transfer.refusedByRefer", { code }) : w.t("transfer.refused", { code });
      }
      if (t.stage === "notify") return w.t("transfer.failedTo", { target: f.target, code: t.sipCode });
      if (t.stage === "timeout") return w.t("transfer.noNews", { target: f.target, seconds: t.seconds });
      return w.t("transfer.failed", { detail: t.detail });
    }
    case "click-to-call":
      if (f.stage === "error") return w.t("transfer.failed", { detail: f.detail ?? "" });
      return describeClickToCallFailure(w, f.mode, f.stage, f.sipCode, f.target, f.seconds);
  }
}

/** Words for a failed click-to-call, by what failed. */
export function describeClickToCallFailure(
  w: Words,
  mode: "desk" | "reverse",
  stage: "invite" | "refer" | "notify" | "timeout",
  code: number | undefined,
  target: string,
  timeoutS?: number,
): string {
  const who = mode === "desk" ? w.t("c2c.deskPhone") : target;
  if (stage === "timeout") return w.t("c2c.noAnswerIn", { who, seconds: timeoutS ?? "?" });
  if (stage === "invite") {
    if (code === 486 || code === 600) return w.t("c2c.busy", { who, code });
    if (code === 480 || code === 404) return mode === "desk" ? w.t("c2c.deskUnreachable", { code }) : w.t("c2c.unreachable", { who, code });
    if (code === 603) return w.t("c2c.declined", { who });
    // The reverse leg is a WebRTC offer (click-to-call.ts legMedia): refused where the target
    // can take neither it nor a bridged form of it.
    if (code === 488 || code === 606)
      return mode === "desk" ? w.t("c2c.deskRefusedAudio", { code }) : w.t("c2c.noBrowserCalls", { who, code });
    return w.t("c2c.notCalled", { who, code: code ?? w.t("c2c.noAnswer") });
  }
  if (stage === "refer") {
    if (code === 403 || code === 405 || code === 501)
      return mode === "desk" ? w.t("c2c.deskReferRefused", { code }) : w.t("c2c.referRefused", { code });
    return w.t("transfer.refused", { code: code ?? w.t("c2c.noAnswer") });
  }
  const dest = mode === "desk" ? target : w.t("c2c.yourDeskPhone");
  if (code === 486 || code === 600) return w.t("c2c.busy", { who: dest, code });
  if (code === 487 || code === 408 || code === 480) return w.t("c2c.didNotAnswer", { who: dest, code });
  if (code === 603) return w.t("c2c.declined", { who: dest });
  return w.t("c2c.failed", { who: dest, code: code ?? w.t("c2c.unknown") });
}

/** A line's state as a word: "registered", "connecting" (the codes are public API, the words are not). */
export function describeLineState(w: Words, state: string): string {
  const id = `lineState.${state}`;
  return id in LINE_STATES ? w.t(id as PlainId) : state;
}

const LINE_STATES = Object.fromEntries(
  ["disabled", "connecting", "registering", "registered", "unregistering", "failed", "connected"].map((s) => [`lineState.${s}`, true]),
);

/** A line snapshot with the sentence for its error (what components and host pages read). */
export function wordedLine(w: Words, l: LineSnapshot): LineSnapshot {
  return l.error ? { ...l, error: { ...l.error, message: describeLineError(w, l.error) } } : l;
}

/** A call snapshot with the sentence for its failure. */
export function wordedCall(w: Words, c: CallSnapshot): CallSnapshot {
  return c.failure ? { ...c, message: describeCallOutcome(w, c.failure) } : c;
}

const ENDED: Partial<Record<NonNullable<CallSnapshot["reason"]>, PlainId>> = {
  missed: "ended.missed",
  cancelled: "ended.cancelled",
  hangup: "ended.hangup",
  "remote-hangup": "ended.remoteHangup",
  declined: "ended.declined",
  transferred: "ended.transferred",
  replaced: "ended.replaced",
  "answered-elsewhere": "ended.answeredElsewhere",
  "declined-elsewhere": "ended.declinedElsewhere",
};

/** "Carol (1003)", or the number alone. */
export function describeParty(w: Words, remote: string, remoteName?: string): string {
  return remoteName ? w.t("party.nameAndNumber", { name: remoteName, number: remote }) : remote;
}

/** The notice shown when a call ends: its failure in words, a missed call, or how it ended. */
export function endedNotice(w: Words, c: CallSnapshot): { text: string; kind: "info" | "error" } {
  const who = describeParty(w, c.remote, c.remoteName);
  if (c.failure) return { text: w.t("ended.notice", { what: describeCallOutcome(w, c.failure), who }), kind: "error" };
  if (c.message) return { text: w.t("ended.notice", { what: c.message, who }), kind: "error" };
  if (c.reason === "missed") return { text: w.t("ended.missedFrom", { who }), kind: "info" };
  return { text: w.t("ended.notice", { what: describeCallEnd(w, c.reason), who }), kind: "info" };
}

/** The notice shown when a call ends, by its reason. */
export function describeCallEnd(w: Words, reason: CallSnapshot["reason"]): string {
  return w.t(ENDED[reason ?? "hangup"] ?? "ended.hangup");
}

/** A 3xx, followed or not (follow-policy.ts decides; the user sees the full address when it matters). */
function describeRedirect(w: Words, f: Extract<CallFailure, { kind: "redirected" }>): string {
  switch (f.notFollowed) {
    case undefined:
      return w.t("redirect.to", { target: f.target });
    case "domain":
      return w.t("redirect.outsideDomain", { target: f.uri ?? f.target });
    case "hops":
      return w.t("redirect.tooMany", { target: f.uri ?? f.target });
    case "maddr":
      return w.t("redirect.maddr");
    default:
      return w.t("redirect.notSip");
  }
}

/**
 * A line's forwarding at a glance: "Forwarded to 1003", "Forwarded when busy to 1004, after
 * 20 s to 1005", or nothing when no mode is on.
 */
export function describeForwarding(w: Words, f: LineForwarding | undefined): string {
  if (!f) return "";
  const parts = [
    f.always && w.t("forwarded.always", { to: f.always.to }),
    f.internal && w.t("forwarded.internal", { to: f.internal.to }),
    f.external && w.t("forwarded.external", { to: f.external.to }),
    f.busy && w.t("forwarded.busy", { to: f.busy.to }),
    f["no-answer"] && w.t("forwarded.noAnswer", { after: f["no-answer"].after ?? "", to: f["no-answer"].to }),
  ].filter((p): p is string => !!p);
  return parts.length ? w.t("forwarded.summary", { parts: parts.join(", ") }) : "";
}

// ---- Voicemail and text messages ----

/** The line's voicemail badge: "2 new voicemails, 8 old", or nothing when there is nothing to say. */
export function describeVoicemail(w: Words, v: VoicemailState | undefined): string {
  if (!v || (!v.waiting && !v.new && !v.old)) return "";
  if (!v.new && !v.old) return w.t("voicemail.waiting");
  if (!v.new) return w.t("voicemail.old", { count: v.old });
  return v.old ? w.t("voicemail.newAndOld", { count: v.new, old: v.old }) : w.t("voicemail.new", { count: v.new });
}

/**
 * A refused operation in words, by its code (PhoneError); a code that covers several cases
 * (`bad-state`, `bad-target`) keeps src/sip's own message, which names the case.
 */
export function describePhoneError(w: Words, e: unknown): string {
  if (!(e instanceof PhoneError)) return (e as Error | undefined)?.message ?? String(e);
  const d = e.detail;
  switch (e.code) {
    case "no-line":
      return typeof d.lineId === "string" && d.lineId ? w.t("error.noSuchLine", { line: d.lineId }) : w.t("error.noLine");
    case "no-call":
      return w.t("error.noCall");
    case "no-desk-phone":
      return w.t("error.noDeskPhone");
    case "no-pickup":
    case "no-park":
      return describePickupError(w, e);
    case "bad-text":
      return typeof d.length === "number" && typeof d.max === "number"
        ? w.t("error.messageTooLong", { bytes: d.length, max: d.max })
        : d.length === 0
          ? w.t("error.emptyMessage")
          : e.message;
    case "message-failed":
      return typeof d.sipCode === "number"
        ? describeMessageFailure(w, { kind: "rejected", sipCode: d.sipCode, reasonPhrase: String(d.reasonPhrase ?? "") })
        : e.message;
    default:
      return e.message;
  }
}

/** A refused sendMessage as the host page gets it: the same PhoneError, its message in words. */
export function wordedError(w: Words, e: unknown): unknown {
  if (!(e instanceof PhoneError) || e.code !== "message-failed" || typeof e.detail.sipCode !== "number") return e;
  return new PhoneError(describePhoneError(w, e), e.code, e.detail);
}

// ---- Trust boundaries: links, provisioning, saved passwords (docs/security.md) ----

export function describePasswordNeeded(w: Words, lines: string[]): string {
  return w.t("password.neededFor", { count: lines.length, lines: w.list(lines) });
}

export function describeImport(w: Words, file: string, summary: ImportSummary): string {
  const imported = w.t("import.done", { count: summary.lines, file });
  return summary.needPassword.length
    ? w.t("import.doneAndPasswords", { imported, passwords: describePasswordNeeded(w, summary.needPassword) })
    : imported;
}

// ---- Busy lamps (watch/pickup/park, sip/api/presence.ts) ----

const LAMP: Record<PresenceState, PlainId> = {
  idle: "lamp.idle",
  ringing: "lamp.ringing",
  busy: "lamp.busy",
  offline: "lamp.offline",
  unknown: "lamp.unknown",
};

/** A watched party's state in words: "Ringing (Carol)", "Unknown: not allowed to watch (403)". */
export function describeLamp(w: Words, lamp: Pick<PresenceSnapshot, "state" | "code" | "reason" | "remote">): string {
  const state = w.t(LAMP[lamp.state]);
  if (lamp.state === "unknown" && lamp.code) {
    const code = lamp.code;
    const why = w.t(code === 403 ? "lamp.notAllowed" : code === 404 ? "lamp.noSuchUser" : code === 489 ? "lamp.noLamps" : "lamp.refused");
    return w.t("lamp.why", { state, why, code });
  }
  if (lamp.state === "unknown" && lamp.reason) return w.t("lamp.ended", { state, reason: lamp.reason });
  return lamp.remote && (lamp.state === "ringing" || lamp.state === "busy") ? w.t("lamp.withParty", { state, remote: lamp.remote }) : state;
}

/** Why a pickup or park was refused, for the notice. */
export function describePickupError(w: Words, e: unknown): string {
  if (e instanceof PhoneError && e.code === "no-pickup") return w.t("pickup.nothing");
  if (e instanceof PhoneError && e.code === "no-park") return w.t("park.noExtension");
  return describePhoneError(w, e);
}

// ---- The browser's storage, as the views read and change it (history, contacts) ----

/**
 * "Could not <what>: <why>" (`what` already in words). A StorageError
 * (storage/storage-error.ts) already says why in words; IndexedDB's own errors are named here;
 * anything else keeps its message.
 */
export function describeStorageTrouble(w: Words, what: string, e: unknown): string {
  const name = (e as { name?: unknown } | null)?.name;
  const message = (e as { message?: unknown } | null)?.message;
  const why =
    name === "QuotaExceededError"
      ? w.t("storage.full")
      : name === "InvalidStateError" || name === "UnknownError"
        ? w.t("storage.refused")
        : typeof message === "string" && message.trim()
          ? message.trim()
          : w.t("storage.noReason");
  return w.t("storage.couldNot", { what, why });
}
