import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CallSnapshot } from "./call-state.js";
import { legMedia } from "./click-to-call.js";
import { PEER_SDP } from "../test-support/memory-peer.js";
import { onInvite, PEER_CONTACT, setup, stop } from "../test-support/phone-harness.js";

/**
 * Click-to-call legs on the in-memory peer: which media each leg asks the platform for (no
 * microphone either way), who is called first, and what the REFER names. The media themselves
 * are proven in the browser (e2e/click-to-call.test.mjs).
 */
describe("click-to-call legs", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("the desk leg offers plain signalling-only SDP; the reverse leg a listen-only WebRTC offer", () => {
    expect(legMedia("desk")).toBe("signalling-only");
    expect(legMedia("reverse")).toBe("listen-only");
  });

  it("reverse: the target is called first with listen-only media, then REFERred to the desk phone", async () => {
    const { peer, phone, platform } = await setup({ deskPhone: "sip:2001@pbx.test" });
    onInvite(peer, (req, socket) => peer.reply(socket, req, 200, [PEER_CONTACT], PEER_SDP));
    const rest = peer.onRequest;
    peer.onRequest = (req, socket) => (req.method === "REFER" ? peer.reply(socket, req, 202) : rest?.(req, socket));
    const id = await phone.dial("1002", { mode: "reverse" });
    await vi.advanceTimersByTimeAsync(200);
    expect(platform.mediaPrepared).toEqual([{ clickToCall: "listen-only" }]);
    const invite = peer.requests("INVITE")[0]!;
    expect(invite.ruri?.user).toBe("1002");
    // A person answers: no auto-answer header towards the target.
    expect(invite.getHeader("call-info")).toBeUndefined();
    expect(invite.getHeader("alert-info")).toBeUndefined();
    const refer = peer.requests("REFER")[0];
    expect(refer?.getHeader("refer-to")).toMatch(/^<?sip:2001@pbx\.test>?$/);
    expect(phone.calls.find((c) => c.id === id)?.clickToCall).toEqual({ mode: "reverse", target: "1002", deskPhone: "2001" });
    await stop(phone);
  });

  it("desk: the desk phone is called first with signalling-only media and the auto-answer header", async () => {
    const { peer, phone, platform } = await setup({ deskPhone: "sip:2001@pbx.test" });
    onInvite(peer, () => undefined);
    await phone.dial("1002", { mode: "desk" });
    await vi.advanceTimersByTimeAsync(200);
    expect(platform.mediaPrepared).toEqual([{ clickToCall: "signalling-only" }]);
    const invite = peer.requests("INVITE")[0]!;
    expect(invite.ruri?.user).toBe("2001");
    expect(invite.getHeader("call-info")).toBe("<sip:pbx.test>;answer-after=0");
    await stop(phone);
  });

  it("reverse: a target that cannot take the offer (488) ends the leg with the failure as data", async () => {
    const { peer, phone } = await setup({ deskPhone: "sip:2001@pbx.test" });
    onInvite(peer, (req, socket) => peer.reply(socket, req, 488));
    const ended: CallSnapshot[] = [];
    phone.on("call-state", (c) => c.state === "ended" && ended.push(c));
    await phone.dial("1002", { mode: "reverse" });
    await vi.advanceTimersByTimeAsync(200);
    expect(ended[0]?.failure).toEqual({ kind: "click-to-call", mode: "reverse", stage: "invite", target: "1002", sipCode: 488 });
    expect(peer.count("REFER")).toBe(0);
    await stop(phone);
  });
});
