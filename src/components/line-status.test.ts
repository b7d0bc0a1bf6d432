// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import "./line-status.js";
import type { SipLineStatus } from "./line-status.js";
import { LineState } from "../sip/api/line-state.js";
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

  it("unsubscribes when removed", async () => {
    const phone = new FakePhone();
    const el = await mount<SipLineStatus>("sip-line-status", phone);
    expect(phone.listenerCount()).toBe(2);
    el.remove();
    expect(phone.listenerCount()).toBe(0);
  });
});
