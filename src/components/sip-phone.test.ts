// @vitest-environment happy-dom
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CallState } from "../sip/api/call-state.js";
import { PHONE_COMMANDS } from "../sip/api/commands.js";
import { LineState } from "../sip/api/line-state.js";
import { PhoneError } from "../sip/api/phone-errors.js";
import { setAppFactory } from "./app-factory.js";
import { SipPhone } from "./sip-phone.js";
import { button } from "./test-support/dom.js";
import { FakePhoneApp, historyEntry } from "./test-support/fake-app.js";

/** Method names in the first column of docs/embedding.md's "Methods" table. */
function documentedMethods(): Set<string> {
  // happy-dom's URL global rejects file: URLs for node:fs, so the path is built with node:path.
  const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../docs/embedding.md"), "utf8");
  const section = doc.split(/^## Methods$/m)[1]!.split(/^## /m)[0]!;
  const names = new Set<string>();
  for (const row of section.split("\n").filter((l) => l.startsWith("| `"))) {
    for (const m of row.split("|")[1]!.matchAll(/`(\w+)\(/g)) names.add(m[1]!);
  }
  return names;
}

describe("<sip-phone>: the embedding API offers every phone command (sip/api/commands.ts)", () => {
  it("has a method of the same name for each", () => {
    const missing = PHONE_COMMANDS.filter((name) => typeof (SipPhone.prototype as unknown as Record<string, unknown>)[name] !== "function");
    expect(missing).toEqual([]);
  });

  it("documents each in docs/embedding.md's methods table", () => {
    const documented = documentedMethods();
    expect(documented.size).toBeGreaterThan(10);
    expect(PHONE_COMMANDS.filter((name) => !documented.has(name))).toEqual([]);
  });
});

const ACCOUNT = { id: "l1", sipUri: "sip:1001@pbx.test", password: "s3cret-pw", servers: ["wss://pbx.test/ws"] };

/** The app the next `<sip-phone>` gets from the factory. */
let nextApp: FakePhoneApp | undefined;
setAppFactory(() => {
  const app = nextApp ?? new FakePhoneApp();
  nextApp = undefined;
  return app;
});

/** A `<sip-phone>` on a fake app with one saved account; `before` runs before it is attached. */
async function mountPhone(before?: (app: FakePhoneApp, el: SipPhone) => void) {
  const app = new FakePhoneApp();
  app.saved = { version: 1, accounts: [ACCOUNT] };
  nextApp = app;
  const el = document.createElement("sip-phone");
  before?.(app, el);
  document.body.append(el);
  await el.ready;
  await el.updateComplete;
  return { el, app, phone: app.phone };
}

/** Every `type` event that reached the document. */
function caught<K extends "line-state" | "call-state" | "incoming-call">(type: K): Array<HTMLElementEventMap[K]> {
  const events: Array<HTMLElementEventMap[K]> = [];
  document.addEventListener(type, (e) => events.push(e as HTMLElementEventMap[K]), { signal: listening.signal });
  return events;
}

const notice = (el: SipPhone) => el.shadowRoot!.querySelector('[part="notice"]')?.textContent?.trim();
const tick = () => new Promise((r) => setTimeout(r, 0));

let listening: AbortController;
beforeEach(() => (listening = new AbortController()));
afterEach(() => {
  listening.abort();
  document.body.replaceChildren();
});

describe("<sip-phone>: what a host page relies on", () => {
  it("`ready` resolves once the app has started, and starts it once", async () => {
    const app = new FakePhoneApp();
    const release = app.holdStart();
    nextApp = app;
    const el = document.createElement("sip-phone");
    document.body.append(el);
    let ready = false;
    void el.ready.then(() => (ready = true));
    await tick();
    expect(ready).toBe(false);
    release();
    await el.ready;
    expect(ready).toBe(true);
    el.remove();
    document.body.append(el);
    await el.ready;
    expect(app.starts).toBe(1);
  });

  it("an app that registered before the element was defined (the app page): its lines are announced on connect, once", async () => {
    const events = caught("line-state");
    const { el, phone } = await mountPhone();
    expect(events.map((e) => [e.detail.id, e.detail.state])).toEqual([["l1", "registered"]]);
    // Moved in the page: not announced again.
    el.remove();
    document.body.append(el);
    phone.setLine({ state: LineState.Registering });
    expect(events.map((e) => e.detail.state)).toEqual(["registered", "registering"]);
  });

  it("`lines` and `calls` are the phone's, with the sentence for a failure", async () => {
    const { el, phone } = await mountPhone();
    expect(el.lines.map((l) => [l.id, l.state])).toEqual([["l1", "registered"]]);
    phone.setLine({ state: LineState.Failed, error: { kind: "auth", code: 401 } });
    expect(el.lines[0]!.error?.message).toBe("Authentication failed (401): check user and password");
    phone.setCall({ state: CallState.Ended, reason: "failed", failure: { kind: "rejected", sipCode: 486, reasonPhrase: "Busy Here" } });
    expect(el.calls[0]).toMatchObject({ id: "c1", state: "ended", message: "Busy (486)" });
  });

  it("sends line-state, call-state and incoming-call events with the snapshot, bubbling and composed", async () => {
    const { phone } = await mountPhone();
    const lines = caught("line-state");
    const calls = caught("call-state");
    const incoming = caught("incoming-call");
    phone.setLine({ state: LineState.Failed, error: { kind: "auth", code: 401 } });
    phone.ring({ remote: "1002", remoteName: "Bob", headers: { "X-Customer-Id": "42" } });
    expect(lines.map((e) => e.detail.error?.message)).toEqual(["Authentication failed (401): check user and password"]);
    expect(calls.map((e) => e.detail.state)).toEqual(["incoming"]);
    expect(incoming.map((e) => e.detail)).toEqual([
      expect.objectContaining({ id: "c1", remote: "1002", remoteName: "Bob", headers: { "X-Customer-Id": "42" } }),
    ]);
    for (const e of [...lines, ...calls, ...incoming]) expect([e.bubbles, e.composed]).toEqual([true, true]);
  });

  it("dial() goes to the phone (with the element's line); a PhoneError comes back as a rejection with its message", async () => {
    const { el, phone } = await mountPhone((_app, el) => el.setAttribute("line", "l1"));
    expect(await el.dial("1002")).toBe("c1");
    await el.dial("1003", { mode: "desk" });
    expect(phone.actions).toEqual(["dial 1002", "dial 1003"]);
    expect(phone.dialOptions).toEqual([{ lineId: "l1" }, { lineId: "l1", mode: "desk" }]);

    phone.dialError = new PhoneError("No account is set up: add one first", "no-line");
    const error = await el.dial("1004").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhoneError);
    expect(error).toMatchObject({ code: "no-line", message: "No account is set up: add one first" });
  });

  it("passes the other commands on to the phone", async () => {
    const { el, phone, app } = await mountPhone();
    await el.answer("c1");
    await el.hold("c1");
    await el.unhold("c1");
    el.mute("c1", true);
    el.answerReferral("c1", false);
    await el.setDnd(true, { code: 486 });
    await tick();
    expect(phone.actions).toEqual(["answer c1", "hold c1 true", "hold c1 false", "mute c1 true", "referral c1 no"]);
    // DND goes through the app, which keeps it across reloads.
    expect(app.actions).toContainEqual(["setDnd", true, undefined, 486]);
  });

  it("shows why a call ended, in words", async () => {
    const { el, phone } = await mountPhone();
    phone.setCall({ state: CallState.Established, direction: "out" });
    phone.setCall({ state: CallState.Ended, reason: "failed", failure: { kind: "rejected", sipCode: 486, reasonPhrase: "Busy Here" } });
    await el.updateComplete;
    expect(notice(el)).toBe("Busy (486) — 1002");
    phone.calls = [];
    phone.ring({ id: "c2", remote: "1003", remoteName: "Carol" });
    phone.setCall({ state: CallState.Ended, reason: "missed" });
    await el.updateComplete;
    expect(notice(el)).toBe("Missed call from Carol (1003)");
    // Opening another view puts the news away; an error stays until it is dealt with.
    el.showView("history");
    await el.updateComplete;
    expect(notice(el)).toBeUndefined();
    el.showNotice("Could not load this view", "error");
    el.showView("phone");
    await el.updateComplete;
    expect(notice(el)).toBe("Could not load this view");
  });

  it("counts missed calls on the History tab, and recounts when the history changes", async () => {
    const { el, app } = await mountPhone((app) => {
      app.history = [
        historyEntry({ id: "h1", direction: "in", result: "missed" }),
        historyEntry({ id: "h2", direction: "in", result: "missed" }),
        historyEntry({ id: "h3" }),
      ];
    });
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector(".badge")?.getAttribute("aria-label")).toBe("2 missed"));
    app.history.unshift(historyEntry({ id: "h4", direction: "in", result: "missed" }));
    app.fire("history-changed", undefined);
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector(".badge")?.textContent).toBe("3"));
    el.showView("history");
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector(".badge")).toBeNull());
  });

  it("the installed app's badge counts new voicemails from the lines' events", async () => {
    vi.stubGlobal("matchMedia", () => ({ matches: true }));
    const shown: number[] = [];
    Object.assign(navigator, {
      setAppBadge: async (n: number) => void shown.push(n),
      clearAppBadge: async () => void shown.push(0),
    });
    const { phone } = await mountPhone();
    phone.setLine({ voicemail: { waiting: true, new: 2, old: 1 } });
    await vi.waitFor(() => expect(shown).toEqual([2]));
    phone.setLine({ state: LineState.Registered }); // the same count: no new badge
    phone.setLine({ voicemail: { waiting: false, new: 0, old: 3 } });
    await vi.waitFor(() => expect(shown).toEqual([2, 0]));
    vi.unstubAllGlobals();
    Object.assign(navigator, { setAppBadge: undefined, clearAppBadge: undefined });
  });

  it("the tabs are a real tablist: one tab in the tab order, its panel labelled by it, arrow keys, Home and End move", async () => {
    const { el } = await mountPhone();
    const root = el.shadowRoot!;
    const tabs = () => [...root.querySelectorAll<HTMLElement>('[role="tab"]')];
    const inOrder = () =>
      tabs()
        .filter((t) => t.getAttribute("tabindex") === "0")
        .map((t) => t.id);
    expect(inOrder()).toEqual(["tab-phone"]);
    expect(root.querySelector('[role="tabpanel"]')?.getAttribute("aria-labelledby")).toBe("tab-phone");
    expect(tabs().every((t) => t.getAttribute("aria-controls") === "view-panel")).toBe(true);
    const key = (k: string) =>
      root.querySelector('[role="tablist"]')!.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
    key("ArrowRight");
    await el.updateComplete;
    expect(inOrder()).toEqual(["tab-history"]);
    expect(root.querySelector('[role="tabpanel"]')?.getAttribute("aria-labelledby")).toBe("tab-history");
    // A view shows once its module and the views' words are loaded (phone-views.ts).
    await vi.waitFor(() => expect(root.querySelector('[role="tabpanel"] sip-history')).not.toBeNull());
    key("End");
    await el.updateComplete;
    expect(inOrder()).toEqual(["tab-settings"]);
    key("ArrowRight");
    await el.updateComplete;
    expect(inOrder()).toEqual(["tab-phone"]);
    key("ArrowLeft");
    key("Home");
    await el.updateComplete;
    expect(inOrder()).toEqual(["tab-phone"]);
    await vi.waitFor(() => expect(root.activeElement?.id).toBe("tab-phone"));
  });

  it("switches views with showView() and the tabs, and ignores an unknown view", async () => {
    const { el } = await mountPhone();
    const selected = () => button(el, /^History/).getAttribute("aria-selected");
    expect(el.shadowRoot!.querySelector("sip-dialpad")).not.toBeNull();
    el.showView("history");
    // A view shows once its module and the views' words are loaded (phone-views.ts).
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector("sip-history")).not.toBeNull());
    expect(el.shadowRoot!.querySelector("sip-dialpad")).toBeNull();
    expect(selected()).toBe("true");
    el.showView("nonsense" as "phone");
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector("sip-history")).not.toBeNull();
    button(el, "Contacts").click();
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector("sip-contacts")).not.toBeNull());
    expect(selected()).toBe("false");
    el.showView("phone");
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector("sip-dialpad")).not.toBeNull();
  });

  it("passes its headers attribute to the app and says whether this tab holds the connection", async () => {
    const { el, app, phone } = await mountPhone((_app, el) => el.setAttribute("headers", "X-Customer-Id, Subject"));
    expect(app.capturedHeaders.at(-1)!.map((h) => h.trim())).toEqual(["X-Customer-Id", "Subject"]);
    expect(el.holdsConnection).toBe(true);
    phone.isLeader = false;
    expect(el.holdsConnection).toBe(false);
  });

  it("on first run (nothing saved) opens the account form; configure() applies a configuration and closes it", async () => {
    const { el, app } = await mountPhone((app) => (app.saved = undefined));
    // The form shows once its module and the views' words are loaded (account-editing.ts).
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector("sip-account-form")).not.toBeNull());
    await el.configure({ version: 1, accounts: [ACCOUNT] });
    await el.updateComplete;
    expect(app.config.accounts.map((a) => a.id)).toEqual(["l1"]);
    expect(el.shadowRoot!.querySelector("sip-account-form")).toBeNull();
  });

  it("leads nowhere near the configuration: no property of the element (own or inherited) reaches the app or a password", async () => {
    const { el, app } = await mountPhone();
    const found: string[] = [];
    const seen = new Set<unknown>();
    const walk = (v: unknown, path: string, depth: number): void => {
      if (v === null || v === undefined || depth > 6) return;
      if (typeof v === "string") {
        if (v.includes(ACCOUNT.password)) found.push(path);
        return;
      }
      if (typeof v !== "object" && typeof v !== "function") return;
      if (v === app || v === app.config) found.push(path);
      // Other elements are the page's, not the element's (its shadow tree is open by design).
      if (seen.has(v) || v instanceof Node || v === window) return;
      seen.add(v);
      for (const k of Object.getOwnPropertyNames(v)) {
        if (k === "constructor" || k === "prototype") continue;
        let x: unknown;
        try {
          x = (v as Record<string, unknown>)[k];
        } catch {
          continue;
        }
        walk(x, `${path}.${k}`, depth + 1);
      }
    };
    // The element itself is a Node: its properties are read from it, getters included.
    const names = new Set(Object.getOwnPropertyNames(el));
    for (let p = Object.getPrototypeOf(el) as object; p !== HTMLElement.prototype; p = Object.getPrototypeOf(p) as object) {
      for (const k of Object.getOwnPropertyNames(p)) names.add(k);
    }
    names.delete("constructor");
    expect(names).toContain("ready");
    for (const k of names) walk((el as unknown as Record<string, unknown>)[k], `el.${k}`, 1);
    expect(found).toEqual([]);
    // The walk does find one where there is one.
    walk({ leak: { app } }, "control", 0);
    expect(found).toContain("control.leak.app");
  });

  it("unsubscribes from the phone and the app when removed", async () => {
    const { el, phone, app } = await mountPhone();
    expect(phone.listenerCount()).toBeGreaterThan(0);
    el.remove();
    expect(phone.listenerCount()).toBe(0);
    expect(app.listenerCount()).toBe(0);
  });
});
