import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CallSnapshot } from "./call-state.js";
import { cancelReason } from "./cancel-reason.js";
import { setup, stop } from "../test-support/phone-harness.js";

describe("a CANCEL's Reason (RFC 3326): one number on several devices", () => {
  it.each([
    [['SIP;cause=200;text="Call completed elsewhere"'], "answered-elsewhere"],
    [['SIP ; cause = 200 ; text="Call completed elsewhere"'], "answered-elsewhere"],
    [['Q.850;cause=16;text="Normal call clearing", SIP;cause=200;text="Call completed elsewhere"'], "answered-elsewhere"],
    [["Q.850;cause=16", 'SIP;cause=603;text="Decline"'], "declined-elsewhere"],
    [["SIP;cause=600"], "declined-elsewhere"],
    [["Q.850;cause=200"], "missed"],
    [["SIP;cause=487"], "missed"],
    [[], "missed"],
  ] as const)("%j -> %s", (headers, reason) => {
    expect(cancelReason([...headers])).toBe(reason);
  });

  describe("on the wire", () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it("a ringing call CANCELled because another device answered ends as answered-elsewhere, not missed", async () => {
      const { peer, phone } = await setup();
      const ended: CallSnapshot[] = [];
      phone.on("call-state", (c) => c.state === "ended" && ended.push(c));
      const dialog = peer.invite("1001");
      await vi.advanceTimersByTimeAsync(50);
      expect(phone.calls[0]?.state).toBe("incoming");
      dialog.cancel(['Reason: SIP;cause=200;text="Call completed elsewhere"']);
      await vi.advanceTimersByTimeAsync(100);
      expect(ended.map((c) => c.reason)).toEqual(["answered-elsewhere"]);
      // The CANCEL got its 200 and the INVITE its 487, as RFC 3261 9.2 wants.
      expect(dialog.responses("CANCEL").map((r) => r.statusCode)).toEqual([200]);
      expect(dialog.responses("INVITE").at(-1)?.statusCode).toBe(487);
      await stop(phone);
    });

    it("a plain CANCEL is a missed call", async () => {
      const { peer, phone } = await setup();
      const ended: CallSnapshot[] = [];
      phone.on("call-state", (c) => c.state === "ended" && ended.push(c));
      const dialog = peer.invite("1001");
      await vi.advanceTimersByTimeAsync(50);
      dialog.cancel();
      await vi.advanceTimersByTimeAsync(100);
      expect(ended.map((c) => c.reason)).toEqual(["missed"]);
      await stop(phone);
    });
  });
});
