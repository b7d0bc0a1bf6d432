/**
 * A line's ringtones: the sound its calls ring with (`ringtone`) and, for distinctive ringing,
 * the sound per kind of call (`alertTones`: by the INVITE's Alert-Info, sip/api/alert-info.ts, or
 * for internal callers by `internalCallers`). A tone is one of the built-in ones (made with Web
 * Audio, no file to download) or a file the user added in Settings (`file:<id>`, kept in this
 * browser's IndexedDB: another browser rings with the default instead).
 */
import type { ConfigProblem } from "./phone-config.js";

/** The built-in ringtones; the first is the default. */
export const BUILT_IN_RINGTONES = ["classic", "european", "north-american", "chime", "internal"] as const;
export type BuiltInRingtone = (typeof BUILT_IN_RINGTONES)[number];
export const DEFAULT_RINGTONE: BuiltInRingtone = "classic";
/** A user file: `file:` and the id ringtone-store.ts gave it. */
const FILE_TONE = /^file:[\w-]{1,64}$/;
/** An alertTones key: `internal`, `external` or a PBX's pattern name, as alert-info.ts spells them. */
const ALERT_KEY = /^[a-z0-9][a-z0-9._-]{0,31}$/;
const MAX_ALERT_TONES = 32;

export interface RingtonesConfig {
  /** The tone this line's calls ring with: a built-in name or `file:<id>` (default "classic"). */
  ringtone?: string;
  /**
   * Distinctive ringing: a tone per kind of call, keyed `internal`, `external` or by a PBX's
   * pattern name (`bellcore-dr2`, `group`); a call of a kind not listed rings with `ringtone`.
   * `internal` defaults to the built-in "internal" (a short double ring).
   */
  alertTones?: Record<string, string>;
}

/** The kinds a line rings for differently unless told otherwise. */
export const DEFAULT_ALERT_TONES: Readonly<Record<string, string>> = { internal: "internal" };

export function isBuiltInRingtone(tone: string): tone is BuiltInRingtone {
  return (BUILT_IN_RINGTONES as readonly string[]).includes(tone);
}

export function isRingtone(tone: unknown): tone is string {
  return typeof tone === "string" && (isBuiltInRingtone(tone) || FILE_TONE.test(tone));
}

export function checkRingtones(a: Record<string, unknown>, at: string, problems: ConfigProblem[]): void {
  const known = `${BUILT_IN_RINGTONES.join(", ")} or file:<id> (a file added in Settings)`;
  if (a.ringtone !== undefined && !isRingtone(a.ringtone)) {
    problems.push({ field: `${at}.ringtone`, message: `must be a ringtone: ${known}` });
  }
  const map = a.alertTones;
  if (map === undefined) return;
  if (typeof map !== "object" || map === null || Array.isArray(map)) {
    problems.push({ field: `${at}.alertTones`, message: 'must map kinds of call to ringtones, such as {"internal": "chime"}' });
    return;
  }
  const entries = Object.entries(map);
  if (entries.length > MAX_ALERT_TONES) problems.push({ field: `${at}.alertTones`, message: `may list ${MAX_ALERT_TONES} kinds at most` });
  for (const [key, tone] of entries.slice(0, MAX_ALERT_TONES)) {
    const field = `${at}.alertTones.${key}`;
    if (!ALERT_KEY.test(key))
      problems.push({ field, message: 'must be "internal", "external" or a pattern name (lower case, such as bellcore-dr2)' });
    else if (!isRingtone(tone)) problems.push({ field, message: `must be a ringtone: ${known}` });
  }
}
