// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import "./line-status.js";
import type { SipLineStatus } from "./line-status.js";
import { LineState } from "../sip/api/line-state.js";
import { button } from "./test-support/dom.js";
import { FakePhone, mount, text } from "./test-support/fake-phone.js";

afterEach(() => document.body.replaceChildren());

describe("<sip-line-status>", () => {
  it("follows the line's state and shows why it failed", async () => {
    const phone = new FakePhone();
    const el = await mount<SipLineStatus>("sip-line-status", phone);
    expect(text(el)).toBe("Alice Registered");
    phone.setLine({
      state: LineState.Failed,
      error: { kind: "auth", code: 403, message: "Authentication failed (403): check user and password" },
    });
    await el.updateComplete;
    expect(text(el)).toBe("Alice Not registered Authentication failed (403): check user and password");
    expect(el.shadowRoot!.querySelector('[role="alert"]')).not.toBeNull();
  });

  it("shows the line's voicemail counts and dials its voicemail number", async () => {
    const phone = new FakePhone();
    const el = await mount<SipLineStatus>("sip-line-status", phone);
    phone.setLine({ voicemail: { waiting: true, new: 2, old: 8 }, voicemailNumber: "*97" });
    await el.updateComplete;
    expect(text(el)).toBe("Alice Registered 2 new voicemails, 8 old Call voicemail");
    button(el, "Call voicemail of Alice").click();
    expect(phone.actions).toEqual(["dial *97"]);
    expect(phone.dialOptions).toEqual([{ lineId: "l1" }]);
    phone.setLine({ voicemail: { waiting: false, new: 0, old: 0 } });
    await el.updateComplete;
    expect(text(el)).toBe("Alice Registered Call voicemail");
  });

  it("shows every forwarding mode at a glance, as it shows DND", async () => {
    const phone = new FakePhone();
    const el = await mount<SipLineStatus>("sip-line-status", phone);
    phone.setLine({ dnd: true, forwardTo: "1003" });
    await el.updateComplete;
    expect(text(el)).toBe("Alice Registered · Do not disturb · Forwarded to 1003");
    phone.setLine({
      dnd: false,
      forwardTo: undefined,
      forward: { busy: { to: "1004" }, "no-answer": { to: "1005", after: 20 }, external: { to: "1006" } },
    });
    await el.updateComplete;
    expect(text(el)).toBe("Alice Registered · Forwarded external callers to 1006, when busy to 1004, after 20 s to 1005");
    phone.setLine({ forward: undefined });
    await el.updateComplete;
    expect(text(el)).toBe("Alice Registered");
  });

  it("unsubscribes when removed", async () => {
    const phone = new FakePhone();
    const el = await mount<SipLineStatus>("sip-line-status", phone);
    expect(phone.listenerCount()).toBe(2);
    el.remove();
    expect(phone.listenerCount()).toBe(0);
  });
});
