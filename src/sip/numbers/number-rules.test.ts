import { describe, expect, it } from "vitest";
import { MAX_RULE_INPUT } from "../../config/regex-safety.js";
import { applyRules, testRules } from "./number-rules.js";

// The examples of a desk-phone CTI manual (search → replace).
const MANUAL = {
  removeInitialZero: { search: "^0(.*)", replace: "\\1" },
  outsideLine80To0: { search: "^80(.*)", replace: "0\\1" },
  removePin50xxx: { search: "^50[0-9][0-9][0-9](.*)", replace: "\\1" },
  withhold3Digit: { search: "^[0-9][0-9][0-9]$", replace: "" },
  outsideLineForLong: { search: "^([0-9][0-9][0-9].+)", replace: "0\\1" },
  baseNumberForShort: { search: "^([0-9][0-9]?[0-9]?)$", replace: "03012345\\1" },
  areaCodeFor4Plus: { search: "^([^0][0-9][0-9][0-9].*)", replace: "08151\\1" },
};

describe("number rules: the manual's examples, each alone", () => {
  const cases: Array<[keyof typeof MANUAL, string, string]> = [
    ["removeInitialZero", "0301234567", "301234567"],
    ["removeInitialZero", "301234567", "301234567"],
    ["outsideLine80To0", "80891234", "0891234"],
    ["outsideLine80To0", "0891234", "0891234"],
    ["removePin50xxx", "50123089123456", "089123456"],
    ["removePin50xxx", "5012", "5012"],
    ["withhold3Digit", "123", ""],
    ["withhold3Digit", "1234", "1234"],
    ["outsideLineForLong", "1234", "01234"],
    ["outsideLineForLong", "123", "123"],
    ["baseNumberForShort", "7", "030123457"],
    ["baseNumberForShort", "123", "03012345123"],
    ["baseNumberForShort", "1234", "1234"],
    ["areaCodeFor4Plus", "1234", "081511234"],
    ["areaCodeFor4Plus", "0891234", "0891234"],
  ];
  for (const [rule, input, expected] of cases) {
    it(`${rule}: ${input} → ${JSON.stringify(expected)}`, () => {
      expect(applyRules([MANUAL[rule]], input).number).toBe(expected);
    });
  }
});

describe("number rules: order and references", () => {
  it("the first matching rule wins", () => {
    const rules = [MANUAL.withhold3Digit, MANUAL.baseNumberForShort, MANUAL.areaCodeFor4Plus];
    expect(applyRules(rules, "123")).toEqual({ number: "", rule: 0 });
    expect(applyRules(rules, "12")).toEqual({ number: "0301234512", rule: 1 });
    expect(applyRules(rules, "5678")).toEqual({ number: "081515678", rule: 2 });
  });

  it("a number no rule matches is unchanged", () => {
    expect(applyRules([MANUAL.removePin50xxx, MANUAL.outsideLine80To0], "+4315056410")).toEqual({ number: "+4315056410" });
    expect(applyRules(undefined, "123")).toEqual({ number: "123" });
  });

  it("$1 works as \\1 does; a lone $ is literal", () => {
    expect(applyRules([{ search: "^0(.*)", replace: "$1" }], "0123").number).toBe("123");
    expect(applyRules([{ search: "^(\\d+)$", replace: "$$\\1" }], "12").number).toBe("$$12");
  });

  it("an invalid expression is reported by the tester and skipped, never thrown", () => {
    const rules = [{ search: "^(0", replace: "\\1" }, MANUAL.removeInitialZero];
    expect(applyRules(rules, "0123")).toEqual({ number: "123", rule: 1 });
    const outcome = testRules(rules, "0123");
    expect(outcome[0]).toMatchObject({ matched: false });
    expect(outcome[0]!.error).toMatch(/not a valid regular expression/);
    expect(outcome[1]).toEqual({ index: 1, matched: true, result: "123" });
  });

  it("a rule that could backtrack for ever is skipped and reported, never run (the live tester takes any rule)", () => {
    const rules = [{ search: String.raw`^(\d+)+$`, replace: "x" }, MANUAL.removeInitialZero];
    const hostile = "0" + "1".repeat(40) + "x";
    const t = performance.now();
    expect(applyRules(rules, hostile)).toEqual({ number: "1".repeat(40) + "x", rule: 1 });
    const outcome = testRules(rules, hostile);
    expect(performance.now() - t).toBeLessThan(100);
    expect(outcome[0]).toMatchObject({ matched: false, error: expect.stringMatching(/quantifier inside a repeated group/) });
  });

  it(`numbers longer than ${MAX_RULE_INPUT} characters are left as they are`, () => {
    const long = "0" + "1".repeat(MAX_RULE_INPUT);
    expect(applyRules([MANUAL.removeInitialZero], long)).toEqual({ number: long });
    expect(applyRules([MANUAL.removeInitialZero], long.slice(0, MAX_RULE_INPUT))).toEqual({
      number: long.slice(1, MAX_RULE_INPUT),
      rule: 0,
    });
    expect(testRules([MANUAL.removeInitialZero], long)[0]).toMatchObject({
      matched: false,
      error: expect.stringMatching(/longer than 64/),
    });
  });
});
