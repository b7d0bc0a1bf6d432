import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BodyAndContentType } from "sip.js";
import type { IncomingRequestMessage } from "sip.js/lib/core/index.js";
import { Phone } from "./phone.js";
import type { CallSnapshot } from "./call-state.js";
import { MemoryPeer, PEER_SDP, type MemorySocket } from "../test-support/memory-peer.js";
import { FakeMediaHandler, testPlatform } from "../test-support/test-platform.js";
import { stop } from "../test-support/phone-harness.js";

/**
 * Early media and ringback on the wire (src/sip/api/call.ts onProgress, call-tones.ts, and the
 * SIP.js patch items 8 and 9): which 1xx rings, whose media plays, which answer wins.
 */

/** Records the answers SIP.js applies: the first through setDescription, others replaced. */
class RecordingHandler extends FakeMediaHandler {
  static applied: string[] = [];
  override setDescription(...args: unknown[]): Promise<void> {
    const sdp = String(args[0]);
    RecordingHandler.applied.push(sdp);
    // What the browser says of an answer without a codec of our offer.
    if (/RTP\/AVP 18\r\n/.test(sdp)) return Promise.reject(new Error("Failed to set remote audio description send parameters"));
    return Promise.resolve();
  }
  replaceRemoteAnswer(answer: BodyAndContentType): Promise<void> {
    // An answer the browser refuses (port 49999 here) is not applied: the previous one stays.
    if (answer.body.includes("m=audio 49999 ")) return Promise.reject(new Error("RTCP-MUX is not enabled when it is required"));
    RecordingHandler.applied.push(answer.body);
    return Promise.resolve();
  }
}

const sdp = (port: number) => PEER_SDP.replace("m=audio 40000", `m=audio ${port}`);

async function setup() {
  const peer = new MemoryPeer();
  const platform = { ...testPlatform(peer), sdhFactory: () => () => new RecordingHandler() };
  const tones = testPlatform(peer);
  const stopped: string[] = [];
  platform.tones = {
    play: (kind) => {
      tones.tonesPlayed.push(kind);
      return () => void stopped.push(kind);
    },
  };
  const phone = new Phone({ platform, lineTiming: { keepAliveMs: 10 ** 9 }, preopenMicrophoneOnRing: false });
  peer.onRequest = (req, socket) => {
    if (req.method === "BYE") peer.reply(socket, req, 200);
  };
  phone.configure({
    version: 1,
    accounts: [{ id: "l1", sipUri: "sip:1001@pbx.test", password: "pw", servers: ["wss://pbx.test/ws"] }],
  });
  await vi.advanceTimersByTimeAsync(100);
  expect(phone.lines[0]?.state).toBe("registered");
  const changes: CallSnapshot[] = [];
  phone.on("call-state", (c) => changes.push(c));
  return { peer, phone, played: tones.tonesPlayed, stopped, changes };
}

/** Dials and returns the INVITE and a way to answer it from any branch (To-tag) we like. */
async function dial(peer: MemoryPeer, phone: Phone) {
  let invite: IncomingRequestMessage | undefined;
  let socket: MemorySocket | undefined;
  peer.onRequest = ((rest) => (req: IncomingRequestMessage, s: MemorySocket) => {
    if (req.method === "INVITE" && !req.toTag) {
      invite = req;
      socket = s;
      return;
    }
    rest?.(req, s);
  })(peer.onRequest);
  await phone.dial("1002");
  await vi.advanceTimersByTimeAsync(50);
  if (!invite || !socket) throw new Error("no INVITE");
  const req = invite;
  const sock = socket;
  /** A response from branch `tag`; `contact: false` leaves the Contact out (linphone 5.1's 180). */
  const respond = (code: number, tag: string, { body = "", contact = true } = {}) => {
    const lines = [
      `SIP/2.0 ${code} ${code === 180 ? "Ringing" : code === 183 ? "Session Progress" : "OK"}`,
      ...req.getHeaders("via").map((v) => `Via: ${v}`),
      `From: ${req.getHeader("from")}`,
      `To: ${req.getHeader("to")};tag=${tag}`,
      `Call-ID: ${req.callId}`,
      `CSeq: ${req.getHeader("cseq")}`,
      ...(contact ? [`Contact: <sip:1002@${tag}.peer.test;transport=ws>`] : []),
      ...(body ? ["Content-Type: application/sdp"] : []),
    ];
    peer.send(sock, `${lines.join("\r\n")}\r\nContent-Length: ${new TextEncoder().encode(body).length}\r\n\r\n${body}`);
  };
  return { respond };
}

