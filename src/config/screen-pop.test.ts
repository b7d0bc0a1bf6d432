import { describe, expect, it } from "vitest";
import type { ConfigProblem } from "./config-error.js";
import { checkScreenPop, screenPopUrl } from "./screen-pop.js";

const problems = (screenPop: unknown) => {
  const found: ConfigProblem[] = [];
  checkScreenPop({ screenPop }, "accounts[0]", found);
  return found;
};

describe("screenPopUrl", () => {
  const fields = { number: "+49 30 1234", name: "Anna & Bob", line: "Sales", callId: "c1" };

  it("puts each value into its place, percent-encoded", () => {
    expect(screenPopUrl("https://crm.test/search?number={number}&name={name}&via={line}#{callId}", fields)).toBe(
      "https://crm.test/search?number=%2B49%2030%201234&name=Anna%20%26%20Bob&via=Sales#c1",
    );
  });

  it("a caller's hostile values cannot add query keys, leave the path or change the scheme", () => {
    const url = screenPopUrl("https://crm.test/c/{number}?n={name}", {
      ...fields,
      number: "../../admin?x=1#",
      name: "x&delete=all",
    });
    const parsed = new URL(url);
    expect(parsed.origin).toBe("https://crm.test");
    expect(parsed.pathname).toBe("/c/..%2F..%2Fadmin%3Fx%3D1%23");
    expect([...parsed.searchParams.keys()]).toEqual(["n"]);
    expect(parsed.searchParams.get("n")).toBe("x&delete=all");
  });

  it("leaves unknown braces alone", () => {
    expect(screenPopUrl("https://crm.test/{x}", fields)).toBe("https://crm.test/{x}");
  });
});

describe("checkScreenPop", () => {
  it("accepts an https template with known placeholders, on ring or answer", () => {
    expect(problems({ url: "https://crm.test/search?number={number}&name={name}" })).toEqual([]);
    expect(problems({ url: "http://crm.intranet/c?n={number}", on: "answer" })).toEqual([]);
  });

  it("refuses other schemes, unknown placeholders and keys, and a placeholder in the host", () => {
    expect(problems({ url: "javascript:alert({number})" })[0]?.message).toMatch(/not an http\(s\) address/);
    expect(problems({ url: "https://crm.test/?q={phone}" })[0]?.message).toMatch(/not \{phone\}/);
    expect(problems({ url: "https://{name}.crm.test/" })[0]?.message).toMatch(/not in its host/);
    expect(problems({ url: "https://crm.test/", on: "hangup" })[0]).toMatchObject({ field: "accounts[0].screenPop.on" });
    expect(problems({ url: "https://crm.test/", when: "ring" })[0]).toMatchObject({ field: "accounts[0].screenPop.when" });
    expect(problems("https://crm.test/")[0]).toMatchObject({ field: "accounts[0].screenPop" });
    expect(problems({ url: "https://crm.test/" + "a".repeat(2000) })[0]?.message).toMatch(/at most 2000/);
  });
});
