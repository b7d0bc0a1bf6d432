import { describe, expect, it } from "vitest";
import { validateConfig } from "./phone-config.js";

const account = (extra: Record<string, unknown>) => ({
  version: 1,
  accounts: [{ id: "l1", sipUri: "sip:1001@pbx.test", password: "pw", servers: ["wss://pbx.test/ws"], ...extra }],
});
const problems = (extra: Record<string, unknown>) => {
  try {
    validateConfig(account(extra));
    return [];
  } catch (e) {
    return (e as { problems: { field: string }[] }).problems.map((p) => p.field);
  }
};

describe("ringtone and alertTones in a line's configuration", () => {
  it("accepts built-in names, user files and pattern names", () => {
    expect(
      problems({ ringtone: "chime", alertTones: { internal: "internal", external: "file:abc", "bellcore-dr2": "north-american" } }),
    ).toEqual([]);
  });

  it("names what is wrong", () => {
    expect(problems({ ringtone: "loud" })).toEqual(["accounts[0].ringtone"]);
    expect(problems({ alertTones: ["internal"] })).toEqual(["accounts[0].alertTones"]);
    expect(problems({ alertTones: { Internal: "chime" } })).toEqual(["accounts[0].alertTones.Internal"]);
    expect(problems({ alertTones: { internal: "http://x/ring.mp3" } })).toEqual(["accounts[0].alertTones.internal"]);
    expect(problems({ alertTones: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`p${i}`, "chime"])) })).toEqual([
      "accounts[0].alertTones",
    ]);
  });
});
