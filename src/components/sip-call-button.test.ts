// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import "./sip-call-button.js";
import type { SipCallButton } from "./sip-call-button.js";
import { CallState } from "../sip/api/call-state.js";
import { LineState } from "../sip/api/line-state.js";
import { defineFakeSipPhone, type FakeSipPhoneElement } from "./test-support/fake-sip-phone-element.js";

defineFakeSipPhone();

afterEach(() => {
  document.body.replaceChildren();
  vi.useRealTimers();
});

/** Puts `markup` in the page, as a host page's author writes it. */
async function page(markup: string) {
  document.body.innerHTML = markup;
  const buttons = [...document.querySelectorAll("sip-call-button")];
  await Promise.all(buttons.map((b) => b.updateComplete));
  return { buttons, phones: [...document.querySelectorAll("sip-phone")] as unknown as FakeSipPhoneElement[] };
}

const inner = (b: SipCallButton) => b.shadowRoot!.querySelector("button")!;
const shown = (b: SipCallButton) => b.shadowRoot!.querySelector('[role="status"]')?.textContent!.trim();
const alert = (b: SipCallButton) => b.shadowRoot!.querySelector('[role="alert"]')?.textContent!.trim();

/** Lets a click's awaits (phone ready, line ready, dial) run, then the render. */
async function settle(b: SipCallButton) {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await b.updateComplete;
}

async function click(b: SipCallButton) {
  inner(b).click();
  await settle(b);
}

