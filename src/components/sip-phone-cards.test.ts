// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { CallState } from "../sip/api/call-state.js";
import { setAppFactory } from "./app-factory.js";
import type { SipDialpad } from "./dial-pad.js";
import type { SipPhone } from "./sip-phone.js";
import { button } from "./test-support/dom.js";
import { FakePhoneApp } from "./test-support/fake-app.js";

// The call card's code, loaded on demand (call-panel-code.ts): each test says whether the next
// load fails (as a chunk that cannot be fetched does) or brings the real module.
const loads = vi.hoisted(() => ({ count: 0, failNext: false }));
vi.mock("./call-panel-code.js", () => ({
  loadCallPanel: async () => {
    loads.count++;
    if (loads.failNext) {
      loads.failNext = false;
      throw new Error("Failed to fetch dynamically imported module");
    }
    return import("./call-panel.js");
  },
}));
await import("./sip-phone.js");

let nextApp: FakePhoneApp | undefined;
setAppFactory(() => nextApp ?? new FakePhoneApp());

async function mountPhone() {
  const app = new FakePhoneApp();
  app.saved = { version: 1, accounts: [{ id: "l1", sipUri: "sip:1001@pbx.test", password: "s3cret-pw", servers: ["wss://pbx.test/ws"] }] };
  nextApp = app;
  const el = document.createElement("sip-phone");
  document.body.append(el);
  await el.ready;
  await el.updateComplete;
  return { el, phone: app.phone };
}

const cards = (el: SipPhone) => el.shadowRoot!.querySelectorAll("sip-call-panel");
const notice = (el: SipPhone) => el.shadowRoot!.querySelector('[part="notice"]')?.textContent?.trim();
/** Until `check` holds: the card's module is transformed on its first import, which takes a while. */
const until = (check: () => void) => vi.waitFor(check, { timeout: 5000, interval: 5 });

afterEach(() => {
  document.body.replaceChildren();
  loads.count = 0;
  loads.failNext = false;
});

describe("<sip-phone>: the call card loads with the first call (docs/performance.md)", () => {
  it("is not loaded while the phone only waits; a ringing call brings it, with its Answer button", async () => {
    const { el, phone } = await mountPhone();
    expect(loads.count).toBe(0);
    phone.ring({ remote: "1002", remoteName: "Bob" });
    await until(() => expect(button(cards(el)[0]!, "Answer")).toBeTruthy());
    expect(loads.count).toBe(1);
    expect(cards(el)).toHaveLength(1);
  });

  it("starts loading when the user types a number, before Call", async () => {
    const { el } = await mountPhone();
    const pad = el.shadowRoot!.querySelector<SipDialpad>("sip-dialpad")!;
    pad.setNumber("1");
    expect(loads.count).toBe(1);
  });

  it("a card that cannot be loaded is said in words; the next call's news tries again", async () => {
    const { el, phone } = await mountPhone();
    loads.failNext = true;
    phone.ring({ id: "c1", remote: "1002" });
    await until(() => expect(notice(el)).toBeDefined());
    expect(cards(el)).toHaveLength(0);
    expect(notice(el)).toBe(
      "Could not load the call's controls (Failed to fetch dynamically imported module): check the connection and reload the page",
    );
    phone.setCall({ id: "c1", state: CallState.Incoming, remoteName: "Bob" });
    await until(() => expect(cards(el)).toHaveLength(1));
    expect(loads.count).toBe(2);
  });
});
