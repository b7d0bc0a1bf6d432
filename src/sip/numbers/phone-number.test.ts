import { describe, expect, it } from "vitest";
import type { LocationConfig } from "../../config/phone-config.js";
import { canonicalNumber, dialNumber, pbxNumber } from "./phone-number.js";
import { cleanNumber } from "./sip-target.js";

const VIENNA: LocationConfig = { countryCode: "43", areaCode: "1", internationalPrefix: "00", nationalPrefix: "0", extensionLength: 3 };

describe("cleanNumber", () => {
  it.each([
    ["+43 (1) 505641", "+431505641"],
    ["+49 (0)30 1234567", "+49301234567"],
    ["tel:+43-1-505-6410", "+4315056410"],
    ["tel%3A%2B4315056410", "+4315056410"],
    ["tel:5056410;phone-context=+43-1", "+4315056410"],
    ["tel:7042;phone-context=example.com", "7042"],
    ["(01) 505 64 10", "015056410"],
    ["*21#", "*21#"],
  ])("%s → %s", (input, out) => expect(cleanNumber(input)).toBe(out));

  it("SIP addresses and names are not numbers", () => {
    expect(cleanNumber("sip:alice@example.com")).toBeUndefined();
    expect(cleanNumber("alice")).toBeUndefined();
    expect(cleanNumber("()")).toBeUndefined();
  });
});

describe("canonicalNumber (libphonenumber-js)", () => {
  it.each([
    ["015056410", "+4315056410"], // national
    ["5056410", "+4315056410"], // local: the area code is added
    ["00431505641", "+431505641"], // international prefix
    ["004930123456", "+4930123456"],
    ["+4315056410", "+4315056410"],
    ["123", "123"], // internal extension
  ])("%s → %s", (input, out) => expect(canonicalNumber(input, VIENNA)).toBe(out));

  it("a number of impossible length says so", () => {
    expect(() => canonicalNumber("+431", VIENNA)).toThrow(/too short/);
    expect(() => canonicalNumber("+4312345678901234567", VIENNA)).toThrow(/too long/);
  });
});

describe("pbxNumber", () => {
  const prefixed: LocationConfig = { ...VIENNA, outsideLine: "0", dialFormat: "prefixed" };
  it("e164 by default", () => expect(pbxNumber("+4315056410", VIENNA)).toBe("+4315056410"));
  it("prefixed: outside line + national prefix at home", () => expect(pbxNumber("+4315056410", prefixed)).toBe("0015056410"));
  it("prefixed: outside line + international prefix abroad", () => expect(pbxNumber("+49301234567", prefixed)).toBe("00049301234567"));
});

describe("dialNumber", () => {
  it("a tel: link becomes the canonical number on a line without location", () => {
    expect(dialNumber("tel%3A%2B4315056410", {})).toEqual({ number: "+4315056410", display: "+4315056410" });
  });

  it("location, then dial rules; outgoing rules change only what is shown", () => {
    const account = {
      location: { ...VIENNA, outsideLine: "0", dialFormat: "prefixed" as const },
      numberRules: { dial: [{ search: "^00(1.*)", replace: "9\\1" }], outgoing: [{ search: "^\\+431(.*)", replace: "01 $1" }] },
    };
    expect(dialNumber("+43 (1) 5056410", account)).toEqual({ number: "915056410", display: "01 5056410" });
  });

  it("a rule that empties the number refuses to dial it, with the reason", () => {
    expect(() => dialNumber("123", { numberRules: { dial: [{ search: "^[0-9]{3}$", replace: "" }] } })).toThrow(/into nothing/);
  });

  it("not a number: left to SIP addressing", () => expect(dialNumber("sip:bob@example.com", {})).toBeUndefined());
});
