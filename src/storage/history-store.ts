import { clear, createStore, promisifyRequest, set, setMany, values } from "idb-keyval";
import { describeStorageFailure, StorageError } from "./storage-error.js";

/** One call in the history. */
export type CallResult = "answered" | "missed" | "declined" | "cancelled" | "failed";

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
}

const store = createStore("webphone-history", "calls");

/** Keys sort by start time, so cursors walk the history in time order. */
function keyOf(e: Pick<HistoryEntry, "startedAt" | "id">): string {
  return `${String(e.startedAt).padStart(15, "0")}-${e.id}`;
}

export async function addHistory(entry: HistoryEntry): Promise<void> {
  try {
    await set(keyOf(entry), entry, store);
  } catch (e) {
    throw new StorageError(describeStorageFailure(e), e);
  }
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
  return store("readonly", (s) => {
    const out: HistoryEntry[] = [];
    const req = s.openCursor(null, "prev");
    req.onsuccess = () => {
      const cursor = req.result;
      if (!cursor || out.length >= limit) return;
      out.push(cursor.value as HistoryEntry);
      cursor.continue();
    };
    return promisifyRequest(s.transaction).then(() => out);
  });
}

/** Every entry, newest first. */
export async function allHistory(): Promise<HistoryEntry[]> {
  return (await values<HistoryEntry>(store)).reverse();
}

export function countHistory(): Promise<number> {
  return store("readonly", (s) => promisifyRequest(s.count()));
}

export function clearHistory(): Promise<void> {
  return clear(store);
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