describe("early media and ringback", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    RecordingHandler.applied = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("180 without SDP: ringing with our ringback, stopped by the answer", async () => {
    const { peer, phone, played, stopped } = await setup();
    const { respond } = await dial(peer, phone);
    respond(180, "a");
    await vi.advanceTimersByTimeAsync(10);
    expect(phone.calls[0]).toMatchObject({ state: "ringing" });
    expect(phone.calls[0]?.earlyMedia).toBeUndefined();
    expect(played).toEqual(["ringback"]);
    respond(200, "a", { body: sdp(40000) });
    await vi.advanceTimersByTimeAsync(10);
    expect(phone.calls[0]?.state).toBe("established");
    expect(stopped).toEqual(["ringback"]);
    expect(RecordingHandler.applied).toEqual([sdp(40000)]);
    await stop(phone);
  });

  it("183 with SDP plays theirs and no ringback, also through a later 180 without SDP", async () => {
    const { peer, phone, played, changes } = await setup();
    const { respond } = await dial(peer, phone);
    respond(183, "a", { body: sdp(40000) });
    await vi.advanceTimersByTimeAsync(10);
    respond(180, "a");
    await vi.advanceTimersByTimeAsync(10);
    expect(phone.calls[0]).toMatchObject({ state: "ringing", earlyMedia: true });
    // Ringing and early media are one change: no ringback starts and stops in between.
    expect(changes.find((c) => c.state === "ringing")?.earlyMedia).toBe(true);
    expect(played).toEqual([]);
    respond(200, "a", { body: sdp(40000) });
    await vi.advanceTimersByTimeAsync(10);
    expect(phone.calls[0]?.state).toBe("established");
    // The 2xx repeats the 183's answer: nothing is applied again.
    expect(RecordingHandler.applied).toEqual([sdp(40000)]);
    await stop(phone);
  });

  it("forked 183s: the latest branch's media plays; a 2xx from an earlier branch wins over it", async () => {
    const { peer, phone, played } = await setup();
    const { respond } = await dial(peer, phone);
    respond(183, "a", { body: sdp(40000) });
    await vi.advanceTimersByTimeAsync(10);
    respond(183, "b", { body: sdp(40002) });
    await vi.advanceTimersByTimeAsync(10);
    respond(180, "a");
    await vi.advanceTimersByTimeAsync(10);
    // A 180 without SDP from branch a does not take the media back from b.
    expect(RecordingHandler.applied).toEqual([sdp(40000), sdp(40002)]);
    expect(played).toEqual([]);
    respond(200, "a", { body: sdp(40000) });
    await vi.advanceTimersByTimeAsync(10);
    expect(phone.calls[0]?.state).toBe("established");
    expect(RecordingHandler.applied).toEqual([sdp(40000), sdp(40002), sdp(40000)]);
    // Established, not "Early media dialog does not equal confirmed dialog" (SIP.js's 488).
    expect(peer.count("BYE")).toBe(0);
    await stop(phone);
  });

  it("another branch's early answer that cannot be applied leaves the first one playing", async () => {
    const { peer, phone } = await setup();
    const { respond } = await dial(peer, phone);
    respond(183, "a", { body: sdp(40000) });
    await vi.advanceTimersByTimeAsync(10);
    respond(183, "b", { body: sdp(49999) });
    await vi.advanceTimersByTimeAsync(10);
    expect(phone.calls[0]).toMatchObject({ state: "ringing", earlyMedia: true });
    // Branch a answers with what already plays: nothing to apply, the call connects.
    respond(200, "a", { body: sdp(40000) });
    await vi.advanceTimersByTimeAsync(10);
    expect(phone.calls[0]?.state).toBe("established");
    expect(RecordingHandler.applied).toEqual([sdp(40000)]);
    expect(peer.count("BYE")).toBe(0);
    await stop(phone);
  });

  it("a 2xx whose SDP differs from the 183's: the final answer wins", async () => {
    const { peer, phone } = await setup();
    const { respond } = await dial(peer, phone);
    respond(183, "a", { body: sdp(40000) });
    await vi.advanceTimersByTimeAsync(10);
    respond(200, "a", { body: sdp(41000) });
    await vi.advanceTimersByTimeAsync(10);
    expect(phone.calls[0]?.state).toBe("established");
    expect(RecordingHandler.applied).toEqual([sdp(40000), sdp(41000)]);
    await stop(phone);
  });

  it("a 180 without Contact (linphone 5.1) still rings; the 2xx's Contact is where the BYE goes", async () => {
    const { peer, phone, played } = await setup();
    const { respond } = await dial(peer, phone);
    respond(180, "a", { contact: false });
    await vi.advanceTimersByTimeAsync(10);
    expect(phone.calls[0]?.state).toBe("ringing");
    expect(played).toEqual(["ringback"]);
    respond(200, "a", { body: sdp(40000) });
    await vi.advanceTimersByTimeAsync(10);
    expect(phone.calls[0]?.state).toBe("established");
    await phone.hangup(phone.calls[0]!.id);
    await vi.advanceTimersByTimeAsync(10);
    const bye = peer.requests("BYE")[0];
    expect(bye?.ruri?.toString()).toBe("sip:1002@a.peer.test;transport=ws");
    await stop(phone);
  });

  it("an answer with no codec in common: ACK and BYE with Reason 488, the call fails as answer-refused", async () => {
    const { peer, phone, changes } = await setup();
    const { respond } = await dial(peer, phone);
    respond(200, "a", {
      body: sdp(40000)
        .replace("RTP/AVP 0 101", "RTP/AVP 18")
        .replace(/a=rtpmap:.*\r\n/g, "a=rtpmap:18 G729/8000\r\n"),
    });
    await vi.advanceTimersByTimeAsync(50);
    expect(peer.count("ACK")).toBe(1);
    expect(peer.requests("BYE")[0]?.getHeader("reason")).toMatch(/cause=488/);
    expect(changes.at(-1)).toMatchObject({ state: "ended", reason: "failed", failure: { kind: "answer-refused" } });
    await stop(phone);
  });
});
