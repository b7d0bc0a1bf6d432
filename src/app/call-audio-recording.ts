import { RecordingError, type CallAudio, type RecordingSink } from "../sip/api/recording-media.js";
import { attachRecording, historyKeyOf, type HistoryEntry, type RecordingSummary } from "../storage/history-store.js";
import {
  deleteRecording,
  loadRecording,
  recordingRoom,
  saveRecording,
  storageEstimate,
  type StoredRecording,
} from "../storage/recording-store.js";

export interface CallAudioKeeperDeps {
  /** A recording (or why it was not kept) is now in its history entry. */
  saved(): void;
  failed(error: Error): void;
  /** The storage estimate (tests: a fixed one); navigator.storage.estimate by default. */
  estimate?: () => Promise<{ quota?: number; usage?: number } | undefined>;
}

/**
 * Keeps the calls' recordings with their history entries: the phone's RecordingSink in the tab
 * that holds the calls (loaded with the first recording). Before a recording starts it checks
 * the room the browser's storage has left (recordingRoom); when the call has ended it writes the
 * file (recording-store.ts, under the entry's key) and notes it in the entry. A file that cannot
 * be written is noted there too (storage full, write failed): the user learns it where they
 * would look for the recording, the call being over by then.
 *
 * The entry is written when the call ends (call-recorder.ts), before the recorder hands over the
 * file (MediaRecorder's stop event comes later), and IndexedDB runs a store's transactions in
 * the order they were made; the history's own later writes keep the note (addHistory).
 */
export class CallAudioKeeper implements RecordingSink {
  constructor(private readonly deps: CallAudioKeeperDeps) {}

  async room(): Promise<number> {
    const bytes = recordingRoom(await (this.deps.estimate ?? storageEstimate)());
    if (!bytes) throw new RecordingError("no-room");
    return bytes;
  }

  async keep(audio: CallAudio): Promise<void> {
    const key = historyKeyOf({ startedAt: audio.callStartedAt, id: audio.callId });
    let summary: RecordingSummary;
    try {
      await saveRecording(key, { blob: audio.blob, mimeType: audio.mimeType, durationMs: audio.durationMs });
      summary = { kept: true, bytes: audio.blob.size, mimeType: audio.mimeType, durationMs: audio.durationMs };
    } catch (e) {
      this.deps.failed(e as Error);
      summary = { kept: false, why: (e as { name?: unknown } | null)?.name === "QuotaExceededError" ? "quota-exceeded" : "write-failed" };
    }
    try {
      // The entry was deleted meanwhile (or never written): its recording must not stay behind.
      if (!(await attachRecording(key, summary)) && summary.kept) await deleteRecording(key);
    } catch (e) {
      this.deps.failed(e as Error);
    }
    this.deps.saved();
  }
}

/** A history entry's recording (the file, its type and length); undefined when none is kept. */
export function recordingOf(entry: Pick<HistoryEntry, "startedAt" | "id">): Promise<StoredRecording | undefined> {
  return loadRecording(historyKeyOf(entry));
}
