import type { HistoryRetention } from "../app/history-retention.js";
import type { Words } from "../i18n/words.js";

/**
 * The history retention in words ("Keep 50 calls, at most 7 days"): the History view's menu
 * names a setting that is none of its choices with it, and Settings → General asks with it
 * before a smaller retention deletes calls.
 */
export function retentionText(w: Words, r: HistoryRetention): string {
  const count = r.maxEntries ? w.t("retention.calls", { count: r.maxEntries }) : "";
  const age = r.maxAgeDays ? w.t("retention.days", { count: r.maxAgeDays }) : "";
  if (count && age) return w.t("retention.keepAtMost", { calls: count, age });
  return count || age ? w.t("retention.keep", { what: count || age }) : w.t("retention.everything");
}

/** Whether going from `was` to `next` deletes calls now (0 is no limit). */
export function retentionLoses(next: HistoryRetention, was: HistoryRetention): boolean {
  const fewer = (n: number, before: number) => n > 0 && (before === 0 || n < before);
  return fewer(next.maxEntries, was.maxEntries) || fewer(next.maxAgeDays, was.maxAgeDays);
}
