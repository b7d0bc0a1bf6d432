import { describe, expect, it, vi } from "vitest";
import type { TextCompression } from "./gzip-blob.js";
import {
  BATCH_CHARS,
  BURST_CHARS,
  MAX_ENTRIES,
  MAX_MESSAGE_CHARS,
  MAX_TOTAL_CHARS,
  QUIET_MS,
  RECENT_CHARS,
  redact,
  SipTrace,
} from "./sip-trace.js";

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

  it("keeps entries per line and call, and exports them as text", async () => {
    const t = new SipTrace();
    t.add("l1", "out", register);
    t.add("l2", "in", "SIP/2.0 200 OK\r\nCall-ID: other\r\n\r\n");
    expect(t.list("l1").map((e) => [e.summary, e.callId])).toEqual([["REGISTER sip:pbx.test SIP/2.0", "abc123"]]);
    expect(t.list(undefined, "other")).toHaveLength(1);
    const text = await t.toText("l1");
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

  it("stays within its total size whatever a peer sends, dropping the oldest first (kept plain)", () => {
    const t = new SipTrace(null);
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

  it("keeps at most MAX_ENTRIES small messages (kept plain)", () => {
    const t = new SipTrace(null);
    for (let i = 0; i < MAX_ENTRIES + 10; i++) t.add("l1", "in", `OPTIONS sip:x SIP/2.0\r\nCall-ID: o${i}\r\n\r\n`);
    expect(t.list()).toHaveLength(MAX_ENTRIES);
    expect(t.list()[0]!.callId).toBe("o10");
    expect(t.size).toBe(t.list().reduce((sum, e) => sum + e.text.length, 0));
  });

  it("keeps the newest entries as they are and gzips older ones, all read back in order", async () => {
    const t = new SipTrace(undefined, { quietMs: 0 });
    const n = 400;
    for (let i = 0; i < n; i++) t.add(i % 2 ? "l1" : "l2", "out", call(i));
    const all = await t.all();
    expect(all.map((e) => e.callId)).toEqual(Array.from({ length: n }, (_, i) => `c${i}`));
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(all.every((e) => e.text === redact(call(Number(e.callId.slice(1)))))).toBe(true);
    // Only the newest are held as entries...
    const recent = t.list();
    expect(recent.reduce((sum, e) => sum + e.text.length, 0)).toBeLessThanOrEqual(RECENT_CHARS + BATCH_CHARS);
    expect(recent.length).toBeLessThan(n / 2);
    expect(recent.at(-1)!.callId).toBe(`c${n - 1}`);
    // ...and filtered reads and the export cover the compressed ones too.
    expect((await t.all("l2", "c0")).map((e) => e.summary)).toEqual(["INVITE sip:1002@pbx.test SIP/2.0"]);
    expect((await t.toText("l1")).match(/SENT to server \(line l1\)/g)).toHaveLength(n / 2);
    expect(t.size).toBe(all.reduce((sum, e) => sum + e.text.length, 0));
    expect(t.oldestSeq).toBe(0);
  });

  it("compresses once messages pause for QUIET_MS, not during a burst, unless the burst passes BURST_CHARS", () => {
    vi.useFakeTimers();
    try {
      const compression = new HeldCompression();
      const t = new SipTrace(compression);
      // A burst: a message every 20 ms (QUIET_MS goes by three times over), well past what is kept plain.
      const n = Math.ceil((RECENT_CHARS + 2 * BATCH_CHARS) / call(0).length);
      for (let i = 0; i < n; i++) {
        t.add("l1", "in", call(i));
        vi.advanceTimersByTime(20);
      }
      expect(n * 20).toBeGreaterThan(3 * QUIET_MS);
      expect(t.list()).toHaveLength(n);
      expect(compression.pending).toHaveLength(0);
      vi.advanceTimersByTime(QUIET_MS);
      expect(compression.pending.length).toBeGreaterThan(0);
      const plain = t.list().reduce((n, e) => n + e.text.length, 0);
      expect(plain).toBeGreaterThan(RECENT_CHARS);
      expect(plain).toBeLessThanOrEqual(RECENT_CHARS + BATCH_CHARS);

      // A burst with no pause at all: compressed once what waits passes BURST_CHARS, not later.
      compression.settle();
      const plainNow = () => t.list().reduce((sum, e) => sum + e.text.length, 0);
      let i = n;
      let before = 0;
      while (compression.pending.length === 0 && i < 2000) {
        before = plainNow();
        t.add("l1", "in", call(i++));
      }
      expect(before).toBeLessThanOrEqual(BURST_CHARS);
      expect(before + call(0).length).toBeGreaterThan(BURST_CHARS);
      expect(plainNow()).toBeLessThanOrEqual(RECENT_CHARS + BATCH_CHARS);
    } finally {
      vi.useRealTimers();
    }
  });

  it("reads entries still being compressed; drops a batch whose compression ends after a clear", async () => {
    const compression = new HeldCompression();
    const t = new SipTrace(compression, { quietMs: 0 });
    for (let i = 0; i < 130; i++) t.add("l1", "in", call(i));
    expect(compression.pending).toHaveLength(1);
    expect((await t.all()).map((e) => e.callId)).toEqual(Array.from({ length: 130 }, (_, i) => `c${i}`));
    compression.settle();
    await Promise.resolve();
    expect((await t.all()).map((e) => e.callId)).toEqual(Array.from({ length: 130 }, (_, i) => `c${i}`));
    expect(compression.decompressed).toBe(1);

    for (let i = 130; i < 175; i++) t.add("l1", "in", call(i));
    expect(compression.pending).toHaveLength(1);
    t.clear();
    compression.settle();
    await Promise.resolve();
    expect(await t.all()).toEqual([]);
    expect(t.size).toBe(0);
  });

  it("keeps entries it could not compress as they are", async () => {
    const t = new SipTrace(
      { compress: () => Promise.reject(new Error("no gzip")), decompress: () => Promise.reject(new Error("unused")) },
      { quietMs: 0 },
    );
    for (let i = 0; i < 100; i++) t.add("l1", "in", call(i));
    await new Promise((r) => setTimeout(r));
    expect((await t.all()).map((e) => e.callId)).toEqual(Array.from({ length: 100 }, (_, i) => `c${i}`));
  });

  it("compressed, stays within its bounds: the oldest go a batch at a time, the newest stay in order", async () => {
    const t = new SipTrace(undefined, { quietMs: 0 });
    for (let i = 0; i < MAX_ENTRIES + 500; i++) t.add("l1", "in", `OPTIONS sip:x SIP/2.0\r\nCall-ID: o${i}\r\n${"x".repeat(1500)}\r\n\r\n`);
    const all = await t.all();
    expect(t.size).toBeLessThanOrEqual(MAX_TOTAL_CHARS);
    expect(all.length).toBeLessThanOrEqual(MAX_ENTRIES);
    expect(all.length).toBeGreaterThan(MAX_TOTAL_CHARS / 1600 - BATCH_CHARS / 1500 - 1);
    expect(t.size).toBe(all.reduce((sum, e) => sum + e.text.length, 0));
    const last = MAX_ENTRIES + 499;
    expect(all.map((e) => e.callId)).toEqual(Array.from({ length: all.length }, (_, i) => `o${last - all.length + 1 + i}`));
    expect(t.oldestSeq).toBe(all[0]!.seq);
  });

  it("the real gzip keeps SIP at a fraction of its size", async () => {
    const compression = new HeldCompression();
    const t = new SipTrace(compression, { quietMs: 0 });
    for (let i = 0; i < 130; i++) t.add("l1", "in", call(i));
    const [text] = compression.pending;
    const { gzipBlobs } = await import("./gzip-blob.js");
    const gzip = gzipBlobs()!;
    const blob = await gzip.compress(text!);
    expect(blob.size).toBeLessThan(text!.length / 5);
    expect(await gzip.decompress(blob)).toBe(text);
  });
});

/** A call's INVITE as a phone sends it: ~1 000 characters, mostly headers and SDP that repeat. */
function call(i: number): string {
  return (
    `INVITE sip:1002@pbx.test SIP/2.0\r\nVia: SIP/2.0/WSS 1.invalid;branch=z9hG4bK${i}\r\nTo: <sip:1002@pbx.test>\r\n` +
    `From: "Alice" <sip:1001@pbx.test>;tag=t${i}\r\nCall-ID: c${i}\r\nCSeq: 1 INVITE\r\nContact: <sip:x@1.invalid;transport=ws>\r\n` +
    `Authorization: Digest username="1001", response="secret${i}"\r\nContent-Type: application/sdp\r\n\r\n` +
    `v=0\r\no=- ${i} 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 0 8\r\n${"a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\r\n".repeat(8)}`
  );
}

/** Compression held until settle(): what is in flight, and how often it was read back. */
class HeldCompression implements TextCompression {
  readonly pending: string[] = [];
  decompressed = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly texts = new WeakMap<Blob, string>();

  compress(text: string): Promise<Blob> {
    this.pending.push(text);
    return new Promise((resolve) =>
      this.waiting.push(() => {
        const blob = new Blob([]);
        this.texts.set(blob, text);
        resolve(blob);
      }),
    );
  }

  decompress(blob: Blob): Promise<string> {
    this.decompressed++;
    return Promise.resolve(this.texts.get(blob)!);
  }

  settle(): void {
    for (const go of this.waiting.splice(0)) go();
    this.pending.length = 0;
  }
}
