import { describe, expect, it } from "vitest";
import { ConfigError, validateConfig } from "./phone-config.js";
import { MAX_PATTERN_LENGTH, regexHazard } from "./regex-safety.js";
import { COMMON, HOSTILE, LONGEST_INPUTS } from "./regex-samples.js";

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

  // How fast these run is a figure of `npm run bench` (e2e/bench/regex-guard.mjs), not an
  // assertion here: a loaded CI machine makes any wall-clock bound flaky. What a unit test can
  // say is that the edge of the bound is where the check puts it, and that every accepted shape
  // finishes on the longest input at all (an exponential one would not, within the test's timeout).
  it("accepts four repeats over the same digits, refuses five, and what it accepts finishes on the longest number", () => {
    expect(regexHazard(String.raw`\d*\d*\d*\d*x`)).toBeUndefined();
    expect(regexHazard(String.raw`\d*\d*\d*\d*\d*x`)).toMatch(/too many quantifiers/);
    for (const source of [...COMMON, String.raw`\d*\d*\d*\d*x`])
      for (const input of LONGEST_INPUTS) expect(typeof new RegExp(source).test(input)).toBe("boolean");
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
