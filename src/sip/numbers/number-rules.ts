import type { NumberRule } from "../../config/phone-config.js";
import { MAX_RULE_INPUT, regexHazard } from "../../config/regex-safety.js";

/**
 * Ordered search-and-replace rules for numbers (the ESTOS/SIPTAPI "formatting rules"): the first
 * rule whose search matches rewrites the number; a number no rule matches is unchanged. `\1` and
 * `$1` both name a group. A rule with an invalid expression is skipped and reported, never thrown
 * (configuration checks refuse such rules, but rules also come from the live tester); so is one
 * that could backtrack for ever (regex-safety.ts). Numbers longer than MAX_RULE_INPUT characters
 * are left as they are: no real number is that long, and the bound keeps every rule fast.
 */
export interface RuleOutcome {
  index: number;
  /** The rule matched (and, if it is the first to match, decided the result). */
  matched: boolean;
  /** What this rule makes of the number when it matches. */
  result?: string;
  /** Why the rule cannot be used. */
  error?: string;
}

interface Compiled {
  regex?: RegExp;
  replacement: string;
  error?: string;
}

const cache = new Map<string, Compiled>();

/** `\1` → `$1`; `$1` stays; any other `$` is literal. */
function toJsReplacement(replace: string): string {
  return replace.replace(/\\(\d{1,2})|\$(\d{1,2}|&)|\$/g, (_m, back: string | undefined, dollar: string | undefined) =>
    back !== undefined ? `$${back}` : dollar !== undefined ? `$${dollar}` : "$$",
  );
}

function compile(rule: NumberRule): Compiled {
  const key = `${rule.search}\u0000${rule.replace}`;
  let c = cache.get(key);
  if (!c) {
    try {
      const regex = new RegExp(rule.search);
      const hazard = regexHazard(rule.search);
      c = hazard ? { replacement: "", error: hazard } : { regex, replacement: toJsReplacement(rule.replace) };
    } catch (e) {
      c = {
        replacement: "",
        error: `not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, "")}`,
      };
    }
    if (cache.size > 500) cache.clear();
    cache.set(key, c);
  }
  return c;
}

/** Applies the first matching rule; `rule` is its index, undefined when none matched. */
export function applyRules(rules: readonly NumberRule[] | undefined, number: string): { number: string; rule?: number } {
  if (number.length > MAX_RULE_INPUT) return { number };
  for (const [index, rule] of (rules ?? []).entries()) {
    const c = compile(rule);
    if (c.regex?.test(number)) return { number: number.replace(c.regex, c.replacement), rule: index };
  }
  return { number };
}

/** Every rule's outcome for `number`, for the live tester in settings. */
export function testRules(rules: readonly NumberRule[], number: string): RuleOutcome[] {
  return rules.map((rule, index) => {
    if (number.length > MAX_RULE_INPUT)
      return { index, matched: false, error: `not tried: numbers longer than ${MAX_RULE_INPUT} characters are left as they are` };
    const c = compile(rule);
    if (!c.regex) return { index, matched: false, error: c.error };
    return c.regex.test(number) ? { index, matched: true, result: number.replace(c.regex, c.replacement) } : { index, matched: false };
  });
}
