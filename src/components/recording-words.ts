import type { Words } from "../i18n/words.js";
import type { RecordingFailure } from "../sip/api/recording-media.js";
import type { RecordingSummary } from "../storage/history-store.js";

/*
 * The sentences of call recording that depend on a code, a size or a length, built from the
 * catalogue's `recording.*` messages (the Record button, its indicator, the history's player).
 */

/** Why a recording failed, said so that the user knows what happened and what to do; the call goes on. */
export function recordingFailureText(w: Words, code: RecordingFailure): string {
  switch (code) {
    case "unsupported":
      return w.t("recording.unsupported");
    case "blocked":
      return w.t("recording.blocked");
    case "no-room":
      return w.t("recording.noRoom");
    case "no-storage":
      return w.t("recording.noStorage");
    case "full":
      return w.t("recording.full");
    case "recorder-error":
      return w.t("recording.recorderError");
  }
}

/** A history entry's recording that was not kept, and why. */
export function recordingNotKeptText(w: Words, why: Extract<RecordingSummary, { kept: false }>["why"]): string {
  return why === "quota-exceeded" ? w.t("recording.notKeptFull") : w.t("recording.notKept");
}

/** A file size as people read it: "840 kB", "1.2 MB" ("1,2 MB" in German). */
export function fileSize(w: Words, bytes: number): string {
  if (bytes < 1000 * 1000) return w.t("recording.kB", { size: Math.max(1, Math.round(bytes / 1000)) });
  const mb = bytes / (1000 * 1000);
  return w.t("recording.MB", { size: mb < 10 ? w.fixed(mb, 1) : Math.round(mb) });
}

/** A length as people read it: "45 s", "3 min 20 s". */
export function recordedLength(w: Words, ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return w.t("recording.seconds", { s });
  const min = Math.floor(s / 60);
  return s % 60 ? w.t("recording.minutesSeconds", { min, s: s % 60 }) : w.t("recording.minutes", { min });
}

/** The history row's button: what it opens, with the size. */
export function recordingButtonLabel(w: Words, who: string, bytes: number): string {
  return w.t("recording.play", { who, size: fileSize(w, bytes) });
}

/** The player's heading. */
export function recordingTitle(w: Words, who: string): string {
  return w.t("recording.title", { who });
}

/** The downloaded file's name: `call-1002-2024-05-01T10-20.webm` (not translated: a file name). */
export function recordingFileName(remote: string, startedAt: number, mimeType: string): string {
  const ext = mimeType.includes("ogg") ? "ogg" : mimeType.includes("mp4") ? "m4a" : "webm";
  const who = remote.replace(/[^\w+.-]+/g, "_").slice(0, 40) || "call";
  const at = new Date(startedAt).toISOString().slice(0, 16).replace(/:/g, "-");
  return `call-${who}-${at}.${ext}`;
}

/** What a history row says of its recording: "recorded, 1.2 MB", or that it was not saved. */
export function recordingRowText(w: Words, summary: RecordingSummary): string {
  if (summary.kept) return w.t("recording.row", { size: fileSize(w, summary.bytes) });
  return summary.why === "quota-exceeded" ? w.t("recording.rowNotSavedFull") : w.t("recording.rowNotSaved");
}
