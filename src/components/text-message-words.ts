import type { PlainId } from "../i18n/catalogue.js";
import type { Words } from "../i18n/words.js";
import type { MessageFailure, MessageSnapshot } from "../sip/api/text-message.js";

// Text messages (RFC 3428 MESSAGE) in words: why one was not sent, its delivery status.

/** Why a text message was not sent. */
export function describeMessageFailure(w: Words, f: MessageFailure): string {
  if (f.kind === "no-line") return w.t("sms.noLine");
  if (f.kind === "interrupted") return w.t("sms.interrupted");
  const code = f.sipCode;
  switch (code) {
    case 404:
    case 604:
      return w.t("sms.noSuchUser", { code });
    case 480:
      return w.t("sms.unreachable");
    case 408:
      return w.t("sms.timeout");
    case 403:
      return w.t("sms.forbidden");
    case 405:
    case 501:
      return w.t("sms.notTaken", { code });
    case 413:
      return w.t("sms.tooLong");
    case 415:
      return w.t("sms.notPlainText");
    case 503:
      return f.reasonPhrase === "Service Unavailable" || !f.reasonPhrase
        ? w.t("sms.noConnection")
        : w.t("sms.serverUnavailable", { reason: f.reasonPhrase });
    default:
      return w.t("sms.rejected", { code, reason: f.reasonPhrase }).replace(" )", ")");
  }
}

const MESSAGE_STATUS: Record<string, PlainId | undefined> = {
  queued: "sms.status.queued",
  sending: "sms.status.sending",
  sent: "sms.status.sent",
  delivered: "sms.status.delivered",
  failed: "sms.status.failed",
};

/** Delivery status in words, for the conversation view ("" for a received message). */
export function describeMessageStatus(w: Words, status: string): string {
  const id = MESSAGE_STATUS[status];
  return id ? w.t(id) : "";
}

/** A message snapshot with the sentence for its failure (`reason`). */
export function wordedMessage(w: Words, m: MessageSnapshot): MessageSnapshot {
  return m.failure ? { ...m, reason: describeMessageFailure(w, m.failure) } : m;
}
