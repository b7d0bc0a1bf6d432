import { describe, expect, it } from "vitest";
import { MAX_ENTRIES, MAX_MESSAGE_CHARS, MAX_TOTAL_CHARS, redact, SipTrace } from "./sip-trace.js";

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

  it("keeps the head of a huge message, says how much was cut, and still redacts a cut header", () => {
    const t = new SipTrace();
    const huge = `INVITE sip:1001@pbx.test SIP/2.0\r\nCall-ID: big1\r\nX-Pad: ${"a".repeat(MAX_MESSAGE_CHARS)}\r\n\r\n`;
    t.add("l1", "in", huge);
    const [e] = t.list();
    expect(e!.summary).toBe("INVITE sip:1001@pbx.test SIP/2.0");
    expect(e!.callId).toBe("big1");
    expect(e!.text.length).toBeLessThan(MAX_MESSAGE_CHARS + 100);
    expect(e!.text.startsWith(huge.slice(0, MAX_MESSAGE_CHARS))).toBe(true);
    expect(e!.text).toContain(`[… ${huge.length - MAX_MESSAGE_CHARS} more characters not kept in the trace]`);

    // The cut falls inside the Authorization header: its value is still hidden.
    const start = "REGISTER sip:pbx.test SIP/2.0\r\nX-Pad: ";
    const head = `${start}${"p".repeat(MAX_MESSAGE_CHARS - 70 - start.length)}\r\n`;
    t.add("l1", "out", `${head}Authorization: Digest username="1001", response="${"f".repeat(100)}"\r\n\r\n`);
    expect(t.list().at(-1)!.text).toContain('Authorization: Digest username="1001", <credentials redacted>');
    expect(t.list().at(-1)!.text).not.toContain("ffff");
  });

  it("stays within its total size whatever a peer sends, dropping the oldest first", () => {
    const t = new SipTrace();
    const n = Math.ceil((2 * MAX_TOTAL_CHARS) / MAX_MESSAGE_CHARS);
    for (let i = 0; i < n; i++) t.add("l1", "in", `MESSAGE sip:x SIP/2.0\r\nCall-ID: m${i}\r\n\r\n${"x".repeat(10 * MAX_MESSAGE_CHARS)}`);
    expect(t.size).toBeLessThanOrEqual(MAX_TOTAL_CHARS);
    expect(t.size).toBe(t.list().reduce((sum, e) => sum + e.text.length, 0));
    const ids = t.list().map((e) => e.callId);
    expect(ids.at(-1)).toBe(`m${n - 1}`);
    expect(ids.length).toBeGreaterThan(MAX_TOTAL_CHARS / (MAX_MESSAGE_CHARS + 100) - 1);
    // The newest, in order: only the oldest went.
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => `m${n - ids.length + i}`));
    t.clear();
    expect(t.size).toBe(0);
  });

  it("keeps at most MAX_ENTRIES small messages", () => {
    const t = new SipTrace();
    for (let i = 0; i < MAX_ENTRIES + 10; i++) t.add("l1", "in", `OPTIONS sip:x SIP/2.0\r\nCall-ID: o${i}\r\n\r\n`);
    expect(t.list()).toHaveLength(MAX_ENTRIES);
    expect(t.list()[0]!.callId).toBe("o10");
    expect(t.size).toBe(t.list().reduce((sum, e) => sum + e.text.length, 0));
  });
});
