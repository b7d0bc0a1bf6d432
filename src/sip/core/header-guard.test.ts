import { describe, expect, it } from "vitest";
import { checkTargetUri, isSafeHeaderValue, parseReplaces, uriHost } from "./header-guard.js";

describe("header-guard", () => {
  it("header values: no CR, LF, NUL or other controls, bounded", () => {
    expect(isSafeHeaderValue("abc;to-tag=1")).toBe(true);
    expect(isSafeHeaderValue("tab\tis fine")).toBe(true);
    expect(isSafeHeaderValue("x\r\nEvil: 1")).toBe(false);
    expect(isSafeHeaderValue("x\nEvil: 1")).toBe(false);
    expect(isSafeHeaderValue("x\u0000")).toBe(false);
    expect(isSafeHeaderValue("x".repeat(1024))).toBe(true);
    expect(isSafeHeaderValue("x".repeat(1025))).toBe(false);
  });

  it("Replaces follows RFC 3891: call-id, to-tag and from-tag, early-only, generic params", () => {
    expect(parseReplaces("98asjd8@test.com;to-tag=12345;from-tag=54321")).toEqual({
      callId: "98asjd8@test.com",
      toTag: "12345",
      fromTag: "54321",
      earlyOnly: false,
    });
    expect(parseReplaces("abc ; from-tag=a ; to-tag=b ; early-only")).toMatchObject({ toTag: "b", fromTag: "a", earlyOnly: true });
    expect(parseReplaces("abc;to-tag=b;from-tag=a;x-foo=bar")).toMatchObject({ callId: "abc" });
    expect(parseReplaces('abc;to-tag=b;from-tag=a;x-foo="quoted value"')).toMatchObject({ callId: "abc" });
  });

  it.each([
    ["a CR/LF injection", "x\r\nX-Evil: 1;to-tag=a;from-tag=b"],
    ["no to-tag", "abc;from-tag=a"],
    ["no from-tag", "abc;to-tag=a"],
    ["an empty call-id", ";to-tag=a;from-tag=b"],
    ["a space inside the call-id", "a b;to-tag=a;from-tag=b"],
    ["a tag that is not a token", "abc;to-tag=a b;from-tag=c"],
    ["a value on early-only", "abc;to-tag=a;from-tag=b;early-only=yes"],
    ["a NUL", "abc;to-tag=a\u0000;from-tag=b"],
    ["a huge value", `${"a".repeat(2000)};to-tag=a;from-tag=b`],
  ])("Replaces with %s is refused", (_what, value) => {
    expect(parseReplaces(value)).toBeUndefined();
  });

  it("targets: sip/sips only, ?headers dropped, maddr and controls refused, bounded", () => {
    expect(checkTargetUri("sip:1003@pbx.test")).toEqual({ ok: true, uri: "sip:1003@pbx.test" });
    expect(checkTargetUri("sips:1003@pbx.test;transport=ws")).toEqual({ ok: true, uri: "sips:1003@pbx.test;transport=ws" });
    expect(checkTargetUri("sip:1003@pbx.test?Subject=hi&Replaces=x")).toEqual({ ok: true, uri: "sip:1003@pbx.test" });
    expect(checkTargetUri("sip:1003@pbx.test;maddr=203.0.113.9")).toEqual({ ok: false, problem: "maddr" });
    expect(checkTargetUri("sip:1003@pbx.test;MADDR = 203.0.113.9")).toEqual({ ok: false, problem: "maddr" });
    expect(checkTargetUri("sip:10\r\n03@pbx.test")).toEqual({ ok: false, problem: "control" });
    expect(checkTargetUri("http://evil.example/")).toEqual({ ok: false, problem: "scheme" });
    expect(checkTargetUri("tel:+4312345")).toEqual({ ok: false, problem: "scheme" });
    expect(checkTargetUri(`sip:${"1".repeat(600)}@pbx.test`)).toEqual({ ok: false, problem: "length" });
  });

  it("the host of a SIP URI", () => {
    expect(uriHost("sip:1003@PBX.Test:5061;transport=ws")).toBe("pbx.test");
    expect(uriHost("sip:pbx.test")).toBe("pbx.test");
    expect(uriHost("sips:bob@[2001:db8::1]:5061")).toBe("[2001:db8::1]");
    expect(uriHost("sip:a@b@evil.example")).toBe("evil.example");
  });
});
