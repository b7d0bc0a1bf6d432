/**
 * A line's CRM screen pop (`screenPop`): the page of the caller's record, opened when a call
 * rings or when it is answered. The template is the administrator's (a configuration key, as
 * trusted as the servers); the values put into it come from the caller (number, display name)
 * and are never trusted: each is percent-encoded into its place, so that no caller can change
 * where the URL goes (another host, path or query key) or make it a `javascript:` URL.
 */
import type { ConfigProblem } from "./phone-config.js";

export type ScreenPopMoment = "ring" | "answer";

export interface ScreenPop {
  /** `https://crm.example.com/search?number={number}&name={name}`: http(s) only. */
  url: string;
  /** When it opens: as the call rings (default) or once it is answered. */
  on?: ScreenPopMoment;
}

export interface ScreenPopConfig {
  /** Opens the caller's record in a CRM for incoming calls (docs/config.md). */
  screenPop?: ScreenPop;
}

/** The placeholders a template may hold, and what each stands for. */
export const SCREEN_POP_FIELDS = ["number", "name", "line", "callId"] as const;
export type ScreenPopFields = Record<(typeof SCREEN_POP_FIELDS)[number], string>;

const PLACEHOLDER = /\{(\w+)\}/g;
const MAX_URL = 2000;

/** The URL for a call: each `{field}` replaced by its value, percent-encoded. */
export function screenPopUrl(template: string, fields: ScreenPopFields): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    (SCREEN_POP_FIELDS as readonly string[]).includes(name) ? encodeURIComponent(fields[name as keyof ScreenPopFields]) : whole,
  );
}

export function checkScreenPop(a: Record<string, unknown>, at: string, problems: ConfigProblem[]): void {
  const pop = a.screenPop;
  if (pop === undefined) return;
  const field = `${at}.screenPop`;
  if (typeof pop !== "object" || pop === null || Array.isArray(pop)) {
    problems.push({ field, message: 'must be {"url": "https://crm.example.com/search?number={number}", "on": "ring"}' });
    return;
  }
  const { url, on, ...rest } = pop as Record<string, unknown>;
  for (const key of Object.keys(rest)) problems.push({ field: `${field}.${key}`, message: "is not a known setting (url, on)" });
  if (on !== undefined && on !== "ring" && on !== "answer") problems.push({ field: `${field}.on`, message: 'must be "ring" or "answer"' });
  if (typeof url !== "string" || !url || url.length > MAX_URL) {
    problems.push({ field: `${field}.url`, message: `must be an https:// address of at most ${MAX_URL} characters` });
    return;
  }
  const unknown = [...url.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((n) => !(SCREEN_POP_FIELDS as readonly string[]).includes(n));
  if (unknown.length) {
    problems.push({ field: `${field}.url`, message: `knows {${SCREEN_POP_FIELDS.join("}, {")}}, not {${unknown.join("}, {")}}` });
  }
  // Checked with sample values in the placeholders: what the browser would open.
  let parsed: URL | undefined;
  try {
    parsed = new URL(screenPopUrl(url, { number: "1", name: "n", line: "l", callId: "c" }));
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    problems.push({ field: `${field}.url`, message: `"${url.slice(0, 100)}" is not an http(s) address` });
  } else if (new URL(screenPopUrl(url, { number: "2", name: "m", line: "k", callId: "d" })).origin !== parsed.origin) {
    // A caller's value must never choose the host the CRM page is fetched from.
    problems.push({ field: `${field}.url`, message: "may hold {placeholders} in its path, query or fragment, not in its host" });
  }
}
