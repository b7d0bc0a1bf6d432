import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { IncomingRequestMessage } from "sip.js/lib/core/index.js";
import type { MemoryPeer, MemorySocket } from "../test-support/memory-peer.js";
import { PEER_SDP } from "../test-support/memory-peer.js";
import { establishedIncoming, onInvite, PEER_CONTACT, setup, stop } from "../test-support/phone-harness.js";
import type { Phone } from "./phone.js";
import type { PresenceSnapshot } from "./presence-state.js";
import { WATCH_SPACING_MS } from "./presence.js";

const EARLY = `<dialog id="d1" call-id="abc@host" local-tag="lt1" remote-tag="rt1" direction="recipient">
  <state>early</state><remote><identity display="Carol">sip:1003@pbx.test</identity></remote></dialog>`;
const info = (version: number, dialogs = "") =>
  `<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="${version}" state="full" entity="sip:1001@pbx.test">${dialogs}</dialog-info>`;

/** The peer as a presence server: answers SUBSCRIBE with `answer` and remembers each dialog to NOTIFY in. */
function presenceServer(peer: MemoryPeer, answer: (req: IncomingRequestMessage) => number = () => 200) {
  const subs = new Map<string, { req: IncomingRequestMessage; socket: MemorySocket; cseq: number }>();
  const rest = peer.onRequest;
  peer.onRequest = (req, socket) => {
    // Other SUBSCRIBEs (the line's own message-summary, voicemail.ts) are not ours to answer.
    if (req.method !== "SUBSCRIBE" || !isWatch(req)) return rest?.(req, socket);
    const code = answer(req);
    peer.reply(socket, req, code, code === 200 ? ["Contact: <sip:presence@peer.test;transport=ws>", "Expires: 600"] : []);
    if (code === 200) subs.set(req.ruri!.user!, { req, socket, cseq: 0 });
  };
  /** A NOTIFY in the dialog of the last SUBSCRIBE for `user`. */
  const notify = (user: string, body: string, state = "active;expires=600") => {
    const sub = subs.get(user)!;
    const contact = /<([^>]+)>/.exec(sub.req.getHeader("contact") ?? "")![1];
    const event = sub.req.getHeader("event")!;
    const type = event === "dialog" ? "application/dialog-info+xml" : "application/pidf+xml";
    const lines = [
      `NOTIFY ${contact} SIP/2.0`,
      `Via: SIP/2.0/WSS peer.test;branch=z9hG4bK${Math.random().toString(36).slice(2)}`,
      "Max-Forwards: 70",
      `From: ${sub.req.getHeader("to")};tag=${peer.toTag(sub.req)}`,
      `To: ${sub.req.getHeader("from")}`,
      `Call-ID: ${sub.req.callId}`,
      `CSeq: ${++sub.cseq} NOTIFY`,
      "Contact: <sip:presence@peer.test;transport=ws>",
      `Event: ${event}`,
      `Subscription-State: ${state}`,
      ...(body ? [`Content-Type: ${type}`] : []),
    ];
    peer.send(sub.socket, `${lines.join("\r\n")}\r\nContent-Length: ${new TextEncoder().encode(body).length}\r\n\r\n${body}`);
  };
  return { subs, notify };
}

const isWatch = (req: IncomingRequestMessage) => /^(dialog|presence)$/.test(req.getHeader("event") ?? "");
/** The SUBSCRIBEs of busy lamps the peer received. */
const watchSubscribes = () => peer.requests("SUBSCRIBE").filter(isWatch);

let phone: Phone;
let peer: MemoryPeer;
let lamps: PresenceSnapshot[];
const last = (target: string) => [...lamps].reverse().find((l) => l.target === target);

beforeEach(async () => {
  vi.useFakeTimers();
  ({ phone, peer } = await setup({ pickupPrefix: "**", groupPickupCode: "*8", parkExtension: "700" }));
  lamps = [];
  phone.on("presence", (l) => lamps.push(l));
});
afterEach(async () => {
  await stop(phone);
  vi.useRealTimers();
});

