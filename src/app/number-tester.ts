import type { LocationConfig, NumberRule } from "../config/phone-config.js";
import { testRules, type RuleOutcome } from "../sip/numbers/number-rules.js";

export type { RuleOutcome };

/** What a line's location makes of a typed number before the dial rules see it. */
export interface PreparedNumber {
  canonical?: string;
  /** The number as the PBX gets it: what the dial rules are tried on. */
  pbx?: string;
  error?: string;
}

/**
 * The location step of the live tester in <sip-number-settings>. libphonenumber-js is large and
 * loaded only here, on first use, as `Phone` does when a line has a location.
 */
export async function prepareNumber(sample: string, location: LocationConfig): Promise<PreparedNumber> {
  const [{ canonicalNumber, pbxNumber }, { cleanNumber }] = await Promise.all([
    import("../sip/numbers/phone-number.js"),
    import("../sip/numbers/sip-target.js"),
  ]);
  const cleaned = cleanNumber(sample);
  if (cleaned === undefined) return { error: "not a phone number (SIP addresses are dialled as they are)" };
  try {
    const canonical = canonicalNumber(cleaned, location);
    return { canonical, pbx: pbxNumber(canonical, location) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/**
 * The rules step of the live tester: each rule's outcome for the sample (its PBX form when the
 * location made one, else the digits as typed) and the outcome that decides, if any rule matched.
 */
export function tryRules(
  rules: readonly NumberRule[],
  sample: string,
  prepared: PreparedNumber,
): { input: string; outcomes: RuleOutcome[]; used?: RuleOutcome } {
  const input = prepared.pbx ?? sample.replace(/[\s().\-/]/g, "");
  const outcomes = sample ? testRules(rules, input) : [];
  return { input, outcomes, used: outcomes.find((o) => o.matched) };
}
