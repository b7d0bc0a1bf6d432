import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PEER_SDP } from "../test-support/memory-peer.js";
import { establishedIncoming, onInvite, PEER_CONTACT, setup, stop } from "../test-support/phone-harness.js";
import type { CallSnapshot } from "./call-state.js";
import { MAX_RINGING } from "./incoming-policy.js";
import { MAX_REDIRECTS } from "./phone.js";

/**
 * The Phone's policies, driven through the in-memory SIP peer: real SIP.js on our side, SIP.js's
 * parser on the peer's, the production WebSocket flow between them, fake media. Assertions read
 * what the peer received (the wire), not only what the phone says.
 */
describe("Phone on the in-memory SIP peer", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it(`follows 3xx at most ${MAX_REDIRECTS} times in a row, then gives up (no INVITE loop)`, async () => {
    const { peer, phone } = await setup();
    onInvite(peer, (req, socket) => peer.reply(socket, req, 302, ["Contact: <sip:1003@pbx.test>"]));
    await phone.dial("1002");
    await vi.advanceTimersByTimeAsync(10_000);
    // The first INVITE and three redirects followed; then nothing more, however long we wait.
    expect(peer.count("INVITE")).toBe(1 + MAX_REDIRECTS);
    expect(peer.requests("INVITE").map((r) => r.ruri?.user)).toEqual(["1002", "1003", "1003", "1003"]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(peer.count("INVITE")).toBe(1 + MAX_REDIRECTS);
    expect(phone.calls).toEqual([]);
    await stop(phone);
  });

  it("a fresh dial after a redirect chain starts counting again", async () => {
    const { peer, phone } = await setup();
    let redirects = 1;
    onInvite(peer, (req, socket) => {
      if (redirects-- > 0) peer.reply(socket, req, 302, ["Contact: <sip:1003@pbx.test>"]);
      else peer.reply(socket, req, 486);
    });
    await phone.dial("1002");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(peer.requests("INVITE").map((r) => r.ruri?.user)).toEqual(["1002", "1003"]);
    await stop(phone);
  });

  it("do-not-disturb refuses with the chosen code, per line or for all; off again, calls ring", async () => {
    const { peer, phone, incoming } = await setup();
    phone.setDnd(true, undefined, 603);
    expect(phone.lines[0]?.dnd).toBe(true);
    const first = peer.invite("1001");
    await vi.advanceTimersByTimeAsync(50);
    expect(first.responses("INVITE").map((r) => r.statusCode)).toContain(603);
    phone.setDnd(false);
    phone.setDnd(true, "l1", 486);
    const second = peer.invite("1001");
    await vi.advanceTimersByTimeAsync(50);
    expect(second.responses("INVITE").map((r) => r.statusCode)).toContain(486);
    expect(incoming).toEqual([]);
    phone.setDnd(false, "l1");
    const third = peer.invite("1001");
    await vi.advanceTimersByTimeAsync(50);
    expect(third.responses("INVITE").every((r) => (r.statusCode ?? 0) < 300)).toBe(true);
    expect(incoming.map((c) => c.remote)).toEqual(["1002"]);
    await stop(phone);
  });

  it("forwarding answers 302 with the target on the line's domain, shown at a glance", async () => {
    const { peer, phone, incoming } = await setup();
    phone.setForward("l1", "1003");
    expect(phone.lines[0]?.forwardTo).toBe("1003");
    const dialog = peer.invite("1001");
    await vi.advanceTimersByTimeAsync(50);
    const redirect = dialog.responses("INVITE").find((r) => r.statusCode === 302);
    expect(redirect?.getHeader("contact")).toBe("<sip:1003@pbx.test>");
    expect(incoming).toEqual([]);
    expect(() => phone.setForward("nope", "1003")).toThrow(/No line/);
    await stop(phone);
  });

  it(`an INVITE flood rings ${MAX_RINGING} calls and refuses the rest with 486`, async () => {
    const { peer, phone, incoming } = await setup();
    const dialogs = Array.from({ length: MAX_RINGING + 3 }, (_, i) => peer.invite("1001", { from: `20${i}` }));
    await vi.advanceTimersByTimeAsync(200);
    expect(incoming).toHaveLength(MAX_RINGING);
    const refused = dialogs.filter((d) => d.responses("INVITE").some((r) => r.statusCode === 486));
    expect(refused).toHaveLength(3);
    await stop(phone);
  });

  it("an offer that is not SDP with audio is refused with 488, before ringing", async () => {
    const { peer, incoming } = await setup();
    const dialog = peer.invite("1001", { body: "v=0\r\no=x 1 1 IN IP4 192.0.2.9\r\ns=-\r\nt=0 0\r\nm=video 4000 RTP/AVP 96\r\n" });
    await vi.advanceTimersByTimeAsync(50);
    expect(dialog.responses("INVITE").map((r) => r.statusCode)).toContain(488);
    expect(incoming).toEqual([]);
  });

  for (const policy of ["never", "always", "ask"] as const) {
    it(`an incoming REFER under referPolicy "${policy}"`, async () => {
      const { peer, phone } = await setup({ referPolicy: policy });
      const { dialog, callId } = await establishedIncoming(peer, phone);
      dialog.request("REFER", ["Refer-To: <sip:1003@pbx.test>", "Referred-By: <sip:1002@pbx.test>"]);
      await vi.advanceTimersByTimeAsync(50);
      const referAnswer = dialog.responses("REFER").at(-1)?.statusCode;
      const notifies = () => peer.requests("NOTIFY").map((n) => n.body.trim());
      const invitesTo1003 = () => peer.requests("INVITE").filter((r) => r.ruri?.user === "1003").length;
      if (policy === "never") {
        expect(referAnswer).toBe(603);
        expect(invitesTo1003()).toBe(0);
      } else if (policy === "always") {
        expect(referAnswer).toBe(202);
        expect(notifies()[0]).toBe("SIP/2.0 100 Trying");
        expect(invitesTo1003()).toBe(1);
      } else {
        expect(referAnswer).toBe(202);
        expect(phone.calls.find((c) => c.id === callId)?.referral).toEqual({ target: "1003", uri: "sip:1003@pbx.test" });
        expect(invitesTo1003()).toBe(0);
        phone.declineReferral(callId);
        await vi.advanceTimersByTimeAsync(50);
        expect(notifies()).toEqual(["SIP/2.0 100 Trying", "SIP/2.0 603 Declined"]);
        expect(invitesTo1003()).toBe(0);
        expect(phone.calls.find((c) => c.id === callId)?.referral).toBeUndefined();
      }
      await stop(phone);
    });
  }

  it("a hold re-INVITE refused with 491 is retried after the RFC 3261 14.1 delay, then holds", async () => {
    const { peer, phone } = await setup();
    const reinvites: number[] = [];
    onInvite(peer, (req, socket) => {
      if (!req.toTag) return peer.reply(socket, req, 200, [PEER_CONTACT], PEER_SDP);
      reinvites.push(Date.now());
      if (reinvites.length === 1) peer.reply(socket, req, 491);
      else peer.reply(socket, req, 200, [PEER_CONTACT], PEER_SDP.replace("a=sendrecv", "a=recvonly"));
    });
    const id = await phone.dial("1002");
    await vi.advanceTimersByTimeAsync(100);
    expect(phone.calls[0]?.state).toBe("established");
    const holding = phone.hold(id, true);
    await vi.advanceTimersByTimeAsync(50);
    expect(phone.calls[0]?.hold).toBe("holding");
    await vi.advanceTimersByTimeAsync(5_000);
    await holding;
    expect(reinvites).toHaveLength(2);
    // We placed the call, so we own its Call-ID: 2.1 to 4 s between the attempts.
    const gap = reinvites[1]! - reinvites[0]!;
    expect(gap).toBeGreaterThanOrEqual(2100);
    expect(gap).toBeLessThanOrEqual(4100);
    const offers = peer.requests("INVITE").filter((r) => r.toTag);
    expect(offers.every((r) => /^a=sendonly/m.test(r.body))).toBe(true);
    expect(phone.calls[0]).toMatchObject({ held: true, hold: "held" });
    await stop(phone);
  });

  it("a refused hold leaves the call active and says so", async () => {
    const { peer, phone } = await setup();
    onInvite(peer, (req, socket) => (req.toTag ? peer.reply(socket, req, 488) : peer.reply(socket, req, 200, [PEER_CONTACT], PEER_SDP)));
    const id = await phone.dial("1002");
    await vi.advanceTimersByTimeAsync(100);
    const holding = phone.hold(id, true).then(
      () => "held",
      (e: Error) => e.message,
    );
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await holding).toBe("The other side did not accept the hold");
    expect(phone.calls[0]).toMatchObject({ held: false, hold: "active", state: "established" });
    await stop(phone);
  });

  it("a refused call ends with its SIP code and the failure as data", async () => {
    const { peer, phone } = await setup();
    onInvite(peer, (req, socket) => peer.reply(socket, req, 486));
    const ended: CallSnapshot[] = [];
    phone.on("call-state", (c) => c.state === "ended" && ended.push(c));
    await phone.dial("1002");
    await vi.advanceTimersByTimeAsync(100);
    expect(ended[0]).toMatchObject({ reason: "rejected", sipCode: 486, failure: { kind: "rejected", sipCode: 486 } });
    expect(ended[0]?.message).toBeUndefined();
  });
});
