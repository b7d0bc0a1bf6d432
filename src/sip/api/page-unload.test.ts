import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryPeer, PEER_SDP, type MemorySocket } from "../test-support/memory-peer.js";
import { testPlatform } from "../test-support/test-platform.js";
import { IncomingRequestMessage } from "sip.js/lib/core/index.js";
import { CallState, type CallSnapshot } from "./call-state.js";
import { Phone } from "./phone.js";

/**
 * Phone.pageUnloading(): the page's last chance. Everything it sends must be on the wire when it
 * returns (the peer's socket receives synchronously here, as the browser's WebSocket queues
 * synchronously), with no timer or promise run in between.
 */
const CONTACT = "Contact: <sip:1002@peer.test;transport=ws>";

async function setup() {
  const peer = new MemoryPeer();
  const phone = new Phone({ platform: testPlatform(peer), lineTiming: { keepAliveMs: 10 ** 9 }, preopenMicrophoneOnRing: false });
  const events: CallSnapshot[] = [];
  phone.on("call-state", (c) => events.push(c));
  let onInvite: ((req: IncomingRequestMessage, socket: MemorySocket) => void) | undefined;
  peer.onRequest = (req, socket) => {
    if (req.method === "INVITE") onInvite?.(req, socket);
    else if (req.method === "BYE" || req.method === "CANCEL") peer.reply(socket, req, 200);
  };
  phone.configure({ version: 1, accounts: [{ id: "l1", sipUri: "sip:1001@pbx.test", password: "pw", servers: ["wss://pbx.test/ws"] }] });
  await vi.advanceTimersByTimeAsync(100);
  expect(phone.lines[0]?.state).toBe("registered");
  return { peer, phone, events, answerInvites: (f: typeof onInvite) => (onInvite = f) };
}

/** What the peer received after the first `from` messages: request methods, and responses as "code METHOD". */
const sentSince = (peer: MemoryPeer, from: number) =>
  peer.received.slice(from).map((m) => (m instanceof IncomingRequestMessage ? m.method : `${m.statusCode} ${m.method}`));

describe("Phone.pageUnloading", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends BYE for a connected call, CANCEL for one that rings, 480 to a caller, then un-REGISTERs: all before it returns", async () => {
    const { peer, phone, events, answerInvites } = await setup();
    // Call 1: connected. Call 2: ringing at the far end.
    answerInvites((req, socket) => {
      if (req.ruri?.user === "1002") peer.reply(socket, req, 200, [CONTACT], PEER_SDP);
      else peer.reply(socket, req, 180, [CONTACT]);
    });
    // Dialing holds the connected call first (a re-INVITE): let the fake clock run meanwhile.
    for (const target of ["1002", "1003"]) {
      const dialled = phone.dial(target);
      await vi.advanceTimersByTimeAsync(200);
      await dialled;
    }
    // Call 3: the peer calls us; it rings here.
    const caller = peer.invite("1001");
    await vi.advanceTimersByTimeAsync(50);
    expect(phone.calls.map((c) => c.state)).toEqual([CallState.Established, CallState.Ringing, CallState.Incoming]);
    const [connected, ringing, incoming] = phone.calls;

    const before = peer.received.length;
    events.length = 0;
    phone.pageUnloading();

    const sent = sentSince(peer, before);
    expect(sent).toEqual(["BYE", "CANCEL", "480 INVITE", "REGISTER"]);
    expect(caller.responses("INVITE").at(-1)?.statusCode).toBe(480);
    expect(peer.requests("REGISTER").at(-1)?.getHeader("contact")).toMatch(/expires=0/);
    // Each call is reported ended at once, with why.
    const ended = events.filter((e) => e.state === CallState.Ended);
    expect(ended.map((e) => [e.id, e.reason, e.sipCode])).toEqual([
      [connected!.id, "hangup", undefined],
      [ringing!.id, "cancelled", undefined],
      [incoming!.id, "missed", 480],
    ]);
    expect(ended.every((e) => typeof e.endedAt === "number")).toBe(true);
    expect(ended[0]!.answeredAt).toBeDefined();
  });

  it("a page that goes on after all hears each call end once: the real end that follows is not a second one", async () => {
    const { peer, phone, events, answerInvites } = await setup();
    let invite: IncomingRequestMessage | undefined;
    let inviteSocket: MemorySocket | undefined;
    answerInvites((req, socket) => {
      [invite, inviteSocket] = [req, socket];
      peer.reply(socket, req, 180, [CONTACT]);
    });
    const id = phone.dial("1002");
    await vi.advanceTimersByTimeAsync(200);
    await id;
    expect(phone.calls.map((c) => c.state)).toEqual([CallState.Ringing]);
    phone.pageUnloading();
    // The far end answers the CANCEL's INVITE with 487, as RFC 3261 9.2 has it: the call really ends.
    peer.reply(inviteSocket!, invite!, 487);
    await vi.advanceTimersByTimeAsync(1000);
    expect(phone.calls).toEqual([]);
    expect(events.filter((e) => e.state === CallState.Ended).map((e) => e.reason)).toEqual(["cancelled"]);
  });

  it("with no call, only the un-REGISTER goes", async () => {
    const { peer, phone, events } = await setup();
    const before = peer.received.length;
    phone.pageUnloading();
    expect(sentSince(peer, before)).toEqual(["REGISTER"]);
    expect(events).toEqual([]);
  });
});