describe("watching (RFC 4235 dialog event, RFC 3856 presence)", () => {
  it("SUBSCRIBEs to the dialog event and shows ringing, busy and idle from the NOTIFYs", async () => {
    const server = presenceServer(peer);
    await phone.watch("1001");
    await vi.advanceTimersByTimeAsync(50);
    const [sub] = watchSubscribes();
    expect(sub?.ruri?.toString()).toBe("sip:1001@pbx.test");
    expect(sub?.getHeader("event")).toBe("dialog");
    expect(sub?.getHeader("accept")).toBe("application/dialog-info+xml");
    server.notify("1001", info(0));
    await vi.advanceTimersByTimeAsync(50);
    expect(last("1001")).toEqual({ target: "1001", lineId: "l1", state: "idle", event: "dialog" });
    server.notify("1001", info(1, EARLY));
    await vi.advanceTimersByTimeAsync(50);
    expect(last("1001")).toMatchObject({ state: "ringing", remote: "Carol" });
    server.notify("1001", info(2, `<dialog id="d1"><state>confirmed</state></dialog>`));
    await vi.advanceTimersByTimeAsync(50);
    expect(last("1001")?.state).toBe("busy");
    expect(phone.watched).toEqual([last("1001")]);
  });

  it("ignores a malformed body with a trace entry and keeps the last good state", async () => {
    const server = presenceServer(peer);
    await phone.watch("1001");
    await vi.advanceTimersByTimeAsync(50);
    server.notify("1001", info(1, EARLY));
    await vi.advanceTimersByTimeAsync(50);
    server.notify("1001", "<dialog-info><dialog>");
    await vi.advanceTimersByTimeAsync(50);
    expect(last("1001")?.state).toBe("ringing");
    expect(phone.trace.list("l1").some((e) => /malformed dialog-info/.test(e.text))).toBe(true);
  });

  it("falls back to presence when the server refuses the dialog package (489)", async () => {
    const server = presenceServer(peer, (req) => (req.getHeader("event") === "dialog" ? 489 : 200));
    await phone.watch("1001");
    await vi.advanceTimersByTimeAsync(100);
    expect(watchSubscribes().map((r) => r.getHeader("event"))).toEqual(["dialog", "presence"]);
    server.notify(
      "1001",
      `<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:1001@pbx.test"><tuple id="t"><status><basic>closed</basic></status></tuple></presence>`,
    );
    await vi.advanceTimersByTimeAsync(50);
    expect(last("1001")).toEqual({ target: "1001", lineId: "l1", state: "offline", event: "presence" });
  });

  it.each([403, 404])("shows unknown with the code when the server refuses (%i)", async (code) => {
    presenceServer(peer, () => code);
    await phone.watch("1001");
    await vi.advanceTimersByTimeAsync(100);
    expect(last("1001")).toEqual({ target: "1001", lineId: "l1", state: "unknown", code });
    expect(watchSubscribes().length).toBe(1);
  });

  it("shows unknown with the reason when the server ends the subscription for good", async () => {
    const server = presenceServer(peer);
    await phone.watch("1001");
    await vi.advanceTimersByTimeAsync(50);
    server.notify("1001", "", "terminated;reason=rejected");
    await vi.advanceTimersByTimeAsync(50);
    expect(last("1001")).toMatchObject({ state: "unknown", reason: "rejected" });
  });

  it("spreads 200 SUBSCRIBEs out instead of sending them at once", async () => {
    presenceServer(peer);
    for (let i = 0; i < 200; i++) await phone.watch(String(2000 + i));
    await vi.advanceTimersByTimeAsync(WATCH_SPACING_MS * 10);
    const early = watchSubscribes().length;
    expect(early).toBeGreaterThan(5);
    expect(early).toBeLessThan(20);
    await vi.advanceTimersByTimeAsync(WATCH_SPACING_MS * 200);
    expect(watchSubscribes().length).toBe(200);
    expect(new Set(watchSubscribes().map((r) => r.ruri?.user)).size).toBe(200);
  });

  it("SUBSCRIBEs again after the connection was lost and the line registered again", async () => {
    presenceServer(peer);
    await phone.watch("1001");
    await vi.advanceTimersByTimeAsync(50);
    expect(watchSubscribes().length).toBe(1);
    peer.dropAll();
    await vi.advanceTimersByTimeAsync(5000);
    expect(phone.lines[0]?.state).toBe("registered");
    await vi.advanceTimersByTimeAsync(100);
    const subs = watchSubscribes();
    expect(subs).toHaveLength(2);
    expect(subs[1]?.callId).not.toBe(subs[0]?.callId);
  });

  it("un-SUBSCRIBEs (Expires: 0) on unwatch", async () => {
    const server = presenceServer(peer);
    await phone.watch("1001");
    await vi.advanceTimersByTimeAsync(50);
    server.notify("1001", info(0));
    await vi.advanceTimersByTimeAsync(50);
    phone.unwatch("1001");
    await vi.advanceTimersByTimeAsync(50);
    const subs = watchSubscribes();
    expect(subs.at(-1)?.getHeader("expires")).toBe("0");
    expect(phone.watched).toEqual([]);
  });
});

