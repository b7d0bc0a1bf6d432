import type { HistoryEntry } from "../storage/history-store.js";

export type DirectionFilter = "" | "in" | "out" | "missed";

export interface HistoryFilter {
  /** Typed text: matched in the number and the name, any case. */
  query: string;
  lineId: string;
  direction: DirectionFilter;
}

/**
 * The History view's search over every stored call (100 000 and more), fast enough to follow
 * each keystroke (`npm run bench`: keystroke → rows painted):
 * - each entry's searchable text is lower-cased once, when the entries are loaded, not for
 *   every entry at every keystroke;
 * - a query that contains the previous one (typing on) can only match a subset of what matched
 *   before, so only those are looked at again;
 * - the same filter again (a scroll re-renders the list) costs nothing.
 */
export class HistorySearch {
  private entries: readonly HistoryEntry[] = [];
  private keys: string[] = [];
  private last: { filter: HistoryFilter; q: string; hits: number[]; result: HistoryEntry[] } | undefined;

  /** The entries searched; a new list (a reload) resets what was remembered. */
  setEntries(entries: readonly HistoryEntry[]): void {
    if (entries === this.entries) return;
    this.entries = entries;
    this.keys = entries.map((e) => `${e.remote}\u0000${e.remoteName ?? ""}`.toLowerCase());
    this.last = undefined;
  }

  filter(f: HistoryFilter): HistoryEntry[] {
    const q = f.query.trim().toLowerCase();
    const last = this.last;
    const sameScope = last && last.filter.lineId === f.lineId && last.filter.direction === f.direction;
    if (sameScope && last.q === q) return last.result;
    const narrowing = sameScope && q.includes(last.q);
    const hits: number[] = [];
    const test = (i: number) => {
      const e = this.entries[i]!;
      if (f.lineId && e.lineId !== f.lineId) return;
      if (f.direction && (f.direction === "missed" ? e.result !== "missed" : e.direction !== f.direction)) return;
      if (q && !this.keys[i]!.includes(q)) return;
      hits.push(i);
    };
    if (narrowing) for (const i of last.hits) test(i);
    else for (let i = 0; i < this.entries.length; i++) test(i);
    const result = hits.map((i) => this.entries[i]!);
    this.last = { filter: { ...f }, q, hits, result };
    return result;
  }
}
