import { describe, expect, it } from "vitest";
import { normalizeTarget, TargetError, validateDtmf } from "./sip-target.js";

describe("normalizeTarget", () => {
  const d = "pbx.example.com";
  it.each([
    ["1002", "sip:1002@pbx.example.com", "1002"],
    ["+43 (1) 505-641", "sip:+431505641@pbx.example.com", "+431505641"],
    ["tel:+43-1-505641", "sip:+431505641@pbx.example.com", "+431505641"],
    ["tel%3A%2B431505641", "sip:+431505641@pbx.example.com", "+431505641"],
    ["sip:bob@other.org", "sip:bob@other.org", "bob@other.org"],
    ["sip:bob", "sip:bob@pbx.example.com", "bob"],
    ["sip:1003@pbx.example.com;user=phone", "sip:1003@pbx.example.com;user=phone", "1003"],
    ["alice", "sip:alice@pbx.example.com", "alice"],
    ["*97", "sip:*97@pbx.example.com", "*97"],
    ["  1002  ", "sip:1002@pbx.example.com", "1002"],
    // A link's URI headers are never sent: dropped, not copied into the INVITE.
    ["sip:1003@pbx.example.com?Subject=hello%0D%0AX-Evil:1", "sip:1003@pbx.example.com", "1003"],
  ])("%s -> %s", (input, uri, display) => {
    expect(normalizeTarget(input, d)).toEqual({ uri, display });
  });

  it.each([
    ["", "Enter a number or SIP address to call"],
    ["12<>34", '"12<>34" is not a phone number or SIP address'],
    ["sip:bo b@x", '"sip:bo b@x" is not a valid SIP address'],
    ["call me", '"call me" is not a phone number or SIP address'],
    [
      "sip:1003@pbx.example.com;maddr=203.0.113.9",
      '"sip:1003@pbx.example.com;maddr=203.0.113.9" names another server to send the call to (maddr): not dialled',
    ],
    ["sip:10\u000003@pbx.example.com", '"sip:10\u000003@pbx.example.com" is not a valid SIP address'],
  ])("refuses %j", (input, message) => {
    expect(() => normalizeTarget(input, d)).toThrow(new TargetError(message));
  });
});

describe("validateDtmf", () => {
  it("accepts phone keys and A-D, case-insensitively", () => {
    expect(validateDtmf("12 3*#ab")).toBe("123*#AB");
  });
  it("refuses anything else with the offending input", () => {
    expect(() => validateDtmf("12x")).toThrow('"12x" contains characters that are not DTMF digits (0-9, *, #, A-D)');
  });
});
