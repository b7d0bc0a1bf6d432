// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import "./call-panel.js";
import type { SipCallPanel } from "./call-panel.js";
import { CallState } from "../sip/api/call-state.js";
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

  it("transfer offers blind and consultation; a consultation call completes or cancels", async () => {
    const phone = new FakePhone();
    phone.setCall({ state: CallState.Established, answeredAt: Date.now(), direction: "out" });
    const el = await mount<SipCallPanel>("sip-call-panel", phone, (e) => (e.call = phone.calls[0]));
    button(el, "Transfer").click();
    await el.updateComplete;
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[aria-label="Transfer to"]')!;
    input.value = "1003";
    input.dispatchEvent(new Event("input"));
    await el.updateComplete;
    button(el, "Talk first").click();
    await new Promise((r) => setTimeout(r, 0));
    expect(phone.actions).toEqual(["consult c1 1003"]);

    phone.setCall({ held: true });
    phone.setCall2({ consultFor: "c1", answeredAt: Date.now() });
    const consult = await mount<SipCallPanel>("sip-call-panel", phone, (e) => (e.call = phone.calls[1]!));
    expect(text(consult)).toContain("Consulting for the call with 1002");
    button(consult, "Complete transfer").click();
    button(consult, "Cancel transfer").click();
    await new Promise((r) => setTimeout(r, 0));
    expect(phone.actions.slice(1)).toEqual(["complete c2", "cancel-consult c2"]);
  });

  it("with two connected calls: conference; in a conference: split and leave", async () => {
    const phone = new FakePhone();
    phone.setCall({ state: CallState.Established, answeredAt: Date.now(), held: true });
    phone.setCall2({ answeredAt: Date.now() });
    const el = await mount<SipCallPanel>("sip-call-panel", phone, (e) => (e.call = phone.calls[1]!));
    button(el, "Conference").click();
    await new Promise((r) => setTimeout(r, 0));
    expect(phone.actions).toEqual(["conference c2,c1"]);
    phone.setCall({ conference: true, held: false });
    phone.setCall2({ conference: true });
    el.call = phone.calls[1]!;
    await el.updateComplete;
    expect(text(el)).toContain("In conference");
    button(el, "Split conference").click();
    button(el, "Leave them talking").click();
    await new Promise((r) => setTimeout(r, 0));
    expect(phone.actions.slice(1)).toEqual(["split", "leave"]);
  });

  it("a transfer asked by the other side (policy ask) can be accepted or refused", async () => {
    const phone = new FakePhone();
    phone.setCall({ state: CallState.Established, answeredAt: Date.now(), referral: { target: "Support", uri: "sip:1003@other.example" } });
    const el = await mount<SipCallPanel>("sip-call-panel", phone, (e) => (e.call = phone.calls[0]));
    // The full address beside the name: a display name can say anything.
    expect(text(el)).toMatch(/transfers you to Support \( ?sip:1003@other\.example ?\)/);
    button(el, "Accept transfer").click();
    button(el, "Refuse transfer").click();
    await new Promise((r) => setTimeout(r, 0));
    expect(phone.actions).toEqual(["referral c1 yes", "referral c1 no"]);
  });
});
