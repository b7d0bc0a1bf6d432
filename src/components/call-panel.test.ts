// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import "./call-panel.js";
import type { SipCallPanel } from "./call-panel.js";
import { CallState } from "../sip/call-state.js";
import { FakePhone, mount, text } from "./test-support/fake-phone.js";

afterEach(() => document.body.replaceChildren());

function button(el: SipCallPanel, name: string) {
  return [...el.shadowRoot!.querySelectorAll("button")].find((b) => b.textContent!.trim() === name) as HTMLButtonElement;
}

describe("<sip-call-panel>", () => {
  it("an incoming call shows the caller as text and offers answer and decline", async () => {
    const phone = new FakePhone();
    phone.setCall({ remoteName: '<img src=x onerror="window.hacked=1">', remote: "1001" });
    const el = await mount<SipCallPanel>("sip-call-panel", phone, (e) => (e.call = phone.calls[0]));
    expect(text(el)).toContain('<img src=x onerror="window.hacked=1">');
    expect(el.shadowRoot!.querySelector("img")).toBeNull();
    button(el, "Answer").click();
    button(el, "Decline").click();
    await new Promise((r) => setTimeout(r, 0));
    expect(phone.actions).toEqual(["answer c1", "decline c1 603"]);
  });

  it("an established call offers mute, keypad (DTMF) and hang up", async () => {
    const phone = new FakePhone();
    phone.setCall({ state: CallState.Established, answeredAt: Date.now() - 65_000, direction: "out" });
    const el = await mount<SipCallPanel>("sip-call-panel", phone, (e) => (e.call = phone.calls[0]));
    expect(text(el)).toMatch(/Connected · 1:0[45]/);
    button(el, "Mute").click();
    button(el, "Keypad").click();
    await el.updateComplete;
    const keypad = el.shadowRoot!.querySelector("sip-keypad")!;
    await keypad.updateComplete;
    (keypad.shadowRoot!.querySelector('[data-key="#"]') as HTMLButtonElement).click();
    button(el, "Hang up").click();
    await new Promise((r) => setTimeout(r, 0));
    expect(phone.actions).toEqual(["mute c1 true", "dtmf c1 #", "hangup c1"]);
  });
});