describe("pickup and park", () => {
  it("picks up with an INVITE to the caller whose Replaces names the caller's early dialog (RFC 3891)", async () => {
    const server = presenceServer(peer);
    await phone.watch("1001");
    await vi.advanceTimersByTimeAsync(50);
    server.notify("1001", info(1, EARLY));
    await vi.advanceTimersByTimeAsync(50);
    await phone.pickup("1001");
    await vi.advanceTimersByTimeAsync(50);
    const [invite] = peer.requests("INVITE");
    expect(invite?.ruri?.toString()).toBe("sip:1003@pbx.test");
    expect(invite?.getHeader("replaces")).toBe("abc@host;to-tag=rt1;from-tag=lt1;early-only");
  });

  it("picked up as the caller: the Replaces INVITE is answered and the ringing phone gets a CANCEL saying answered elsewhere", async () => {
    const cancels: IncomingRequestMessage[] = [];
    let ringing: { req: IncomingRequestMessage; socket: MemorySocket } | undefined;
    onInvite(peer, (req, socket) => {
      ringing = { req, socket };
      peer.reply(socket, req, 180, [PEER_CONTACT]);
    });
    const rest = peer.onRequest;
    peer.onRequest = (req, socket) => {
      if (req.method !== "CANCEL") return rest?.(req, socket);
      cancels.push(req);
      peer.reply(socket, req, 200);
      peer.reply(ringing!.socket, ringing!.req, 487, [PEER_CONTACT]);
    };
    const outgoing = await phone.dial("1002");
    await vi.advanceTimersByTimeAsync(50);
    const ours = ringing!.req;
    const ourTag = /tag=([^;>\s]+)/.exec(ours.getHeader("from") ?? "")![1]!;
    // The colleague's INVITE: to-tag is ours (the recipient's), from-tag the ringing phone's.
    const pickup = peer.invite("1001", {
      from: "1004",
      headers: [`Replaces: ${ours.callId};to-tag=${ourTag};from-tag=${peer.toTag(ours)};early-only`],
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(pickup.responses("INVITE").map((r) => r.statusCode)).toContain(200);
    pickup.confirm();
    await vi.advanceTimersByTimeAsync(50);
    expect(cancels).toHaveLength(1);
    expect(cancels[0]!.getHeader("reason")).toBe('SIP;cause=200;text="Call completed elsewhere"');
    expect(phone.calls.find((c) => c.id === outgoing)).toBeUndefined();
    expect(phone.calls.map((c) => [c.state, c.replaces])).toEqual([["established", outgoing]]);
  });

  it("uses the line's pickup prefix where the dialog event gave no tags, and the group code without a target", async () => {
    const server = presenceServer(peer);
    await phone.watch("1001");
    await vi.advanceTimersByTimeAsync(50);
    server.notify("1001", info(1, `<dialog id="x" direction="recipient"><state>early</state></dialog>`));
    await vi.advanceTimersByTimeAsync(50);
    await phone.pickup("1001");
    await phone.pickup();
    await vi.advanceTimersByTimeAsync(50);
    expect(peer.requests("INVITE").map((r) => [r.ruri?.user, r.hasHeader("replaces")])).toEqual([
      ["**1001", false],
      ["*8", false],
    ]);
  });

  it("parks by a blind transfer (REFER) to the line's park extension", async () => {
    const { dialog, callId } = await establishedIncoming(peer, phone);
    const rest = peer.onRequest;
    peer.onRequest = (req, socket) => (req.method === "REFER" ? peer.reply(socket, req, 202) : rest?.(req, socket));
    // The transfer holds the call first (re-INVITE), as every blind transfer does.
    onInvite(peer, (req, socket) => peer.reply(socket, req, 200, [PEER_CONTACT], PEER_SDP.replace("a=sendrecv", "a=recvonly")));
    void phone.park(callId).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(200);
    const [refer] = peer.requests("REFER");
    expect(refer?.callId).toBe(dialog.callId);
    expect(refer?.getHeader("refer-to")).toBe("sip:700@pbx.test");
  });

  it("retrieves a parked call by Replaces (no early-only) where the watched slot named it; else dials the slot", async () => {
    const server = presenceServer(peer);
    await phone.watch("700");
    await vi.advanceTimersByTimeAsync(50);
    const parkedAt = `<dialog id="p1" call-id="park@host" local-tag="orbit1" remote-tag="carol1" direction="recipient">
      <state>confirmed</state><remote><identity>sip:1003@pbx.test</identity></remote></dialog>`;
    server.notify("700", info(1, parkedAt));
    await vi.advanceTimersByTimeAsync(50);
    await phone.retrieve("700");
    await phone.retrieve("701");
    await vi.advanceTimersByTimeAsync(50);
    const [byReplaces, dialled] = peer.requests("INVITE");
    expect(byReplaces?.ruri?.toString()).toBe("sip:1003@pbx.test");
    expect(byReplaces?.getHeader("replaces")).toBe("park@host;to-tag=carol1;from-tag=orbit1");
    expect(dialled?.ruri?.user).toBe("701");
    expect(dialled?.hasHeader("replaces")).toBe(false);
  });

  it("refuses a pickup when nothing rings there and the line has no code", async () => {
    await stop(phone);
    ({ phone, peer } = await setup());
    await expect(phone.pickup("1001")).rejects.toMatchObject({ code: "no-pickup" });
    await expect(phone.pickup()).rejects.toMatchObject({ code: "no-pickup" });
    const { callId } = await establishedIncoming(peer, phone);
    await expect(phone.park(callId)).rejects.toMatchObject({ code: "no-park" });
  });
});
