import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { establishedIncoming, setup, stop } from "../test-support/phone-harness.js";
import type { PeerDialog } from "../test-support/memory-peer.js";
import { isInternalCaller } from "./forwarding.js";
import type { AccountConfig } from "../../config/phone-config.js";

/**
 * Forwarding like a desk phone, on the in-memory SIP peer: what the caller's side received
 * (the wire) for each mode, and what the line snapshot shows.
 */
function finals(dialog: PeerDialog): number[] {
  return dialog
    .responses("INVITE")
    .map((r) => r.statusCode ?? 0)
    .filter((c) => c >= 200);
}

function contactOf302(dialog: PeerDialog): string | undefined {
  return dialog
    .responses("INVITE")
    .find((r) => r.statusCode === 302)
    ?.getHeader("contact");
}

describe("forwarding modes on the in-memory SIP peer", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("the old two-argument call is unconditional; no target and no mode turns every mode off", async () => {
    const { peer, phone, incoming } = await setup();
    phone.setForward("l1", "1003");
    phone.setForward("l1", "1004", { mode: "busy" });
    expect(phone.lines[0]?.forwardTo).toBe("1003");
    expect(phone.lines[0]?.forward).toEqual({ always: { to: "1003" }, busy: { to: "1004" } });
    const first = peer.invite("1001");
    await vi.advanceTimersByTimeAsync(50);
    expect(contactOf302(first)).toBe("<sip:1003@pbx.test>");
    phone.setForward("l1", undefined, { mode: "always" });
    expect(phone.lines[0]?.forward).toEqual({ busy: { to: "1004" } });
    expect(phone.lines[0]?.forwardTo).toBeUndefined();
    phone.setForward("l1", undefined);
    expect(phone.lines[0]?.forward).toBeUndefined();
    const second = peer.invite("1001");
    await vi.advanceTimersByTimeAsync(50);
    expect(finals(second)).toEqual([]);
    expect(incoming).toHaveLength(1);
    await stop(phone);
  });

  it("on busy: a call while another is up gets 302 instead of call waiting; with none up it rings", async () => {
    const { peer, phone, incoming } = await setup();
    phone.setForward("l1", "1004", { mode: "busy" });
    const idle = peer.invite("1001", { from: "2001" });
    await vi.advanceTimersByTimeAsync(50);
    expect(finals(idle)).toEqual([]);
    expect(incoming.map((c) => c.remote)).toEqual(["2001"]);
    // A second caller while the first one merely rings: not busy, both ring.
    const alsoRinging = peer.invite("1001", { from: "2002" });
    await vi.advanceTimersByTimeAsync(50);
    expect(finals(alsoRinging)).toEqual([]);
    await phone.hangup(phone.calls[0]!.id);
    await phone.hangup(phone.calls[0]!.id);
    await vi.advanceTimersByTimeAsync(50);
    await establishedIncoming(peer, phone);
    const waiting = peer.invite("1001", { from: "2003" });
    await vi.advanceTimersByTimeAsync(50);
    expect(contactOf302(waiting)).toBe("<sip:1004@pbx.test>");
    expect(incoming.map((c) => c.remote)).not.toContain("2003");
    await stop(phone);
  });

  it("on no answer: rings for N s, then 302 to the target; the call ends here as missed", async () => {
    const { peer, phone, incoming } = await setup();
    phone.setForward("l1", "1005", { mode: "no-answer", after: 5 });
    expect(phone.lines[0]?.forward).toEqual({ "no-answer": { to: "1005", after: 5 } });
    const ended: string[] = [];
    phone.on("call-state", (c) => {
      if (c.state === "ended") ended.push(c.reason ?? "");
    });
    const dialog = peer.invite("1001");
    await vi.advanceTimersByTimeAsync(4900);
    expect(incoming).toHaveLength(1);
    expect(phone.calls[0]?.state).toBe("incoming");
    expect(finals(dialog)).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(finals(dialog)).toEqual([302]);
    expect(contactOf302(dialog)).toBe("<sip:1005@pbx.test>");
    expect(phone.calls).toEqual([]);
    expect(ended).toEqual(["missed"]);
    await stop(phone);
  });

  it("on no answer: an answered call is not forwarded; the ring timeout wins when it is sooner", async () => {
    const { peer, phone } = await setup({ ringTimeout: 10 });
    phone.setForward("l1", "1005", { mode: "no-answer", after: 3 });
    const { dialog } = await establishedIncoming(peer, phone);
    await vi.advanceTimersByTimeAsync(5000);
    expect(finals(dialog)).toEqual([200]);
    expect(phone.calls[0]?.state).toBe("established");
    await phone.hangup(phone.calls[0]!.id);
    await vi.advanceTimersByTimeAsync(50);
    phone.setForward("l1", "1005", { mode: "no-answer", after: 30 });
    const late = peer.invite("1001");
    await vi.advanceTimersByTimeAsync(10_100);
    expect(finals(late)).toEqual([480]);
    await stop(phone);
  });

  it("busy and no answer at once: an idle call rings then goes on, a call during a conversation goes at once", async () => {
    const { peer, phone } = await setup();
    phone.setForward("l1", "1004", { mode: "busy" });
    phone.setForward("l1", "1005", { mode: "no-answer", after: 2 });
    const ringing = peer.invite("1001", { from: "2001" });
    await vi.advanceTimersByTimeAsync(2100);
    expect(contactOf302(ringing)).toBe("<sip:1005@pbx.test>");
    await establishedIncoming(peer, phone);
    const busy = peer.invite("1001", { from: "2002" });
    await vi.advanceTimersByTimeAsync(50);
    expect(contactOf302(busy)).toBe("<sip:1004@pbx.test>");
    await stop(phone);
  });

  it("external callers only: a long number is forwarded, an extension rings", async () => {
    const { peer, phone, incoming } = await setup({ internalCallers: { extensionLength: 4 } });
    phone.setForward("l1", "1006", { mode: "external" });
    const outside = peer.invite("1001", { from: "004315056410" });
    await vi.advanceTimersByTimeAsync(50);
    expect(contactOf302(outside)).toBe("<sip:1006@pbx.test>");
    const inside = peer.invite("1001", { from: "3999" });
    await vi.advanceTimersByTimeAsync(50);
    expect(finals(inside)).toEqual([]);
    expect(incoming.map((c) => c.remote)).toEqual(["3999"]);
    await stop(phone);
  });

  it("internal callers only, by pattern: a matching number is forwarded, another rings", async () => {
    const { peer, phone, incoming } = await setup({ internalCallers: { pattern: "1[0-9]{3}|\\*[0-9]+" } });
    phone.setForward("l1", "1007", { mode: "internal" });
    expect(phone.lines[0]?.forward).toEqual({ internal: { to: "1007" } });
    const inside = peer.invite("1001", { from: "1042" });
    await vi.advanceTimersByTimeAsync(50);
    expect(contactOf302(inside)).toBe("<sip:1007@pbx.test>");
    // The pattern matches the whole number, not a part of it.
    const outside = peer.invite("1001", { from: "21042" });
    await vi.advanceTimersByTimeAsync(50);
    expect(finals(outside)).toEqual([]);
    expect(incoming.map((c) => c.remote)).toEqual(["21042"]);
    await stop(phone);
  });

  it("internal/external needs the line to say who is internal; bad delays and modes are refused", async () => {
    const { phone } = await setup();
    expect(() => phone.setForward("l1", "1006", { mode: "external" })).toThrow(/internalCallers/);
    expect(() => phone.setForward("l1", "1005", { mode: "no-answer", after: 0 })).toThrow(/seconds/);
    expect(() => phone.setForward("l1", "1005", { mode: "no-answer", after: 2.5 })).toThrow(/seconds/);
    expect(() => phone.setForward("l1", "1005", { mode: "sometimes" as never })).toThrow(/mode/);
    expect(phone.lines[0]?.forward).toBeUndefined();
    await stop(phone);
  });

  it("a location's extensionLength defines internal callers when internalCallers is absent", () => {
    const account: AccountConfig = {
      id: "l1",
      sipUri: "sip:1001@pbx.test",
      password: "",
      servers: [],
      location: { countryCode: "43", extensionLength: 3 },
    };
    expect(isInternalCaller(account, "123")).toBe(true);
    expect(isInternalCaller(account, "1234")).toBe(false);
    expect(isInternalCaller(account, "alice")).toBe(false);
    expect(isInternalCaller(account, "")).toBe(false);
    expect(isInternalCaller({ ...account, location: undefined }, "123")).toBeUndefined();
  });
});
