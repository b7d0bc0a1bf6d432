import { regexHazard } from "./regex-safety.js";

/**
 * The number settings of a line, as the ESTOS/SIPTAPI drivers have them: where the phone is
 * (location) and ordered search-and-replace rules per direction. Checked here, applied by
 * src/sip/number-rules.ts and src/sip/phone-number.ts.
 */
export interface NumberRule {
  /** A JavaScript regular expression, matched against the whole number as it stands. */
  search: string;
  /** The replacement; `\1` and `$1` both refer to the first group. Empty withholds the number. */
  replace: string;
}

export interface NumberRules {
  /** Applied last to every number we dial (after the location's canonical form). */
  dial?: NumberRule[];
  /** Applied to the number shown for incoming calls. */
  incoming?: NumberRule[];
  /** Applied to the number shown for outgoing calls. */
  outgoing?: NumberRule[];
}

export interface LocationConfig {
  /** Country calling code, digits only: "43". */
  countryCode: string;
  /** Area code without the national prefix: "1" (Vienna). Local numbers get it. */
  areaCode?: string;
  /** Default "00". */
  internationalPrefix?: string;
  /** Default "0". */
  nationalPrefix?: string;
  /** What the PBX needs before an external number ("0"); default none. */
  outsideLine?: string;
  /** Numbers with at most this many digits are internal extensions, dialled as they are. */
  extensionLength?: number;
  /**
   * How external numbers go to the PBX: "e164" (`+4315056410`, the default; modern PBXes and
   * trunks take it) or "prefixed" (outside line + national or international prefix, for PBXes
   * that want what a user would dial on a desk phone: `0015056410`).
   */
  dialFormat?: "e164" | "prefixed";
}

/**
 * Who calls from inside, for forwarding of internal or external callers only (one of the two):
 * without it the line's `location.extensionLength` decides.
 */
export interface InternalCallers {
  /** Callers whose number is all digits and at most this long (1-8) are internal. */
  extensionLength?: number;
  /** A JavaScript regular expression; callers whose whole number it matches are internal. */
  pattern?: string;
}

export interface NumberProblem {
  field: string;
  message: string;
}

/** Why a regular expression does not compile, or undefined if it does. */
export function regexError(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^Invalid regular expression: /, "");
  }
}

const DIGITS = /^[0-9]{1,6}$/;

export function checkLocation(v: unknown, at: string): NumberProblem[] {
  const problems: NumberProblem[] = [];
  if (typeof v !== "object" || v === null || Array.isArray(v)) return [{ field: at, message: "must be an object" }];
  const l = v as Record<string, unknown>;
  if (typeof l.countryCode !== "string" || !/^[1-9][0-9]{0,2}$/.test(l.countryCode)) {
    problems.push({ field: `${at}.countryCode`, message: 'must be the country calling code, digits only ("43", "49", "1")' });
  }
  for (const key of ["areaCode", "internationalPrefix", "nationalPrefix", "outsideLine"] as const) {
    if (l[key] !== undefined && (typeof l[key] !== "string" || (l[key] !== "" && !DIGITS.test(l[key] as string)))) {
      problems.push({ field: `${at}.${key}`, message: "must be digits only" });
    }
  }
  if (
    l.extensionLength !== undefined &&
    (!Number.isInteger(l.extensionLength) || (l.extensionLength as number) < 1 || (l.extensionLength as number) > 8)
  ) {
    problems.push({ field: `${at}.extensionLength`, message: "must be a whole number from 1 to 8" });
  }
  if (l.dialFormat !== undefined && l.dialFormat !== "e164" && l.dialFormat !== "prefixed") {
    problems.push({ field: `${at}.dialFormat`, message: 'must be "e164" or "prefixed"' });
  }
  const known = new Set([
    "countryCode",
    "areaCode",
    "internationalPrefix",
    "nationalPrefix",
    "outsideLine",
    "extensionLength",
    "dialFormat",
  ]);
  for (const key of Object.keys(l))
    if (!known.has(key)) problems.push({ field: `${at}.${key}`, message: "is not a known setting (misspelt?)" });
  return problems;
}

export function checkNumberRules(v: unknown, at: string): NumberProblem[] {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    return [{ field: at, message: "must be an object with dial, incoming and outgoing lists" }];
  const problems: NumberProblem[] = [];
  for (const [dir, list] of Object.entries(v)) {
    if (!["dial", "incoming", "outgoing"].includes(dir)) {
      problems.push({ field: `${at}.${dir}`, message: 'is not a rule list (use "dial", "incoming" or "outgoing")' });
      continue;
    }
    if (!Array.isArray(list)) {
      problems.push({ field: `${at}.${dir}`, message: "must be a list of {search, replace}" });
      continue;
    }
    list.forEach((rule: unknown, i) => {
      const f = `${at}.${dir}[${i}]`;
      const r = rule as Partial<NumberRule> | null;
      if (typeof r !== "object" || r === null || typeof r.search !== "string" || typeof r.replace !== "string") {
        problems.push({ field: f, message: "must have a search and a replace text" });
        return;
      }
      if (!r.search) problems.push({ field: `${f}.search`, message: "must not be empty" });
      const error = regexError(r.search);
      if (error) problems.push({ field: `${f}.search`, message: `is not a valid regular expression: ${error}` });
      // Rules run on every caller's number: one that can backtrack for ever would hang the page.
      const hazard = error ? undefined : regexHazard(r.search);
      if (hazard) problems.push({ field: `${f}.search`, message: hazard });
    });
  }
  return problems;
}

export function checkInternalCallers(v: unknown, at: string): NumberProblem[] {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    return [{ field: at, message: "must be an object with extensionLength or pattern" }];
  const c = v as Record<string, unknown>;
  const problems: NumberProblem[] = [];
  for (const key of Object.keys(c)) {
    if (key !== "extensionLength" && key !== "pattern")
      problems.push({ field: `${at}.${key}`, message: "is not a known setting (misspelt?)" });
  }
  if ((c.extensionLength === undefined) === (c.pattern === undefined))
    problems.push({ field: at, message: "must have either extensionLength or pattern" });
  const length = c.extensionLength;
  if (length !== undefined && (!Number.isInteger(length) || (length as number) < 1 || (length as number) > 8))
    problems.push({ field: `${at}.extensionLength`, message: "must be a whole number from 1 to 8" });
  if (c.pattern !== undefined) {
    if (typeof c.pattern !== "string" || !c.pattern)
      return [...problems, { field: `${at}.pattern`, message: "must be a regular expression" }];
    const error = regexError(c.pattern);
    if (error) problems.push({ field: `${at}.pattern`, message: `is not a valid regular expression: ${error}` });
    // It runs on every caller's number: one that can backtrack for ever would hang the page.
    const hazard = error ? undefined : regexHazard(c.pattern);
    if (hazard) problems.push({ field: `${at}.pattern`, message: hazard });
  }
  return problems;
}
