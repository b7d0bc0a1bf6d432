import type { Contact } from "../storage/contacts-store.js";
import type { HistoryEntry } from "../storage/history-store.js";

export interface Suggestion {
  number: string;
  name?: string;
  /** Where it came from, for the label ("work", "recent"). */
  source: string;
}

const digits = (s: string) => s.replace(/[^\d+*#]/g, "");

/**
 * What the dialer offers while the user types: contacts whose name or a number matches, then
 * recent history numbers, each number once, best first.
 */
export function suggest(query: string, contacts: Contact[], history: HistoryEntry[], limit = 6): Suggestion[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const qd = digits(q);
  const seen = new Set<string>();
  const out: Suggestion[] = [];
  const add = (s: Suggestion) => {
    const key = digits(s.number) || s.number;
    if (seen.has(key) || out.length >= limit) return;
    seen.add(key);
    out.push(s);
  };
  for (const c of contacts) {
    const nameHit =
      c.name
        .toLowerCase()
        .split(/\s+/)
        .some((w) => w.startsWith(q)) || c.name.toLowerCase().startsWith(q);
    for (const n of c.numbers)
      if (nameHit || (qd && digits(n.number).includes(qd))) add({ number: n.number, name: c.name, source: n.label });
  }
  for (const h of history) {
    if ((qd && digits(h.remote).includes(qd)) || (h.remoteName ?? "").toLowerCase().startsWith(q))
      add({ number: h.remote, name: h.remoteName, source: "recent" });
  }
  return out;
}
