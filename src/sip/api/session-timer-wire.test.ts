import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CallSnapshot } from "./call-state.js";
import { PEER_SDP } from "../test-support/memory-peer.js";
import { onInvite, PEER_CONTACT, setup, stop } from "../test-support/phone-harness.js";

/** Session timers on the wire (RFC 4028): our INVITE asks, the 2xx decides, refreshes keep the call. */
describe("session timers on the wire", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("our INVITE offers timers; as refresher we re-INVITE every half interval, with Session-Expires", async () => {
    const { peer, phone } = await setup();
    onInvite(peer, (req, socket) =>
      req.toTag
        ? peer.reply(socket, req, 200, [PEER_CONTACT, "Session-Expires: 120;refresher=uac"], PEER_SDP)
        : peer.reply(socket, req, 200, [PEER_CONTACT, "Session-Expires: 120;refresher=uac", "Require: timer"], PEER_SDP),
    );
    await phone.dial("1002");
    await vi.advanceTimersByTimeAsync(100);
    const invite = peer.requests("INVITE")[0]!;
    expect(invite.getHeader("session-expires")).toBe("1800");
    expect(invite.getHeader("min-se")).toBe("90");
    expect(invite.getHeader("supported")).toMatch(/\btimer\b/);
    expect(phone.calls[0]?.state).toBe("established");
    await vi.advanceTimersByTimeAsync(59_000);
    expect(peer.requests("INVITE").filter((r) => r.toTag)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2_000);
    const refreshes = peer.requests("INVITE").filter((r) => r.toTag);
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]!.getHeader("session-expires")).toBe("120;refresher=uac");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(peer.requests("INVITE").filter((r) => r.toTag)).toHaveLength(2);
    expect(phone.calls[0]?.state).toBe("established");
    await stop(phone);
  });

  it("as refresher, a refresh that gets no answer ends the call with the reason", async () => {
    const { peer, phone } = await setup();
    onInvite(peer, (req, socket) =>
      req.toTag ? undefined : peer.reply(socket, req, 200, [PEER_CONTACT, "Session-Expires: 90;refresher=uac"], PEER_SDP),
    );
    const ended: CallSnapshot[] = [];
    phone.on("call-state", (c) => c.state === "ended" && ended.push(c));
    await phone.dial("1002");
    await vi.advanceTimersByTimeAsync(100);
    expect(phone.calls[0]?.state).toBe("established");
    await vi.advanceTimersByTimeAsync(45_000 + 2 * 40_000);
    expect(ended[0]).toMatchObject({ reason: "failed", failure: { kind: "session-expired" } });
    expect(peer.count("BYE")).toBe(1);
    await stop(phone);
  });

  it("when the callee refreshes and goes silent, we send BYE at the interval less 32 s", async () => {
    const { peer, phone } = await setup();
    onInvite(peer, (req, socket) =>
      peer.reply(socket, req, 200, [PEER_CONTACT, "Session-Expires: 120;refresher=uas", "Require: timer"], PEER_SDP),
    );
    const ended: CallSnapshot[] = [];
    phone.on("call-state", (c) => c.state === "ended" && ended.push(c));
    await phone.dial("1002");
    await vi.advanceTimersByTimeAsync(100);
    await vi.advanceTimersByTimeAsync(87_000);
    expect(peer.count("BYE")).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(peer.count("BYE")).toBe(1);
    expect(ended[0]).toMatchObject({ failure: { kind: "session-expired" } });
    await stop(phone);
  });

  it("a callee without timers: we refresh at half of what we asked for", async () => {
    const { peer, phone } = await setup();
    onInvite(peer, (req, socket) => peer.reply(socket, req, 200, [PEER_CONTACT], PEER_SDP));
    await phone.dial("1002");
    await vi.advanceTimersByTimeAsync(100);
    await vi.advanceTimersByTimeAsync(899_000);
    expect(peer.requests("INVITE").filter((r) => r.toTag)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(peer.requests("INVITE").filter((r) => r.toTag)).toHaveLength(1);
    expect(phone.calls[0]?.state).toBe("established");
    await stop(phone);
  });

  it("an incoming call asking for timers is answered with Session-Expires; a caller that stops refreshing is hung up", async () => {
    const { peer, phone } = await setup();
    const ended: CallSnapshot[] = [];
    phone.on("call-state", (c) => c.state === "ended" && ended.push(c));
    const dialog = peer.invite("1001", { headers: ["Session-Expires: 120", "Supported: timer, replaces"] });
    await vi.advanceTimersByTimeAsync(50);
    await phone.answer(phone.calls[0]!.id);
    await vi.advanceTimersByTimeAsync(50);
    dialog.confirm();
    const ok = dialog.responses("INVITE").find((r) => r.statusCode === 200)!;
    expect(ok.getHeader("session-expires")).toBe("120;refresher=uac");
    expect(ok.getHeader("require")).toMatch(/\btimer\b/);
    // The caller refreshes once (re-INVITE with Session-Expires): the interval starts again.
    await vi.advanceTimersByTimeAsync(60_000);
    dialog.request("INVITE", ["Session-Expires: 120;refresher=uac"], PEER_SDP);
    await vi.advanceTimersByTimeAsync(87_000);
    expect(ended).toEqual([]);
    // Then silence: BYE 88 s after the last refresh (120 - 32).
    await vi.advanceTimersByTimeAsync(2_000);
    expect(ended[0]).toMatchObject({ failure: { kind: "session-expired" } });
    expect(peer.count("BYE")).toBe(1);
    await stop(phone);
  });

  it("an incoming INVITE asking for less than our Min-SE gets 422 with Min-SE", async () => {
    const { peer, phone } = await setup();
    const dialog = peer.invite("1001", { headers: ["Session-Expires: 30", "Supported: timer"] });
    await vi.advanceTimersByTimeAsync(100);
    const final = dialog.responses("INVITE").at(-1)!;
    expect(final.statusCode).toBe(422);
    expect(final.getHeader("min-se")).toBe("90");
    expect(phone.calls).toEqual([]);
    await stop(phone);
  });
});
