import { promisifyRequest, type UseStore } from "idb-keyval";

/**
 * Stores whose keys start with a time (`timeKey(at)-id`), so that a cursor walks them in time
 * order and "older than" is one key range: the call history and the messages.
 */

/** How much a time-keyed store keeps: the newest `maxEntries`, none older than `maxAgeDays`. */
export interface Retention {
  /** 0: any number. */
  maxEntries: number;
  /** 0: any age. */
  maxAgeDays: number;
}

const DAY_MS = 86_400_000;

/** A time as a key prefix that sorts as the time does. */
export function timeKey(at: number): string {
  return String(at).padStart(15, "0");
}

/** The key of a record written at `at` with this id. */
export function keyAt(at: number, id: string): string {
  return `${timeKey(at)}-${id}`;
}

/**
 * Deletes, in one transaction, the entries older than `maxAgeDays` and then the oldest beyond
 * `maxEntries`. Two range deletes and a count: no entry is read. Resolves with how many went.
 */
export function pruneTimeKeyed(store: UseStore, retention: Retention, now = Date.now()): Promise<number> {
  return store("readwrite", (s) => {
    let removed = 0;
    const byCount = () => {
      if (!(retention.maxEntries > 0)) return;
      const count = s.count();
      count.onsuccess = () => {
        const excess = count.result - retention.maxEntries;
        if (excess <= 0) return;
        // The key of the excess-th oldest entry: everything up to it goes.
        const cursor = s.openKeyCursor();
        let skipped = false;
        cursor.onsuccess = () => {
          const c = cursor.result;
          if (!c) return;
          if (!skipped && excess > 1) {
            skipped = true;
            c.advance(excess - 1);
            return;
          }
          s.delete(IDBKeyRange.upperBound(c.key));
          removed += excess;
        };
      };
    };
    if (retention.maxAgeDays > 0) {
      const old = IDBKeyRange.upperBound(timeKey(now - retention.maxAgeDays * DAY_MS), true);
      const count = s.count(old);
      count.onsuccess = () => {
        removed += count.result;
        if (count.result) s.delete(old);
        byCount();
      };
    } else byCount();
    return promisifyRequest(s.transaction).then(() => removed);
  });
}

/** The newest `limit` values, newest first, read with a cursor (fast in a big store). */
export function newestValues<T>(store: UseStore, limit: number, keep: (v: T) => boolean = () => true): Promise<T[]> {
  return store("readonly", (s) => {
    const out: T[] = [];
    const req = s.openCursor(null, "prev");
    req.onsuccess = () => {
      const cursor = req.result;
      if (!cursor || out.length >= limit) return;
      if (keep(cursor.value as T)) out.push(cursor.value as T);
      cursor.continue();
    };
    return promisifyRequest(s.transaction).then(() => out);
  });
}
