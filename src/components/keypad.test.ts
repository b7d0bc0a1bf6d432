// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import "./keypad.js";
import type { SipKeypad } from "./keypad.js";
import { button, buttonNames } from "./test-support/dom.js";

afterEach(() => document.body.replaceChildren());

async function mountKeypad(action?: "dial" | "tone"): Promise<SipKeypad> {
  const el = document.createElement("sip-keypad");
  if (action) el.action = action;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

describe("<sip-keypad>", () => {
  it("has the 12 phone keys in phone order, each named for what it does", async () => {
    const el = await mountKeypad();
    expect(buttonNames(el)).toEqual([
      "Dial 1",
      "Dial 2 ABC",
      "Dial 3 DEF",
      "Dial 4 GHI",
      "Dial 5 JKL",
      "Dial 6 MNO",
      "Dial 7 PQRS",
      "Dial 8 TUV",
      "Dial 9 WXYZ",
      "Dial star",
      "Dial 0",
      "Dial hash",
    ]);
    expect(button(el, "Dial 2 ABC").textContent!.replace(/\s+/g, "")).toBe("2ABC");
    expect(button(el, "Dial 0").textContent!.replace(/\s+/g, "")).toBe("0+");
    expect(el.shadowRoot!.querySelector('[role="group"]')!.getAttribute("aria-label")).toBe("Keypad");
  });

  it("names its keys after the action it is used for", async () => {
    const el = await mountKeypad("tone");
    expect(button(el, "Send tone hash")).toBeTruthy();
    el.action = "dial";
    await el.updateComplete;
    expect(buttonNames(el)[9]).toBe("Dial star");
  });

  it("a key press leaves the shadow root it is used in, with the key", async () => {
    // As inside <sip-dialpad> or <sip-call-panel>: the listener is outside their shadow root.
    const outer = document.createElement("div");
    const user = outer.appendChild(document.createElement("div"));
    const el = document.createElement("sip-keypad");
    user.attachShadow({ mode: "open" }).append(el);
    document.body.append(outer);
    await el.updateComplete;
    const keys: string[] = [];
    outer.addEventListener("key-press", (e) => keys.push(e.detail));
    for (const name of ["Dial 5 JKL", "Dial star", "Dial 0", "Dial hash"]) button(el, name).click();
    expect(keys).toEqual(["5", "*", "0", "#"]);
  });
});
