// @vitest-environment happy-dom
import { LitElement } from "lit";
import { afterEach, describe, expect, it, vi } from "vitest";
import { english } from "../i18n/languages.js";
import { CallState } from "../sip/api/call-state.js";
import "./call-panel.js";
import type { SipCallPanel } from "./call-panel.js";
import { CallPip, type PipEnvironment, type PipRequest } from "./call-pip.js";
import { FakePhone, mount, text } from "./test-support/fake-phone.js";

class PipHost extends LitElement {}
customElements.define("pip-test-host", PipHost);

/**
 * A Picture-in-Picture window as the controller sees one: its own document, its own timers,
 * `pagehide` when it closes (by close() or by the user).
 */
function fakeWindow() {
  const document_ = document.implementation.createHTMLDocument("");
  let onHide: (() => void) | undefined;
  const win = {
    document: document_,
    closed: false,
    setInterval: (fn: () => void, ms: number) => setInterval(fn, ms),
    clearInterval: (h: number) => clearInterval(h),
    addEventListener: (type: string, fn: () => void) => {
      if (type === "pagehide") onHide = fn;
    },
    close: () => {
      if (win.closed) return;
      win.closed = true;
      onHide?.();
    },
  };
  return win;
}

/** The browser as a test arranges it: the API, the tab's visibility, whether there is an activation. */
function environment() {
  const windows: ReturnType<typeof fakeWindow>[] = [];
  const page = new EventTarget() as EventTarget & { visibilityState: DocumentVisibilityState };
  page.visibilityState = "visible";
  const state = { activated: false, action: undefined as (() => void) | null | undefined };
  const env: PipEnvironment = {
    api: {
      requestWindow: vi.fn(async () => {
        if (!state.activated) throw new DOMException("needs a user activation", "NotAllowedError");
        const w = fakeWindow();
        windows.push(w);
        return w as unknown as Window;
      }),
    },
    document: page as unknown as PipEnvironment["document"],
    activated: () => state.activated,
    setAction: (_action, handler) => (state.action = handler),
    loadView: () => import("./call-pip-view.js"),
  };
  const setVisibility = (v: DocumentVisibilityState) => {
    page.visibilityState = v;
    page.dispatchEvent(new Event("visibilitychange"));
  };
  return { env, windows, state, setVisibility };
}

async function setup() {
  const phone = new FakePhone();
  const browser = environment();
  const host = document.createElement("pip-test-host") as PipHost;
  const pip = new CallPip(host, phone, () => english, browser.env);
  document.body.append(host);
  await host.updateComplete;
  return { phone, pip, host, ...browser };
}

const shown = (w: ReturnType<typeof fakeWindow>) => w.document.body.textContent!.replace(/\s+/g, " ").trim();
const button = (w: ReturnType<typeof fakeWindow>, name: string) =>
  [...w.document.querySelectorAll("button")].find((b) => b.textContent!.trim() === name)!;
const settle = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  document.body.replaceChildren();
  vi.unstubAllGlobals();
});

