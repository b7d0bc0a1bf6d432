// Sample number-rule patterns for the regex check: hostile shapes that must be refused, the shapes
// real dial plans use that must be accepted, and the worst numbers to run them on. Shared by the
// unit test (regex-safety.test.ts) and the bench (e2e/bench/regex-guard.mjs); the app never loads it.
import { MAX_RULE_INPUT } from "./regex-safety.js";

// Shapes that backtrack exponentially (or, for the last two, polynomially of a high degree).
export const HOSTILE: Array<[string, RegExp]> = [
  [String.raw`^(\d+)+$`, /quantifier inside a repeated group/],
  [String.raw`^(\d+)*x`, /quantifier inside a repeated group/],
  [String.raw`^(\w+\s?)*$`, /quantifier inside a repeated group/],
  [String.raw`^(?:\d{1,2}){30}$`, /quantifier inside a repeated group/],
  [String.raw`(a|a)*$`, /alternatives can start with the same character/],
  [String.raw`^(\d|\d\d)+$`, /alternatives can start with the same character/],
  [String.raw`^(?:[0-9]|\d)+$`, /alternatives can start with the same character/],
  [String.raw`^([a-m]|[k-z])+$`, /alternatives can start with the same character/],
  [String.raw`^(\x41|A)+$`, /alternatives can start with the same character/],
  [String.raw`^(\d)\1+$`, /backreference/],
  [String.raw`^(?<d>\d)\k<d>$`, /backreference/],
  [String.raw`\d*\d*\d*\d*\d*x`, /too many quantifiers/],
  ["(a|a)".repeat(30), /too many quantifiers/],
];

/** The longest numbers a rule is ever given, shaped to make a backtracking engine try hard. */
export const LONGEST_INPUTS = ["1".repeat(MAX_RULE_INPUT), "1".repeat(MAX_RULE_INPUT - 1) + "x", "+" + " 1".repeat(MAX_RULE_INPUT / 2 - 1)];

// What number rules look like in practice (desk-phone CTI manuals, PBX dial plans).
export const COMMON = [
  String.raw`^0(.*)`,
  String.raw`^80(.*)`,
  String.raw`^50[0-9][0-9][0-9](.*)`,
  String.raw`^[0-9][0-9][0-9]$`,
  String.raw`^([0-9][0-9]?[0-9]?)$`,
  String.raw`^([^0][0-9][0-9][0-9].*)`,
  String.raw`^\+43(\d+)$`,
  String.raw`^(?:\+|00)49(\d+)$`,
  String.raw`^(?:(?:\+|00)43|0)(1\d*)$`,
  String.raw`^0(\d{1,4})$`,
  String.raw`^(\d{3})(\d+)$`,
  String.raw`^(?<area>\d{2})(\d*)$`,
  String.raw`(?<=\+)\d+`,
  String.raw`^[0-9]{4,}$`,
  String.raw`^\+?(\d+)\s*(\d+)$`,
  String.raw`^\s*\+?([\d ]+)$`,
  String.raw`^(\d{3}-)+\d+$`,
  String.raw`^(?:\d|\*|#)+$`,
  String.raw`^[\]a]+$`,
  String.raw`a{2`,
];
