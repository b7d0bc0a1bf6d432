import { describe, expect, it } from "vitest";
import { ConfigError, validateConfig } from "./phone-config.js";
import { MAX_PATTERN_LENGTH, MAX_RULE_INPUT, regexHazard } from "./regex-safety.js";

/** Milliseconds one match of `source` takes on `input`. */
function timeMatch(source: string, input: string): number {
  const t = performance.now();
  new RegExp(source).test(input);
  return performance.now() - t;
}

// Shapes that backtrack exponentially (or, for the last two, polynomially of a high degree).
const HOSTILE: Array<[string, RegExp]> = [
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

// What number rules look like in practice (desk-phone CTI manuals, PBX dial plans).
const COMMON = [
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

describe("regexHazard", () => {
  it.each(HOSTILE)("refuses %s", (source, why) => {
    expect(regexHazard(source)).toMatch(why);
  });

  it.each(COMMON)("accepts %s", (source) => {
    expect(regexHazard(source)).toBeUndefined();
  });

  it("refuses overlong patterns", () => {
    expect(regexHazard("1".repeat(MAX_PATTERN_LENGTH + 1))).toMatch(/longer than/);
  });

  it("what it accepts stays fast on the longest number a rule is given", () => {
    const inputs = ["1".repeat(MAX_RULE_INPUT), "1".repeat(MAX_RULE_INPUT - 1) + "x", "+" + " 1".repeat(MAX_RULE_INPUT / 2 - 1)];
    // A pattern at the edge of the bound: four repeats over the same digits.
    const edge = String.raw`\d*\d*\d*\d*x`;
    expect(regexHazard(edge)).toBeUndefined();
    for (const source of [...COMMON, edge]) for (const input of inputs) expect(timeMatch(source, input)).toBeLessThan(250);
  });

  it("judges quickly, even the hostile ones", () => {
    const t = performance.now();
    for (const [source] of HOSTILE) regexHazard(source);
    expect(performance.now() - t).toBeLessThan(100);
  });
});

describe("number rules in a configuration", () => {
  const config = (dial: Array<{ search: string; replace: string }>) => ({
    version: 1,
    accounts: [{ id: "l1", sipUri: "sip:1001@pbx.test", password: "pw", servers: ["wss://pbx.test/ws"], numberRules: { dial } }],
  });

  it("refuses ^(\\d+)+$ by its field, as it does an invalid expression", () => {
    let error: unknown;
    try {
      validateConfig(
        config([
          { search: "^0(.*)", replace: "\\1" },
          { search: "^(0", replace: "" },
          { search: String.raw`^(\d+)+$`, replace: "" },
        ]),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      { field: "accounts[0].numberRules.dial[1].search", message: expect.stringMatching(/^is not a valid regular expression: /) },
      {
        field: "accounts[0].numberRules.dial[2].search",
        message: String.raw`has a quantifier inside a repeated group, as in (\d+)+: it can make matching take for ever`,
      },
    ]);
    expect((error as ConfigError).message).toContain("accounts[0].numberRules.dial[2].search: has a quantifier inside a repeated group");
  });

  it("accepts a common rule set", () => {
    const rules = COMMON.map((search) => ({ search, replace: "\\1" }));
    expect(validateConfig(config(rules)).accounts[0]!.numberRules?.dial).toEqual(rules);
  });
});
