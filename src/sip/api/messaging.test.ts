import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { IncomingRequestMessage } from "sip.js/lib/core/index.js";
import type { MemoryPeer, MemorySocket } from "../test-support/memory-peer.js";
import { sendOutOfDialog } from "../test-support/peer-requests.js";
import { setup, stop } from "../test-support/phone-harness.js";
import { MESSAGE_LIMIT } from "./incoming-rate.js";
import { PhoneError } from "./phone-errors.js";
import type { MessageSnapshot } from "./text-message.js";

/** Answers the phone's MESSAGEs with `code` (the rest as the harness does). */
function answerMessages(peer: MemoryPeer, code: number | (() => number)) {
  const rest = peer.onRequest;
  peer.onRequest = (req: IncomingRequestMessage, socket: MemorySocket) =>
    req.method === "MESSAGE" ? peer.reply(socket, req, typeof code === "number" ? code : code()) : rest?.(req, socket);
}

async function phoneWithEvents(account: Record<string, unknown> = {}) {
  const h = await setup(account);
  const events: MessageSnapshot[] = [];
  h.phone.on("message", (m) => events.push(m));
  return { ...h, events };
}

describe("text messages (RFC 3428 MESSAGE)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends text/plain with the exact text; resolves with the id on 200 (delivered)", async () => {
    const { peer, phone, events } = await phoneWithEvents();
    answerMessages(peer, 200);
    const text = '<b>bold</b> & <script>alert("x")</script> Grüße';
    const sent = phone.sendMessage("1002", text);
    await vi.advanceTimersByTimeAsync(50);
    const id = await sent;
    const [wire] = peer.requests("MESSAGE");
    expect(wire?.ruri?.toString()).toBe("sip:1002@pbx.test");
    expect(wire?.getHeader("content-type")).toBe("text/plain;charset=UTF-8");
    expect(wire?.body).toBe(text);
    expect(events.map((e) => [e.id, e.status])).toEqual([
      [id, "sending"],
      [id, "delivered"],
    ]);
    expect(events[1]).toMatchObject({ direction: "out", remote: "1002", lineId: "l1", text, sipCode: 200 });
    await stop(phone);
  });

  it("202 (taken by a relay) is 'sent'; a refusal rejects with the code and the event says failed", async () => {
    const { peer, phone, events } = await phoneWithEvents();
    const codes = [202, 404];
    answerMessages(peer, () => codes.shift()!);
    const relayed = phone.sendMessage("1002", "one");
    await vi.advanceTimersByTimeAsync(50);
    await relayed;
    expect(events.at(-1)).toMatchObject({ status: "sent", sipCode: 202 });
    const refused = phone.sendMessage("1999", "two").catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(50);
    const error = (await refused) as PhoneError;
    expect(error).toBeInstanceOf(PhoneError);
    expect(error.code).toBe("message-failed");
    expect(error.detail).toMatchObject({ sipCode: 404 });
    expect(events.at(-1)).toMatchObject({ status: "failed", remote: "1999", failure: { kind: "rejected", sipCode: 404 } });
    await stop(phone);
  });

  it("refuses empty and oversized text before anything is sent", async () => {
    const { peer, phone } = await phoneWithEvents();
    await expect(phone.sendMessage("1002", "  ")).rejects.toMatchObject({ code: "bad-text" });
    await expect(phone.sendMessage("1002", "é".repeat(9000))).rejects.toMatchObject({ code: "bad-text" });
    await expect(phone.sendMessage("1002", "hi", { lineId: "nope" })).rejects.toMatchObject({ code: "no-line" });
    expect(peer.count("MESSAGE")).toBe(0);
    await stop(phone);
  });

  it("waits while the line is down and goes, in order, once it is back", async () => {
    const { peer, phone, events } = await phoneWithEvents();
    answerMessages(peer, 200);
    peer.behaviour.reachable = false;
    peer.dropAll();
    await vi.advanceTimersByTimeAsync(100);
    expect(phone.lines[0]?.state).toBe("failed");
    const first = phone.sendMessage("1002", "first");
    const second = phone.sendMessage("1002", "second");
    await vi.advanceTimersByTimeAsync(50);
    expect(events.map((e) => e.status)).toEqual(["queued", "queued"]);
    expect(peer.count("MESSAGE")).toBe(0);
    peer.behaviour.reachable = true;
    await vi.advanceTimersByTimeAsync(5000);
    expect(phone.lines[0]?.state).toBe("registered");
    await Promise.all([first, second]);
    expect(peer.requests("MESSAGE").map((m) => m.body)).toEqual(["first", "second"]);
    expect(events.filter((e) => e.status === "delivered").map((e) => e.text)).toEqual(["first", "second"]);
    await stop(phone);
  });

  it("what waits for a line that is then removed fails with no-line", async () => {
    const { peer, phone, events } = await phoneWithEvents();
    peer.behaviour.reachable = false;
    peer.dropAll();
    await vi.advanceTimersByTimeAsync(100);
    const waiting = phone.sendMessage("1002", "never").catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    phone.configure({ version: 1, accounts: [] });
    expect(await waiting).toMatchObject({ code: "no-line" });
    expect(events.at(-1)).toMatchObject({ status: "failed", failure: { kind: "no-line" } });
    await stop(phone);
  });

  it("receives text/plain exactly (200), with the sender's cleaned name; other types 415, too big 413", async () => {
    const { peer, phone, events } = await phoneWithEvents();
    const text = "<img src=x onerror=alert(1)> line1\r\nline2 ✓";
    const ok = sendOutOfDialog(peer, "1001", "MESSAGE", {
      body: text,
      contentType: "text/plain; charset=UTF-8",
      from: '"Bob\u202e" <sip:1002@pbx.test>',
    });
    await vi.advanceTimersByTimeAsync(50);
    expect(ok.responses().map((r) => r.statusCode)).toEqual([200]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ direction: "in", status: "received", remote: "1002", remoteName: "Bob", text, lineId: "l1" });

    const html = sendOutOfDialog(peer, "1001", "MESSAGE", { body: "<b>x</b>", contentType: "text/html" });
    const big = sendOutOfDialog(peer, "1001", "MESSAGE", { body: "x".repeat(17 * 1024), contentType: "text/plain" });
    await vi.advanceTimersByTimeAsync(50);
    expect(html.responses().map((r) => r.statusCode)).toEqual([415]);
    expect(html.responses()[0]?.getHeader("accept")).toBe("text/plain");
    expect(big.responses().map((r) => r.statusCode)).toEqual([413]);
    expect(events).toHaveLength(1);
    await stop(phone);
  });

  it(`takes at most ${MESSAGE_LIMIT} messages a minute from one sender; then 486 with Retry-After, others unaffected`, async () => {
    const { peer, phone, events } = await phoneWithEvents();
    const flood = Array.from({ length: MESSAGE_LIMIT + 3 }, (_, i) =>
      sendOutOfDialog(peer, "1001", "MESSAGE", { body: `spam ${i}`, contentType: "text/plain", from: "<sip:gw@sms.test>" }),
    );
    const other = sendOutOfDialog(peer, "1001", "MESSAGE", { body: "hello", contentType: "text/plain", from: "<sip:1002@pbx.test>" });
    await vi.advanceTimersByTimeAsync(50);
    const codes = flood.map((r) => r.responses()[0]?.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(MESSAGE_LIMIT);
    expect(codes.slice(MESSAGE_LIMIT)).toEqual([486, 486, 486]);
    expect(Number(flood.at(-1)!.responses()[0]?.getHeader("retry-after"))).toBeGreaterThan(0);
    expect(other.responses().map((r) => r.statusCode)).toEqual([200]);
    expect(events).toHaveLength(MESSAGE_LIMIT + 1);
    await vi.advanceTimersByTimeAsync(60_000);
    const later = sendOutOfDialog(peer, "1001", "MESSAGE", { body: "later", contentType: "text/plain", from: "<sip:gw@sms.test>" });
    await vi.advanceTimersByTimeAsync(50);
    expect(later.responses().map((r) => r.statusCode)).toEqual([200]);
    await stop(phone);
  });

  it("resumes a message left queued by a closed page: same id and time, sent to the stored address", async () => {
    const { peer, phone, events } = await phoneWithEvents();
    answerMessages(peer, 200);
    phone.resumeMessages([
      { id: "m-old", lineId: "l1", remote: "1002", remoteUri: "sip:1002@pbx.test", text: "still here", at: 1234 },
      { id: "m-gone", lineId: "removed", remote: "1003", remoteUri: "sip:1003@pbx.test", text: "no line", at: 1235 },
    ]);
    await vi.advanceTimersByTimeAsync(50);
    const [wire] = peer.requests("MESSAGE");
    expect(peer.count("MESSAGE")).toBe(1);
    expect(wire?.ruri?.toString()).toBe("sip:1002@pbx.test");
    expect(wire?.body).toBe("still here");
    expect(events.find((e) => e.id === "m-old" && e.status === "delivered")).toMatchObject({ at: 1234, direction: "out" });
    expect(events.find((e) => e.id === "m-gone")).toMatchObject({ status: "failed", failure: { kind: "no-line" } });
    await stop(phone);
  });
});
