import { describe, expect, it } from "vitest";
import { ConfigError, validateConfig } from "./phone-config.js";

function withInternal(internalCallers: unknown) {
  return {
    version: 1,
    accounts: [{ id: "l1", sipUri: "sip:1001@pbx.example.com", password: "pw", servers: ["wss://pbx.example.com/ws"], internalCallers }],
  };
}

function fields(input: unknown): string[] {
  try {
    validateConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.field}: ${p.message}`);
  }
  return [];
}

describe("internalCallers (who is internal, for forwarding by caller)", () => {
  it("takes an extension length or a pattern", () => {
    expect(fields(withInternal({ extensionLength: 4 }))).toEqual([]);
    expect(fields(withInternal({ pattern: "1[0-9]{3}|\\*[0-9]+" }))).toEqual([]);
  });

  it("wants exactly one of them, in range", () => {
    expect(fields(withInternal({}))).toEqual(["accounts[0].internalCallers: must have either extensionLength or pattern"]);
    expect(fields(withInternal({ extensionLength: 4, pattern: "1.*" }))).toEqual([
      "accounts[0].internalCallers: must have either extensionLength or pattern",
    ]);
    expect(fields(withInternal({ extensionLength: 9 }))).toEqual([
      "accounts[0].internalCallers.extensionLength: must be a whole number from 1 to 8",
    ]);
    expect(fields(withInternal({ lenght: 4 }))[0]).toMatch(/internalCallers\.lenght: is not a known setting/);
    expect(fields(withInternal("4"))).toEqual(["accounts[0].internalCallers: must be an object with extensionLength or pattern"]);
  });

  it("refuses an invalid pattern and one that could backtrack for ever (regex-safety.ts)", () => {
    expect(fields(withInternal({ pattern: "1[0-9" }))[0]).toMatch(/internalCallers\.pattern: is not a valid regular expression/);
    const hang = fields(withInternal({ pattern: "(\\d+)+x" }));
    expect(hang).toHaveLength(1);
    expect(hang[0]).toMatch(/^accounts\[0\]\.internalCallers\.pattern: /);
  });
});
