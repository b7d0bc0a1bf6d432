import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CallSnapshot } from "./call-state.js";
import { establishedIncoming, onInvite, setup, stop } from "../test-support/phone-harness.js";

/**
 * Where a remote party may send us: REFER and 3xx targets, checked (core/header-guard.ts) and
 * followed by themselves only within the line's domain (follow-policy.ts). Asserted on the wire.
 */
describe("following REFER and 3xx (trust boundary)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("a Refer-To whose Replaces carries CR/LF is refused with 400, and nothing reaches the wire", async () => {
    const { peer, phone } = await setup();
    const { dialog } = await establishedIncoming(peer, phone);
    const invitesBefore = peer.count("INVITE");
    dialog.request("REFER", ["Refer-To: <sip:1003@pbx.test?Replaces=abc%3Bto-tag%3D1%3Bfrom-tag%3D2%0D%0AX-Evil%3A%201>"]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(dialog.responses("REFER").at(-1)?.statusCode).toBe(400);
    expect(peer.count("INVITE")).toBe(invitesBefore);
    expect(peer.received.every((m) => typeof m.data === "string" && m.data.length > 0)).toBe(true);
    expect(peer.received.some((m) => /X-Evil/i.test(m.data))).toBe(false);
    await stop(phone);
  });

  it("a well-formed Replaces is followed (attended transfer) with the header on the INVITE", async () => {
    const { peer, phone } = await setup();
    const { dialog } = await establishedIncoming(peer, phone);
    onInvite(peer, () => undefined);
    dialog.request("REFER", ["Refer-To: <sip:1003@pbx.test?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2>"]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(dialog.responses("REFER").at(-1)?.statusCode).toBe(202);
    const invite = peer.requests("INVITE").at(-1)!;
    expect(invite.ruri?.user).toBe("1003");
    expect(invite.getHeader("replaces")).toBe("abc@host;to-tag=1;from-tag=2");
    await stop(phone);
  });

  it("a REFER to another domain waits for the user (full URI shown) even under policy always", async () => {
    const { peer, phone } = await setup({ referPolicy: "always" });
    const { dialog, callId } = await establishedIncoming(peer, phone);
    onInvite(peer, () => undefined);
    const invitesBefore = peer.count("INVITE");
    dialog.request("REFER", ['Refer-To: "Your bank" <sip:1900@premium.example>']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(dialog.responses("REFER").at(-1)?.statusCode).toBe(202);
    expect(peer.count("INVITE")).toBe(invitesBefore);
    expect(phone.calls.find((c) => c.id === callId)?.referral).toEqual({ target: "Your bank", uri: "sip:1900@premium.example" });
    phone.acceptReferral(callId);
    await vi.advanceTimersByTimeAsync(100);
    expect(peer.requests("INVITE").at(-1)?.ruri?.host).toBe("premium.example");
    await stop(phone);
  });

  it("a REFER to a maddr target is refused with 400", async () => {
    const { peer, phone } = await setup();
    const { dialog } = await establishedIncoming(peer, phone);
    const invitesBefore = peer.count("INVITE");
    dialog.request("REFER", ["Refer-To: <sip:1003@pbx.test;maddr=203.0.113.9>"]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(dialog.responses("REFER").at(-1)?.statusCode).toBe(400);
    expect(peer.count("INVITE")).toBe(invitesBefore);
    await stop(phone);
  });

  it("a 3xx to another domain is not followed; the ended call says where it pointed", async () => {
    const { peer, phone } = await setup();
    onInvite(peer, (req, socket) => peer.reply(socket, req, 302, ["Contact: <sip:1900@premium.example>"]));
    const ended: CallSnapshot[] = [];
    phone.on("call-state", (c) => c.state === "ended" && ended.push(c));
    await phone.dial("1002");
    await vi.advanceTimersByTimeAsync(5000);
    expect(peer.count("INVITE")).toBe(1);
    expect(ended[0]).toMatchObject({
      reason: "redirected",
      failure: { kind: "redirected", notFollowed: "domain", uri: "sip:1900@premium.example" },
    });
    await stop(phone);
  });

  it("a 3xx within the domain is followed, without the Contact's ?headers", async () => {
    const { peer, phone } = await setup();
    let n = 0;
    onInvite(peer, (req, socket) =>
      n++ === 0 ? peer.reply(socket, req, 302, ["Contact: <sip:1003@pbx.test?X-Evil=1%0D%0AX-Injected%3A%201>"]) : undefined,
    );
    await phone.dial("1002");
    await vi.advanceTimersByTimeAsync(1000);
    expect(peer.requests("INVITE").map((r) => r.ruri?.user)).toEqual(["1002", "1003"]);
    expect(peer.received.every((m) => typeof m.data === "string" && m.data.length > 0)).toBe(true);
    expect(peer.received.some((m) => /X-Injected|X-Evil/i.test(m.data))).toBe(false);
    await stop(phone);
  });
});
