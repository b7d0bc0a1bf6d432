import type { HistoryRetention, Settings } from "../storage/settings-store.js";

export type { HistoryRetention };

/**
 * What the history keeps unless the user says otherwise: a year of calls, at most 10 000 (a
 * busy desk's year; the history view still opens at once with that many, docs/performance.md).
 */
export const DEFAULT_HISTORY_RETENTION: HistoryRetention = { maxEntries: 10_000, maxAgeDays: 365 };

/**
 * The retention in force: the saved one, field by field, or the default where it is unset or
 * unusable (settings are written by other tabs and older versions too). 0 keeps any number or age.
 */
export function historyRetentionOf(settings: Pick<Settings, "historyRetention">): HistoryRetention {
  const saved = settings.historyRetention;
  const usable = (n: unknown): n is number => typeof n === "number" && Number.isInteger(n) && n >= 0;
  return {
    maxEntries: usable(saved?.maxEntries) ? saved.maxEntries : DEFAULT_HISTORY_RETENTION.maxEntries,
    maxAgeDays: usable(saved?.maxAgeDays) ? saved.maxAgeDays : DEFAULT_HISTORY_RETENTION.maxAgeDays,
  };
}
