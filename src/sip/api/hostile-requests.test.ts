import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HANDLED_METHODS } from "../core/request-screen.js";
import { MemoryPeer, type MemorySocket } from "../test-support/memory-peer.js";
import torture from "../test-support/rfc4475.json";
import { testPlatform } from "../test-support/test-platform.js";
import { Phone } from "./phone.js";

/**
 * The RFC 4475 torture messages and other hostile requests, sent to a registered phone over the
 * in-memory peer (production transport, real SIP.js): what the phone answers on the wire, and
 * that it still rings for the next valid call. The e2e twin is e2e/hostile-requests.test.mjs.
 */
async function setup() {
  const peer = new MemoryPeer();
  // Everything the phone sent, as text: a response to a broken request copies its broken
  // headers, which the peer's parser may refuse.
  const sent: string[] = [];
  const receive = peer.receive.bind(peer);
  peer.receive = (text, socket) => {
    sent.push(text);
    try {
      receive(text, socket);
    } catch {
      // kept in `sent`
    }
  };
  const phone = new Phone({ platform: testPlatform(peer), lineTiming: { keepAliveMs: 10 ** 9 }, preopenMicrophoneOnRing: false });
  phone.configure({ version: 1, accounts: [{ id: "l1", sipUri: "sip:1001@pbx.test", password: "pw", servers: ["wss://pbx.test/ws"] }] });
  await vi.advanceTimersByTimeAsync(100);
  expect(phone.lines[0]?.state).toBe("registered");
  const contact = peer.contacts.get("1001")!;
  const [, user = "", host = ""] = /^sip:([^@]+)@([^;>]+)/.exec(contact.uri) ?? [];
  return { peer, phone, sent, socket: contact.socket, user, host };
}

