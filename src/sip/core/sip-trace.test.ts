import { describe, expect, it } from "vitest";
import { redact, SipTrace } from "./sip-trace.js";

const register =
  "REGISTER sip:pbx.test SIP/2.0\r\nCall-ID: abc123\r\n" +
  'Authorization: Digest algorithm=MD5, username="1001", realm="pbx.test", nonce="n0nce", uri="sip:pbx.test", response="0123456789abcdef"\r\n' +
  'Proxy-Authorization: Digest username="1001", response="fedcba"\r\nContent-Length: 0\r\n\r\n';

describe("SIP trace", () => {
  it("redacts digest credentials but keeps the user name", () => {
    const r = redact(register);
    expect(r).not.toContain("0123456789abcdef");
    expect(r).not.toContain("n0nce");
    expect(r).not.toContain("fedcba");
    expect(r).toContain('Authorization: Digest username="1001", <credentials redacted>');
    expect(r).toContain('Proxy-Authorization: Digest username="1001", <credentials redacted>');
  });

  it("keeps entries per line and call, and exports them as text", () => {
    const t = new SipTrace();
    t.add("l1", "out", register);
    t.add("l2", "in", "SIP/2.0 200 OK\r\nCall-ID: other\r\n\r\n");
    expect(t.list("l1").map((e) => [e.summary, e.callId])).toEqual([["REGISTER sip:pbx.test SIP/2.0", "abc123"]]);
    expect(t.list(undefined, "other")).toHaveLength(1);
    const text = t.toText("l1");
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT.* SENT to server \(line l1\)\nREGISTER sip:pbx\.test SIP\/2\.0\n/);
    expect(text).not.toContain("0123456789abcdef");
  });
});
