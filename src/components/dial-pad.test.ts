// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import "./dial-pad.js";
import type { SipDialpad } from "./dial-pad.js";
import { FakePhone, mount, text } from "./test-support/fake-phone.js";

afterEach(() => document.body.replaceChildren());

function input(el: SipDialpad) {
  return el.shadowRoot!.querySelector("input")!;
}

describe("<sip-dialpad>", () => {
  it("goes off-hook on the first digit and on-hook when the number is cleared", async () => {
    const phone = new FakePhone();
    const el = await mount<SipDialpad>("sip-dialpad", phone);
    const keypad = el.shadowRoot!.querySelector("sip-keypad")!;
    await keypad.updateComplete;
    (keypad.shadowRoot!.querySelector('[data-key="1"]') as HTMLButtonElement).click();
    (keypad.shadowRoot!.querySelector('[data-key="0"]') as HTMLButtonElement).click();
    await el.updateComplete;
    expect(input(el).value).toBe("10");
    expect(phone.actions).toEqual(["offHook"]);
    (el.shadowRoot!.querySelector('[aria-label="Delete last digit"]') as HTMLButtonElement).click();
    (el.shadowRoot!.querySelector('[aria-label="Delete last digit"]') as HTMLButtonElement).click();
    await el.updateComplete;
    expect(phone.actions).toEqual(["offHook", "onHook"]);
  });

  it("dials what was typed on submit and clears the field", async () => {
    const phone = new FakePhone();
    const el = await mount<SipDialpad>("sip-dialpad", phone);
    el.setNumber("1002");
    await el.updateComplete;
    el.shadowRoot!.querySelector("form")!.requestSubmit();
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
    expect(phone.actions).toContain("dial 1002");
    expect(input(el).value).toBe("");
  });

  it("shows the phone's error and keeps the number", async () => {
    const phone = new FakePhone();
    phone.dialError = new Error('"12<>" is not a phone number or SIP address');
    const el = await mount<SipDialpad>("sip-dialpad", phone);
    el.setNumber("12<>");
    el.shadowRoot!.querySelector("form")!.requestSubmit();
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
    expect(text(el)).toContain('"12<>" is not a phone number or SIP address');
    expect(input(el).value).toBe("12<>");
  });

  it("every control has an accessible name", async () => {
    const el = await mount<SipDialpad>("sip-dialpad", new FakePhone());
    const keypad = el.shadowRoot!.querySelector("sip-keypad")!;
    await keypad.updateComplete;
    const buttons = [...el.shadowRoot!.querySelectorAll("button"), ...keypad.shadowRoot!.querySelectorAll("button")];
    for (const b of buttons) expect(b.getAttribute("aria-label") || b.textContent!.trim()).not.toBe("");
    expect(input(el).getAttribute("aria-label")).toBe("Number to call");
  });
});