/** The message aimed at the phone, as bytes (the fixture holds one character per byte). */
function bytesFor(message: string, user: string, host: string): Uint8Array {
  const escaped = Array.from(user, (c) => `%${c.charCodeAt(0).toString(16)}`).join("");
  const text = message
    .replace(/\{\{user-escaped\}\}/g, escaped)
    .replace(/\{\{user\}\}/g, user)
    .replace(/\{\{host\}\}/g, host);
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** Delivers `bytes` in a text frame when they are UTF-8, else in a binary frame (RFC 7118). */
function deliver(socket: MemorySocket, bytes: Uint8Array): void {
  let data: string | ArrayBuffer;
  try {
    data = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    data = bytes.slice().buffer;
  }
  (socket.onmessage as ((ev: { data: unknown }) => void) | null)?.({ data });
}

const statusOf = (response: string) => Number(response.slice(8, 11));

describe("hostile requests on the in-memory peer", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("every RFC 4475 torture message gets the answer the RFC expects, no INVITE among them a 2xx, and the phone rings afterwards", async () => {
    const { peer, phone, sent, socket, user, host } = await setup();
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on("unhandledRejection", onError);
    const answers: Record<string, number[]> = {};
    const expected: Record<string, number[]> = {};
    for (const m of torture.messages) {
      const mark = sent.length;
      deliver(socket, bytesFor(m.message, user, host));
      await vi.advanceTimersByTimeAsync(50);
      const responses = sent.slice(mark).filter((t) => t.startsWith("SIP/2.0 "));
      answers[m.name] = responses.map(statusOf).filter((s) => s !== 100);
      expected[m.name] = m.expect === "ring" ? [180] : m.expect === "none" ? [] : [m.expect as number];
      expect(responses.filter((r) => /^CSeq:\s*\d+\s+INVITE/im.test(r) && statusOf(r) < 300 && statusOf(r) >= 200)).toEqual([]);
    }
    expect(answers).toEqual(expected);
    // 420 names both tags; 415 says what we take; 405 and 501 say what we handle.
    const bext01 = sent.find((t) => t.startsWith("SIP/2.0 420") && t.includes("bext01"));
    expect(bext01).toMatch(/\r\nUnsupported: nothingSupportsThis, nothingSupportsThisEither\r\n/);
    expect(sent.find((t) => t.includes("invut.") && t.startsWith("SIP/2.0 415"))).toMatch(/\r\nAccept: application\/sdp\r\n/);
    expect(sent.find((t) => t.includes("mpart01") && t.startsWith("SIP/2.0 415"))).toMatch(/\r\nAccept: text\/plain\r\n/);
    expect(sent.find((t) => t.includes("regaut01") && t.startsWith("SIP/2.0 405"))).toMatch(
      /\r\nAllow: ACK, BYE, CANCEL, INFO, INVITE, MESSAGE, NOTIFY, OPTIONS, REFER\r\n/,
    );
    // The three valid INVITEs ring; the long display name is capped.
    expect(phone.calls.map((c) => c.state)).toEqual(["incoming", "incoming", "incoming"]);
    expect(phone.calls.every((c) => (c.remoteName?.length ?? 0) <= 100)).toBe(true);
    for (const c of phone.calls) await phone.decline(c.id).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(100);
    const next = peer.invite("1001");
    await vi.advanceTimersByTimeAsync(100);
    expect(next.responses("INVITE").map((r) => r.statusCode)).toContain(180);
    expect(phone.calls.map((c) => c.state)).toEqual(["incoming"]);
    process.off("unhandledRejection", onError);
    expect(errors).toEqual([]);
  });

  it("Require: 420 naming the option tags our UserAgent does not list in Supported; those it lists pass", async () => {
    const { peer, phone } = await setup();
    peer.onRequest = (req, socket) => req.method === "INVITE" && peer.reply(socket, req, 486);
    await phone.dial("1002");
    await vi.advanceTimersByTimeAsync(100);
    const ours = peer.requests("INVITE")[0]!;
    const supported = ours
      .getHeader("supported")!
      .split(",")
      .map((t) => t.trim());
    expect(supported).toEqual(expect.arrayContaining(["outbound", "replaces"]));
    expect(
      ours
        .getHeader("allow")
        ?.split(",")
        .map((t) => t.trim()),
    ).toEqual([...HANDLED_METHODS]);
    const required = peer.invite("1001", { headers: ["Require: frobnicate, replaces", "Require: 100rel"] });
    await vi.advanceTimersByTimeAsync(50);
    const r420 = required.responses("INVITE").find((r) => r.statusCode === 420);
    expect(r420?.getHeader("unsupported")).toBe("frobnicate, 100rel");
    expect(phone.calls).toEqual([]);
    const fine = peer.invite("1001", { headers: [`Require: ${supported.join(", ")}`, "Proxy-Require: frobnicate"] });
    await vi.advanceTimersByTimeAsync(50);
    expect(fine.responses("INVITE").map((r) => r.statusCode)).toContain(180);
    expect(phone.calls.map((c) => c.state)).toEqual(["incoming"]);
  });

  it("an INVITE with a text/plain body gets 415 with Accept: application/sdp, before anything rings", async () => {
    const { peer, phone, socket, user, host } = await setup();
    const text = [
      `INVITE sip:${user}@${host} SIP/2.0`,
      "Via: SIP/2.0/WSS peer.test;branch=z9hG4bKplain",
      "Max-Forwards: 70",
      "From: <sip:1002@pbx.test>;tag=p1",
      "To: <sip:1001@pbx.test>",
      "Call-ID: plain-1",
      "CSeq: 1 INVITE",
      "Contact: <sip:1002@peer.test;transport=ws>",
      "Content-Type: text/plain",
      "Content-Length: 5",
      "",
      "hello",
    ].join("\r\n");
    peer.send(socket, text);
    await vi.advanceTimersByTimeAsync(50);
    const answer = peer.received.find((m) => m.callId === "plain-1");
    expect(answer && "statusCode" in answer ? answer.statusCode : 0).toBe(415);
    expect(answer?.getHeader("accept")).toBe("application/sdp");
    expect(phone.calls).toEqual([]);
  });
});
