import { describe, expect, it } from "vitest";
import { ConfigError, validateConfig } from "./phone-config.js";

const account = (extra: Record<string, unknown>) => ({
  version: 1,
  accounts: [{ id: "l1", sipUri: "sip:1001@pbx.test", password: "pw", servers: ["wss://pbx.test/ws"], ...extra }],
});

function problems(extra: Record<string, unknown>): string[] {
  try {
    validateConfig(account(extra));
    return [];
  } catch (e) {
    return (e as ConfigError).problems.map((p) => p.field);
  }
}

describe("feature codes: pickupPrefix, groupPickupCode, parkExtension", () => {
  it("takes keypad codes and an extension", () => {
    const config = validateConfig(account({ pickupPrefix: "**", groupPickupCode: "*8", parkExtension: "700" }));
    expect(config.accounts[0]).toMatchObject({ pickupPrefix: "**", groupPickupCode: "*8", parkExtension: "700" });
  });

  it.each([
    [{ pickupPrefix: "sip:x" }, "accounts[0].pickupPrefix"],
    [{ pickupPrefix: "" }, "accounts[0].pickupPrefix"],
    [{ groupPickupCode: 8 }, "accounts[0].groupPickupCode"],
    [{ groupPickupCode: "*8\r\nX: y" }, "accounts[0].groupPickupCode"],
    [{ parkExtension: "700@evil.example" }, "accounts[0].parkExtension"],
    [{ parkExtension: "7".repeat(33) }, "accounts[0].parkExtension"],
  ])("refuses %j", (extra, field) => {
    expect(problems(extra)).toEqual([field]);
  });
});