describe("<sip-call-button>", () => {
  it("says what it calls; target is the same as number", async () => {
    const { buttons } = await page(
      `<sip-call-button number="+43 (1) 505641"></sip-call-button><sip-call-button target="sip:support@pbx.test"></sip-call-button>`,
    );
    expect(inner(buttons[0]!).textContent!.trim()).toBe("Call +43 (1) 505641");
    expect(inner(buttons[0]!).getAttribute("aria-label")).toBe("Call +43 (1) 505641");
    expect(inner(buttons[1]!).getAttribute("aria-label")).toBe("Call sip:support@pbx.test");
    expect(shown(buttons[0]!)).toBeUndefined();
  });

  it("on a page without a phone, says what is missing", async () => {
    const { buttons } = await page(`<sip-call-button number="1002"></sip-call-button>`);
    await click(buttons[0]!);
    expect(alert(buttons[0]!)).toBe("No phone on this page (add a <sip-phone> element)");
  });

  it("dials through the page's phone, follows the call, hangs it up on a second click", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { buttons, phones } = await page(`<sip-phone></sip-phone><sip-call-button number="+43 (1) 505641"></sip-call-button>`);
    const [b, phone] = [buttons[0]!, phones[0]!];
    await click(b);
    expect(phone.actions).toEqual(["dial +43 (1) 505641"]);
    expect(shown(b)).toBe("Calling…");
    expect(inner(b).getAttribute("aria-label")).toBe("Hang up +43 (1) 505641");
    expect(inner(b).textContent!.trim()).toBe("Hang up");
    phone.setCall("c1", { state: CallState.Ringing });
    await b.updateComplete;
    expect(shown(b)).toBe("Ringing…");
    phone.setCall("c1", { state: CallState.Established });
    await b.updateComplete;
    expect(shown(b)).toBe("Connected");

    await click(b);
    expect(phone.actions).toEqual(["dial +43 (1) 505641", "hangup c1"]);
    phone.setCall("c1", { state: CallState.Ended, reason: "hangup" });
    await b.updateComplete;
    expect(shown(b)).toBe("Ended");
    expect(inner(b).getAttribute("aria-label")).toBe("Call +43 (1) 505641");
    expect(alert(b)).toBeUndefined();
    vi.advanceTimersByTime(3999);
    await b.updateComplete;
    expect(shown(b)).toBe("Ended");
    vi.advanceTimersByTime(1);
    await b.updateComplete;
    expect(shown(b)).toBeUndefined();
  });

  it("passes its line and mode with the dial", async () => {
    const { buttons, phones } = await page(
      `<sip-phone></sip-phone><sip-call-button number="1002" line="l2" mode="desk"></sip-call-button>`,
    );
    await click(buttons[0]!);
    expect(phones[0]!.actions).toEqual(['dial 1002 {"lineId":"l2","mode":"desk"}']);
  });

  it("uses the phone named by `for`, and says so when that is not a phone", async () => {
    const { buttons, phones } = await page(
      `<sip-phone id="p1"></sip-phone><sip-phone id="p2"></sip-phone><div id="nophone"></div>
       <sip-call-button number="1002" for="p2"></sip-call-button><sip-call-button number="1003" for="nophone"></sip-call-button>`,
    );
    await click(buttons[0]!);
    expect(phones.map((p) => p.actions)).toEqual([[], ["dial 1002"]]);
    await click(buttons[1]!);
    expect(alert(buttons[1]!)).toBe("No phone on this page (add a <sip-phone> element)");
  });

  it("follows only its own call", async () => {
    const { buttons, phones } = await page(`<sip-phone></sip-phone><sip-call-button number="1002"></sip-call-button>`);
    const [b, phone] = [buttons[0]!, phones[0]!];
    await click(b);
    phone.setCall("c7", { state: CallState.Ended, message: "Busy" });
    await b.updateComplete;
    expect(shown(b)).toBe("Calling…");
    expect(alert(b)).toBeUndefined();
  });

  it("shows why a call was refused or could not be placed", async () => {
    const { buttons, phones } = await page(`<sip-phone></sip-phone><sip-call-button number="1002"></sip-call-button>`);
    const [b, phone] = [buttons[0]!, phones[0]!];
    await click(b);
    phone.setCall("c1", { state: CallState.Ended, reason: "rejected", sipCode: 486, message: "1002 is busy" });
    await b.updateComplete;
    expect(shown(b)).toBe("Ended");
    expect(alert(b)).toBe("1002 is busy");

    phone.dialError = new Error('"1002x" is not a phone number or SIP address');
    await click(b);
    expect(alert(b)).toBe('"1002x" is not a phone number or SIP address');
    expect(shown(b)).toBeUndefined();
  });

  it("waits for the phone to connect a line before dialling", async () => {
    const { buttons, phones } = await page(`<sip-phone></sip-phone><sip-call-button number="1002"></sip-call-button>`);
    const [b, phone] = [buttons[0]!, phones[0]!];
    phone.lines = [{ ...phone.lines[0]!, state: LineState.Connecting }];
    await click(b);
    expect(phone.actions).toEqual([]);
    phone.setLine({ state: LineState.Registered });
    await settle(b);
    expect(phone.actions).toEqual(["dial 1002"]);
    expect(shown(b)).toBe("Calling…");
  });

  it("gives up after 10 s without a line, with the line's reason", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { buttons, phones } = await page(`<sip-phone></sip-phone><sip-call-button number="1002"></sip-call-button>`);
    const [b, phone] = [buttons[0]!, phones[0]!];
    phone.lines = [
      {
        ...phone.lines[0]!,
        state: LineState.Failed,
        error: { kind: "auth", code: 403, message: "Authentication failed (403): check user and password" },
      },
    ];
    await click(b);
    vi.advanceTimersByTime(9_999);
    await settle(b);
    expect(alert(b)).toBeUndefined();
    vi.advanceTimersByTime(1);
    await settle(b);
    expect(alert(b)).toBe("The phone is not connected: Authentication failed (403): check user and password");
    expect(phone.actions).toEqual([]);
  });

  it("with config-url and no phone on the page, creates one hidden phone that every button shares", async () => {
    const { buttons } = await page(
      `<sip-call-button number="1002" config-url="/phone.json"></sip-call-button><sip-call-button number="1003" config-url="/phone.json"></sip-call-button>`,
    );
    await click(buttons[0]!);
    await click(buttons[1]!);
    const phones = [...document.querySelectorAll("sip-phone")] as unknown as FakeSipPhoneElement[];
    expect(phones).toHaveLength(1);
    expect(phones[0]!.hidden).toBe(true);
    expect(phones[0]!.getAttribute("config-url")).toBe("/phone.json");
    expect(phones[0]!.actions).toEqual(["dial 1002", "dial 1003"]);
  });

  it("stops listening to the phone when removed", async () => {
    const { buttons, phones } = await page(`<sip-phone></sip-phone><sip-call-button number="1002"></sip-call-button>`);
    await click(buttons[0]!);
    expect(phones[0]!.callStateListeners).toBe(1);
    buttons[0]!.remove();
    expect(phones[0]!.callStateListeners).toBe(0);
  });

  it("a double click places one call, not two: a dial in progress blocks another until it is placed or fails", async () => {
    const { buttons, phones } = await page(`<sip-phone></sip-phone><sip-call-button number="1002"></sip-call-button>`);
    const [b, phone] = [buttons[0]!, phones[0]!];
    let ready!: () => void;
    phone.ready = new Promise((resolve) => (ready = resolve));
    await click(b);
    await click(b);
    ready();
    await settle(b);
    expect(phone.actions).toEqual(["dial 1002"]);
    expect(shown(b)).toBe("Calling…");

    // Once the call is placed, a click hangs it up (as before); after a dial that failed, a click dials again.
    await click(b);
    expect(phone.actions).toEqual(["dial 1002", "hangup c1"]);
    phone.setCall("c1", { state: CallState.Ended, reason: "hangup" });
    await b.updateComplete;
    phone.dialError = new Error("No line is registered");
    phone.ready = new Promise((resolve) => (ready = resolve));
    await click(b);
    await click(b);
    ready();
    await settle(b);
    expect(phone.actions).toEqual(["dial 1002", "hangup c1", "dial 1002"]);
    expect(alert(b)).toBe("No line is registered");
    phone.dialError = undefined;
    await click(b);
    expect(phone.actions).toEqual(["dial 1002", "hangup c1", "dial 1002", "dial 1002"]);
    expect(shown(b)).toBe("Calling…");
  });
});