describe("CallPip: the call window in sight", () => {
  it("the card's Pop out request opens the window with the party, timer and buttons that act on the call", async () => {
    const { phone, host, windows, state } = await setup();
    phone.setCall({ state: CallState.Established, remoteName: "Bob Builder", answeredAt: Date.now() - 65_000 });
    state.activated = true;
    const detail = { callId: "c1" } as { callId: string; result?: Promise<void> };
    host.dispatchEvent(new CustomEvent("sip-call-pip", { detail }));
    await detail.result;
    const win = windows[0]!;
    expect(shown(win)).toMatch(/Bob Builder 1002 1:0\d Connected Mute Hold Hang up/);
    expect(win.document.querySelector(".avatar")!.getAttribute("data-initials")).toBe("BB");
    expect(win.document.documentElement.lang).toBe("en");
    expect(win.document.title).toBe("Call with Bob Builder");
    // The tokens came along as text (constructed sheets cannot cross documents).
    expect(win.document.head.querySelector("style")!.textContent).toMatch(/--sip-hangup-bg:/);
    button(win, "Mute").click();
    button(win, "Hold").click();
    button(win, "Hang up").click();
    await settle();
    expect(phone.actions).toEqual(["mute c1 true", "hold c1 true", "hangup c1"]);
  });

  it("follows the call (muted, held) and closes when it ends", async () => {
    const { phone, pip, windows, state } = await setup();
    phone.setCall({ state: CallState.Established, answeredAt: Date.now() });
    state.activated = true;
    await pip.show("c1");
    phone.setCall({ muted: true, held: true });
    expect(shown(windows[0]!)).toMatch(/Connected · muted · on hold/);
    expect(button(windows[0]!, "Resume").getAttribute("aria-pressed")).toBe("true");
    phone.setCall({ state: CallState.Ended });
    expect(windows[0]!.closed).toBe(true);
    expect(pip.open).toBe(false);
  });

  it("a hidden tab opens it by itself only with an activation; seen again, that window closes", async () => {
    const { phone, pip, windows, state, setVisibility } = await setup();
    phone.setCall({ state: CallState.Established, answeredAt: Date.now() });
    setVisibility("hidden");
    await settle();
    expect(windows).toHaveLength(0);
    setVisibility("visible");
    state.activated = true;
    setVisibility("hidden");
    await vi.waitFor(() => expect(pip.open).toBe(true));
    setVisibility("visible");
    expect(windows[0]!.closed).toBe(true);
  });

  it("a window the user popped out stays when the tab is seen again", async () => {
    const { phone, pip, windows, state, setVisibility } = await setup();
    phone.setCall({ state: CallState.Established, answeredAt: Date.now() });
    state.activated = true;
    await pip.show("c1");
    setVisibility("hidden");
    setVisibility("visible");
    expect(windows[0]!.closed).toBe(false);
    expect(windows).toHaveLength(1);
  });

  it("registers Chromium's automatic picture-in-picture action while a call is up; one the user closed does not come back", async () => {
    const { phone, pip, windows, state } = await setup();
    expect(state.action).toBeUndefined();
    phone.setCall({ state: CallState.Established, answeredAt: Date.now() });
    expect(state.action).toBeTypeOf("function");
    state.activated = true;
    state.action!();
    await vi.waitFor(() => expect(pip.open).toBe(true));
    windows[0]!.close();
    expect(pip.open).toBe(false);
    state.action!();
    await settle();
    expect(windows).toHaveLength(1);
    phone.setCall({ state: CallState.Ended });
    expect(state.action).toBeNull();
  });

  it("a ringing incoming call alone opens nothing (its notification does); without the API nothing is offered", async () => {
    const { phone, windows, state, setVisibility } = await setup();
    phone.ring();
    state.activated = true;
    setVisibility("hidden");
    await settle();
    expect(windows).toHaveLength(0);
    expect(state.action).toBeUndefined();
    const none = new CallPip(document.createElement("pip-test-host") as PipHost, new FakePhone(), () => english, {
      ...environment().env,
      api: undefined,
    });
    expect(none.supported).toBe(false);
    await expect(none.show()).rejects.toThrow(/not available/);
  });
});

describe("the card's Pop out", () => {
  const popOut = (el: SipCallPanel) => [...el.shadowRoot!.querySelectorAll("button")].find((b) => b.textContent!.trim() === "Pop out");

  it("is offered on a connected call where the browser has the API; its click asks the phone, a refusal is said", async () => {
    vi.stubGlobal("documentPictureInPicture", {});
    const phone = new FakePhone();
    phone.setCall({ state: CallState.Established, answeredAt: Date.now() });
    const el = await mount<SipCallPanel>("sip-call-panel", phone, (e) => (e.call = phone.calls[0]));
    const asked: PipRequest[] = [];
    document.body.addEventListener("sip-call-pip", (e) => {
      asked.push(e.detail);
      e.detail.result = Promise.reject(new Error("NotAllowedError"));
    });
    popOut(el)!.click();
    expect(asked.map((r) => r.callId)).toEqual(["c1"]);
    await vi.waitFor(() => expect(text(el)).toMatch(/The call window could not open: NotAllowedError/));
  });

  it("is not offered without the API, nor while the call rings", async () => {
    const phone = new FakePhone();
    phone.setCall({ state: CallState.Established, answeredAt: Date.now() });
    const el = await mount<SipCallPanel>("sip-call-panel", phone, (e) => (e.call = phone.calls[0]));
    expect(popOut(el)).toBeUndefined();
    vi.stubGlobal("documentPictureInPicture", {});
    phone.setCall({ state: CallState.Incoming });
    el.call = phone.calls[0]!;
    await el.updateComplete;
    expect(popOut(el)).toBeUndefined();
  });
});
