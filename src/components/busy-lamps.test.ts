// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import "./busy-lamps.js";
import type { SipBusyLamp, SipBusyLamps } from "./busy-lamps.js";
import { FakeApp } from "./test-support/fake-app.js";
import { FakePhone, mountWith } from "./test-support/fake-phone.js";
import { loadViewWords } from "../i18n/languages.js";

afterEach(() => document.body.replaceChildren());

const lampEls = (el: SipBusyLamps) => [...el.shadowRoot!.querySelectorAll<SipBusyLamp>("sip-busy-lamp")];
const shown = (el: SipBusyLamps) => lampEls(el).map((l) => l.shadowRoot!.textContent!.replace(/\s+/g, " ").trim());

async function mountPanel() {
  const phone = new FakePhone();
  phone.watched = [{ target: "1001", lineId: "l1", state: "idle", event: "dialog" }];
  const app = new FakeApp();
  const el = await mountWith<SipBusyLamps>("sip-busy-lamps", { phone, app });
  await vi.waitFor(() => expect(lampEls(el)).toHaveLength(1));
  await lampEls(el)[0]!.updateComplete;
  return { el, phone, app };
}

// This test renders a view's components without the phone: their words (src/i18n/en-views.ts)
// are loaded as phone-views.ts loads them with the view.
beforeAll(() => loadViewWords());

describe("<sip-busy-lamps>", () => {
  it("shows each watched party's state in words, with a class for its colour", async () => {
    const { el, phone } = await mountPanel();
    expect(shown(el)).toEqual(["1001 Free ×"]);
    phone.lamp({ target: "1002", lineId: "l1", state: "unknown", code: 404 });
    await vi.waitFor(() => expect(lampEls(el)).toHaveLength(2));
    await lampEls(el)[1]!.updateComplete;
    expect(shown(el)[1]).toBe("1002 Unknown: no such user (404) ×");
    expect(lampEls(el)[0]!.shadowRoot!.querySelector(".idle")).not.toBeNull();
  });

  it("repaints only the lamp that changed, and offers Pick up while it rings", async () => {
    const { el, phone } = await mountPanel();
    phone.lamp({ target: "1002", lineId: "l1", state: "idle" });
    await vi.waitFor(() => expect(lampEls(el)).toHaveLength(2));
    const [first, second] = lampEls(el);
    const firstLamp = first!.lamp;
    phone.lamp({ target: "1002", lineId: "l1", state: "ringing", remote: "<b>Carol</b>" });
    await second!.updateComplete;
    expect(lampEls(el)).toEqual([first, second]);
    expect(first!.lamp).toBe(firstLamp);
    // The server's words are text, never markup.
    expect(second!.shadowRoot!.querySelector("b")).toBeNull();
    expect(shown(el)[1]).toBe("1002 Ringing (<b>Carol</b>) Pick up ×");
    second!.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Pick up 1002\'s call"]')!.click();
    expect(phone.actions).toContain("pickup 1002 ");
  });

  it("watches a number typed in, and stops watching on ×, through the app (which keeps the list)", async () => {
    const { el, app } = await mountPanel();
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[aria-label="Number to watch"]')!;
    input.value = "1003";
    el.shadowRoot!.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    expect(app.actions).toContainEqual(["watch", "1003", undefined]);
    lampEls(el)[0]!.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Stop watching 1001"]')!.click();
    await vi.waitFor(() => expect(lampEls(el)).toHaveLength(0));
    expect(app.actions).toContainEqual(["unwatch", "1001"]);
  });
});
