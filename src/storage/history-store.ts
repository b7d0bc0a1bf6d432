import { clear, createStore, del, promisifyRequest, setMany, values } from "idb-keyval";
import { describeStorageFailure, StorageError } from "./storage-error.js";
import { keyAt, newestValues, pruneTimeKeyed, type Retention } from "./time-keyed.js";

/** One call in the history. */
/** `answered-elsewhere`/`declined-elsewhere`: another device of the same number took the call (not missed). */
export type CallResult = "answered" | "missed" | "declined" | "cancelled" | "failed" | "answered-elsewhere" | "declined-elsewhere";

export interface HistoryEntry {
  id: string;
  lineId: string;
  lineLabel: string;
  direction: "in" | "out";
  remote: string;
  remoteName?: string;
  startedAt: number;
  answeredAt?: number;
  endedAt: number;
  durationMs: number;
  result: CallResult;
  sipCode?: number;
  /**
   * Written while the call was still up (it is recorded when it starts, so that a tab that
   * dies mid-call loses nothing): `endedAt` and `result` are as far as known then. The entry
   * written when the call ends replaces it, without this flag.
   */
  open?: boolean;
  /** How the call sounded; absent in entries written before calls were sampled, and for calls never heard. */
  quality?: CallQualitySummary;
  /** The call was recorded: the file is in recording-store.ts under this entry's key. */
  recording?: RecordingSummary;
}

/**
 * A call's recording: kept (its size, type and length; the file under the entry's key in
 * recording-store.ts), or not kept and why: the browser's storage was full, or the write failed.
 */
export type RecordingSummary =
  { kept: true; bytes: number; mimeType: string; durationMs: number } | { kept: false; why: "quota-exceeded" | "write-failed" };

/**
 * How a call sounded, summed up from readings every few seconds while it was connected and not
 * held (app/call-quality-watch.ts), for the direction we listen to. Figures only: the UI words
 * and grades them. Running figures, so a call of hours takes no more room than one of a minute.
 */
export interface CallQualitySummary {
  /** Mean opinion score (E-model estimate, 1..4.5), averaged over the readings. */
  mosAvg: number;
  /** The lowest reading's MOS. */
  mosWorst: number;
  /** The highest reading's packet loss, percent (each over the 5-10 s before it). */
  lossWorstPercent: number;
  jitterAvgMs: number;
  /** The media path's round trip, averaged over the readings that had one. */
  rttAvgMs?: number;
  /** The codec heard at the last reading, as SDP names it (`opus`, `PCMU`). */
  codec?: string;
  /** How many readings the figures are from. */
  samples: number;
}

/** How much history is kept: the newest `maxEntries`, none older than `maxAgeDays`. */
export type HistoryRetention = Retention;

const store = createStore("webphone-history", "calls");

/** Writes between two prunings: counting walks the store, too much work for every write. */
export const PRUNE_EVERY = 50;
let writesSincePrune = 0;

/** Keys sort by start time, so cursors walk the history in time order. An entry's recording has the same key. */
export function historyKeyOf(e: Pick<HistoryEntry, "startedAt" | "id">): string {
  return keyAt(e.startedAt, e.id);
}
const keyOf = historyKeyOf;

/**
 * Writes an entry (a call's entry again replaces it: same start and id). With `retention`,
 * every PRUNE_EVERY-th such write also deletes what the retention does not keep.
 * `recorded: false` says the call was never recorded, so no stored version carries a recording
 * summary to keep: the entry is put blind and committed at once (see putKeepingRecording).
 */
export async function addHistory(entry: HistoryEntry, retention?: HistoryRetention, { recorded = true } = {}): Promise<void> {
  try {
    await putKeepingRecording(keyOf(entry), entry, recorded);
    if (retention && ++writesSincePrune >= PRUNE_EVERY) {
      writesSincePrune = 0;
      await pruneHistory(retention);
    }
  } catch (e) {
    throw new StorageError(describeStorageFailure(e), e);
  }
}

/**
 * Deletes, in one transaction, the entries older than `maxAgeDays` and then the oldest beyond
 * `maxEntries`. Two range deletes and a count: no entry is read. Resolves with how many went.
 */
export async function pruneHistory(retention: HistoryRetention, now = Date.now()): Promise<number> {
  const removed = await pruneTimeKeyed(store, retention, now);
  // Their recordings go with them (the recordings' database is not opened when nothing went).
  if (removed) await dropOrphanRecordings();
  return removed;
}

/**
 * Writes `entry`, keeping the recording summary its stored version has: a call's file can be
 * kept before the call's last write (a recording paused mid-call is attached when the call ends,
 * but the app may write the entry again).
 *
 * Without a recording to keep, the put goes out with the transaction's commit() in the same
 * task: a call's last entry is written from `pagehide` (Phone.pageUnloading), and a read whose
 * success callback must run before the put was lost when the page went first (seen in CI: the
 * entry stayed as written when the call started).
 */
