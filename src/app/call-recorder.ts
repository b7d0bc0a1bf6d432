import { CallState, type CallSnapshot } from "../sip/api/call-state.js";
import { addHistory, type HistoryEntry, type HistoryRetention } from "../storage/history-store.js";
import type { QualitySampler } from "./call-quality-watch.js";
import { historyEntryFor, openHistoryEntry } from "./history-entry.js";

export interface CallRecorderDeps {
  /** The label a line shows in the history. */
  labelOf(lineId: string): string;
  /** The retention in force (applied every few writes, see addHistory). */
  retention(): HistoryRetention;
  saved(): void;
  failed(error: Error): void;
  /** Samples how each call sounds while it is connected; its summary goes into the final entry. */
  quality?: QualitySampler;
}

/**
 * Puts the calls of this tab's phone into the history, so that no call is ever missing from it:
 * an entry is written when the call starts (rings here, or dials out), again when it is
 * answered, and completed when it ends. A tab that dies mid-call (crash, killed process) leaves
 * the entry as last written, marked open; one that closes ends its calls first (Phone.pageUnloading).
 *
 * Three writes per call at most: other changes (hold, mute, transfer progress) write nothing.
 * The quality summary (call-quality-watch.ts) goes with the last one only; a tab that dies
 * mid-call loses it, which costs less than a write every few seconds.
 */
export class CallRecorder {
  /** Live calls, and whether their answered state is written. */
  private readonly written = new Map<string, "started" | "answered">();

  constructor(private readonly deps: CallRecorderDeps) {}

  record(call: CallSnapshot): void {
    const label = this.deps.labelOf(call.lineId);
    const stage = this.written.get(call.id);
    if (call.state === CallState.Ended) {
      this.written.delete(call.id);
      this.write(historyEntryFor(call, label, this.deps.quality?.take(call.id)), call);
      return;
    }
    this.deps.quality?.update(call);
    if (call.state === CallState.Established && stage !== "answered") {
      this.written.set(call.id, "answered");
      this.write(openHistoryEntry(call, label), call);
    } else if (!stage && (call.state === CallState.Dialing || call.state === CallState.Ringing || call.state === CallState.Incoming)) {
      this.written.set(call.id, "started");
      this.write(openHistoryEntry(call, label), call);
    }
  }

  private write(entry: HistoryEntry, call: CallSnapshot): void {
    // IndexedDB runs one store's read-write transactions in the order they were made, so a
    // call's later entry always replaces its earlier one. A call never recorded has no
    // recording summary to keep: its entry is put blind, in one step (history-store.ts).
    addHistory(entry, this.deps.retention(), { recorded: call.recording !== undefined }).then(
      () => this.deps.saved(),
      (e: Error) => this.deps.failed(e),
    );
  }
}
