// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { CallState } from "../sip/api/call-state.js";
import { setAppFactory } from "./app-factory.js";
import "./sip-phone.js";
import { FakePhoneApp } from "./test-support/fake-app.js";

/** The app of the last element made. */
let app: FakePhoneApp;
setAppFactory(() => {
  app = new FakePhoneApp();
  app.saved = { version: 1, accounts: [{ id: "l1", sipUri: "sip:1001@pbx.test", password: "pw", servers: ["wss://pbx.test/ws"] }] };
  return app;
});

const tick = () => new Promise((r) => setTimeout(r, 0));

async function mount(scope?: string) {
  const el = document.createElement("sip-phone");
  if (scope) el.setAttribute("keyboard-shortcuts", scope);
  document.body.append(el);
  await el.ready;
  await el.updateComplete;
  return { el, phone: app.phone };
}

function press(target: EventTarget, key: string) {
  target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, composed: true, cancelable: true }));
}

afterEach(() => document.body.replaceChildren());

describe("<sip-phone>: keyboard shortcuts", () => {
  it("inside the element: a answers, m mutes, h holds, e hangs up; on the page outside nothing happens", async () => {
    const { el, phone } = await mount();
    phone.ring();
    await tick();
    press(document.body, "a");
    await tick();
    expect(phone.actions).toEqual([]);
    press(el, "a");
    phone.setCall({ state: CallState.Established, answeredAt: Date.now() });
    await tick();
    for (const key of ["m", "h", "e"]) press(el, key);
    await tick();
    expect(phone.actions).toEqual(["answer c1", "mute c1 true", "hold c1 true", "hangup c1"]);
  });

  it("keyboard-shortcuts=page: the page's keys too; off: none", async () => {
    const { el, phone } = await mount("page");
    phone.ring();
    await tick();
    press(document.body, "d");
    await tick();
    expect(phone.actions).toEqual(["decline c1 603"]);
    el.setAttribute("keyboard-shortcuts", "off");
    await el.updateComplete;
    press(el, "d");
    press(document.body, "d");
    await tick();
    expect(phone.actions).toEqual(["decline c1 603"]);
  });

  it("a key typed into a field is the field's: the dialpad's number takes it, no shortcut runs", async () => {
    const { el, phone } = await mount();
    phone.ring();
    await tick();
    const input = el.shadowRoot!.querySelector("sip-dialpad")!.shadowRoot!.querySelector("input")!;
    press(input, "a");
    await tick();
    expect(phone.actions).toEqual([]);
  });

  it("digits go to the dialpad's number when no call is up, and are tones in a call", async () => {
    const { el, phone } = await mount();
    for (const key of ["1", "0", "0", "2"]) press(el, key);
    await tick();
    await el.updateComplete;
    const input = el.shadowRoot!.querySelector("sip-dialpad")!.shadowRoot!.querySelector("input")!;
    expect(input.value).toBe("1002");
    phone.setCall({ state: CallState.Established, answeredAt: Date.now() });
    await tick();
    press(el, "5");
    await tick();
    // Typing the number took the line off-hook, as the dialpad's keys do; the 5 was a tone.
    expect(phone.actions[0]).toBe("offHook");
    expect(phone.actions.filter((a) => !/^o[nf]+Hook$/.test(a))).toEqual(["dtmf c1 5"]);
  });

  it("a ringing call takes the focus to its Answer button; declined, the focus goes back", async () => {
    const { el, phone } = await mount();
    const tabs = el.shadowRoot!.querySelector<HTMLButtonElement>('[role="tab"]')!;
    tabs.focus();
    phone.ring();
    await tick();
    await el.updateComplete;
    const panel = el.shadowRoot!.querySelector("sip-call-panel")!;
    await panel.updateComplete;
    await tick();
    expect(panel.shadowRoot!.activeElement?.textContent).toMatch(/Answer/);
    phone.setCall({ state: CallState.Ended, reason: "declined" });
    await tick();
    await el.updateComplete;
    await tick();
    expect(el.shadowRoot!.activeElement).toBe(tabs);
  });

  it("? opens the list of shortcuts in a modal dialog", async () => {
    const { el } = await mount();
    press(el, "?");
    // Its module loads on first use: wait for it, however long the import takes.
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector("sip-shortcut-help")?.shadowRoot?.querySelector("dialog")?.open).toBe(true));
    const help = el.shadowRoot!.querySelector("sip-shortcut-help");
    expect(help?.shadowRoot?.textContent).toMatch(/Hold or resume/);
  });
});