function putKeepingRecording(key: string, entry: HistoryEntry, recorded: boolean): Promise<void> {
  return store("readwrite", (s) => {
    if (!recorded) {
      s.put(entry, key);
      s.transaction.commit?.();
      return promisifyRequest(s.transaction);
    }
    const old = s.get(key);
    old.onsuccess = () => {
      const kept = (old.result as HistoryEntry | undefined)?.recording;
      s.put(kept && !entry.recording ? { ...entry, recording: kept } : entry, key);
    };
    return promisifyRequest(s.transaction);
  });
}

/** Notes the recording (or why it was not kept) in the entry with `key`; false when there is no such entry. */
export function attachRecording(key: string, recording: RecordingSummary): Promise<boolean> {
  return store("readwrite", (s) => {
    let found = false;
    const req = s.get(key);
    req.onsuccess = () => {
      const entry = req.result as HistoryEntry | undefined;
      if (!entry) return;
      found = true;
      s.put({ ...entry, recording }, key);
    };
    return promisifyRequest(s.transaction).then(() => found);
  });
}

/** The recordings' store (recording-store.ts), loaded when an entry may have one to delete. */
const recordings = () => import("./recording-store.js");

/** Deletes one entry, and its recording with it. */
export async function deleteHistoryEntry(entry: Pick<HistoryEntry, "startedAt" | "id">): Promise<void> {
  const key = keyOf(entry);
  await del(key, store);
  await (await recordings()).deleteRecording(key);
}

/** Deletes the recordings older than the oldest entry (whose entries retention removed). */
async function dropOrphanRecordings(): Promise<void> {
  const oldest = await store("readonly", (s) => promisifyRequest(s.openKeyCursor()).then((c) => c?.key as string | undefined));
  await (await recordings()).dropRecordingsBefore(oldest);
}

/** Many entries in one transaction (imports, benchmarks). */
export function addHistoryBulk(entries: HistoryEntry[]): Promise<void> {
  return setMany(
    entries.map((e) => [keyOf(e), e]),
    store,
  );
}

/** The newest `limit` entries, newest first, read with a cursor (fast even with 100 000). */
export function recentHistory(limit: number): Promise<HistoryEntry[]> {
  return newestValues<HistoryEntry>(store, limit);
}

/** Every entry, newest first. */
export async function allHistory(): Promise<HistoryEntry[]> {
  return (await values<HistoryEntry>(store)).reverse();
}

export function countHistory(): Promise<number> {
  return store("readonly", (s) => promisifyRequest(s.count()));
}

/** Deletes every entry, and every recording. */
export async function clearHistory(): Promise<void> {
  await clear(store);
  await (await recordings()).clearRecordings();
}

const CSV_COLUMNS: Array<[string, (e: HistoryEntry) => string | number | undefined]> = [
  ["start", (e) => new Date(e.startedAt).toISOString()],
  ["direction", (e) => (e.direction === "in" ? "incoming" : "outgoing")],
  ["line", (e) => e.lineLabel],
  ["number", (e) => e.remote],
  ["name", (e) => e.remoteName],
  ["result", (e) => e.result],
  ["sip_code", (e) => e.sipCode],
  ["answered", (e) => (e.answeredAt ? new Date(e.answeredAt).toISOString() : "")],
  ["end", (e) => new Date(e.endedAt).toISOString()],
  ["duration_s", (e) => Math.round(e.durationMs / 1000)],
  // Last, so that sheets made for the columns above still read them where they were.
  ["mos_avg", (e) => e.quality?.mosAvg],
  ["mos_worst", (e) => e.quality?.mosWorst],
  ["loss_worst_pct", (e) => e.quality?.lossWorstPercent],
  ["jitter_avg_ms", (e) => e.quality?.jitterAvgMs],
  ["rtt_avg_ms", (e) => e.quality?.rttAvgMs],
  ["codec", (e) => e.quality?.codec],
];

/**
 * One CSV cell. Cells that a spreadsheet would read as a formula (= + - @, tab, CR) get a
 * leading apostrophe so that a caller name cannot run a formula in the user's spreadsheet.
 */
export function csvCell(value: string | number | undefined): string {
  let text = value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function historyToCsv(entries: HistoryEntry[]): string {
  const rows = [CSV_COLUMNS.map(([h]) => h).join(",")];
  for (const e of entries) rows.push(CSV_COLUMNS.map(([, f]) => csvCell(f(e))).join(","));
  return rows.join("\r\n") + "\r\n";
}
