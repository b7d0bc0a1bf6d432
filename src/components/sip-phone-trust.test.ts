// @vitest-environment happy-dom
// <sip-phone> at its trust boundaries (docs/security.md): links ask before they dial,
// provisioning fetches only from allowed origins and asks before it replaces lines, and nothing
// the host page can reach (properties, controllers, the open shadow tree, context requests)
// yields a password.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AccountConfig } from "../config/phone-config.js";
import { appContext } from "./app-context.js";
import { setAppFactory } from "./app-factory.js";
import { ARM_MS } from "./confirm-request.js";
import { phoneContext } from "./phone-context.js";
import type { SipPhone } from "./sip-phone.js";
import "./sip-phone.js";
import { button, buttonNames } from "./test-support/dom.js";
import { FakePhoneApp } from "./test-support/fake-app.js";

const OFFICE: AccountConfig = {
  id: "l1",
  label: "Office",
  sipUri: "sip:1001@pbx.test",
  password: "s3cret-pw",
  servers: ["wss://pbx.test/ws"],
};

let nextApp: FakePhoneApp | undefined;
setAppFactory(() => nextApp ?? new FakePhoneApp());

async function mountPhone(accounts: AccountConfig[] = [OFFICE]) {
  const app = new FakePhoneApp();
  app.saved = accounts.length ? { version: 1, accounts } : undefined;
  nextApp = app;
  const el = document.createElement("sip-phone");
  document.body.append(el);
  await el.ready;
  await el.updateComplete;
  return { el, app, phone: app.phone };
}

const question = (el: SipPhone) => el.shadowRoot!.querySelector("sip-confirm-request");
const notice = (el: SipPhone) => el.shadowRoot!.querySelector('[part="notice"]')?.textContent?.trim();

/** Waits until the question is on screen and its yes button can be pressed (after ARM_MS). */
async function shownQuestion(el: SipPhone) {
  await vi.waitFor(() => expect(question(el)?.shadowRoot?.querySelector("button.call")).toBeTruthy());
  const q = question(el)!;
  await vi.waitFor(() => expect(q.shadowRoot!.querySelector<HTMLButtonElement>("button.call")!.disabled).toBe(false), {
    timeout: ARM_MS + 1000,
  });
  return q;
}

const rows = (q: Element) =>
  [...q.shadowRoot!.querySelectorAll("dt")].map((dt) => `${dt.textContent}: ${dt.nextElementSibling!.textContent}`);

afterEach(() => {
  document.body.replaceChildren();
  vi.unstubAllGlobals();
});

describe("<sip-phone>: a link asks before it dials", () => {
  it("shows the number, the address it calls and the line, with a focused Call button; Call dials on that line", async () => {
    const { el, phone } = await mountPhone();
    const dialled = el.confirmDial("tel:+43-1-5056410");
    const q = await shownQuestion(el);
    expect(phone.actions).toEqual([]);
    expect(rows(q)).toEqual(["Number: +4315056410", "Calls: sip:+4315056410@pbx.test", "Line: Alice (sip:1001@pbx.test)"]);
    expect(q.shadowRoot!.activeElement).toBe(button(q, "Call"));
    button(q, "Call").click();
    expect(await dialled).toBe("c1");
    expect(phone.actions).toEqual(["dial tel:+43-1-5056410"]);
    expect(phone.dialOptions).toEqual([{ lineId: "l1" }]);
    await el.updateComplete;
    expect(question(el)).toBeNull();
  });

  it("Esc (or Cancel) dials nothing", async () => {
    const { el, phone } = await mountPhone();
    const first = el.confirmDial("1900");
    await shownQuestion(el);
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(await first).toBeUndefined();
    const second = el.confirmDial("1901");
    button(await shownQuestion(el), "Cancel").click();
    expect(await second).toBeUndefined();
    expect(phone.actions).toEqual([]);
  });

  it("the Call button cannot be pressed for a moment after the question appears (a key meant for something else)", async () => {
    const { el, phone } = await mountPhone();
    void el.confirmDial("1900");
    await vi.waitFor(() => expect(question(el)?.shadowRoot?.querySelector("button.call")).toBeTruthy());
    const call = question(el)!.shadowRoot!.querySelector<HTMLButtonElement>("button.call")!;
    expect(call.disabled).toBe(true);
    call.click();
    await new Promise((r) => setTimeout(r, 10));
    expect(phone.actions).toEqual([]);
  });

  it("two links are asked about one after the other", async () => {
    const { el, phone } = await mountPhone();
    const a = el.confirmDial("1002");
    const b = el.confirmDial("1003");
    button(await shownQuestion(el), "Cancel").click();
    expect(await a).toBeUndefined();
    await vi.waitFor(() => expect(rows(question(el)!)[0]).toBe("Number: 1003"));
    button(await shownQuestion(el), "Call").click();
    expect(await b).toBe("c1");
    expect(phone.actions).toEqual(["dial 1003"]);
  });

  it("a line with dialLinksWithoutConfirm dials at once; the element's line and the default line are the ones used", async () => {
    const kiosk = { ...OFFICE, id: "k", label: "Kiosk", dialLinksWithoutConfirm: true };
    const { el, phone, app } = await mountPhone([OFFICE, kiosk]);
    app.settings = { ...app.settings, defaultLineId: "k" };
    expect(await el.confirmDial("1002")).toBe("c1");
    expect(phone.dialOptions).toEqual([{ lineId: "k" }]);
    expect(question(el)).toBeNull();
    el.line = "l1";
    void el.confirmDial("1002");
    // The line as the phone shows it (its snapshot's label, here the fake phone's "Alice").
    expect(rows(await shownQuestion(el))[2]).toBe("Line: Alice (sip:1001@pbx.test)");
  });

  it("a number the line cannot dial is refused before any question", async () => {
    const { el, phone } = await mountPhone();
    await expect(el.confirmDial("sip:")).rejects.toThrow();
    expect(question(el)).toBeNull();
    expect(phone.actions).toEqual([]);
  });

  it("dial() from the host page stays immediate", async () => {
    const { el, phone } = await mountPhone();
    expect(await el.dial("1002")).toBe("c1");
    expect(phone.actions).toEqual(["dial 1002"]);
  });
});

describe("<sip-phone>: provisioning", () => {
  const NEW: AccountConfig = { id: "n", sipUri: "sip:2000@pbx.test", password: "p", servers: ["wss://pbx.test/ws"] };
  const serve = (config: unknown) => {
    const fetch = vi.fn(async (url: URL) => ({ ok: true, status: 200, redirected: false, url: url.href, json: async () => config }));
    vi.stubGlobal("fetch", fetch);
    return fetch;
  };

  it.each([
    ["data:application/json,{}", "only https: addresses are fetched, never data:"],
    ["javascript:alert(1)", "only https: addresses are fetched, never javascript:"],
    ["https://elsewhere.example/p.json", "https://elsewhere.example is neither the phone's own site nor one this installation allows"],
  ])("refuses %s with a notice and fetches nothing", async (source, why) => {
    const { el, app } = await mountPhone();
    const fetch = serve({ version: 1, accounts: [NEW] });
    expect(await el.provision(source)).toBe(false);
    await el.updateComplete;
    expect(notice(el)).toContain(`Provisioning from ${source} refused: ${why}`);
    expect(fetch).not.toHaveBeenCalled();
    expect(app.config.accounts).toEqual([OFFICE]);
  });

  it("an empty phone takes a configuration of its own origin without a question", async () => {
    const { el, app } = await mountPhone([]);
    serve({ version: 1, accounts: [NEW] });
    expect(await el.provision("/provision/new.json")).toBe(true);
    expect(app.config.accounts).toEqual([NEW]);
    expect(question(el)).toBeNull();
  });

  it("a first start fetches the file while the phone is still starting; the set-up form waits for the outcome", async () => {
    const app = new FakePhoneApp();
    const release = app.holdStart();
    nextApp = app;
    const el = document.createElement("sip-phone");
    document.body.append(el);
    const fetch = serve({ version: 1, accounts: [NEW] });
    const applied = el.provision("/provision/new.json");
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    expect(app.config.accounts).toEqual([]); // not applied before the phone has started
    release();
    expect(await applied).toBe(true);
    expect(app.config.accounts).toEqual([NEW]);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector("sip-account-form")).toBeNull();
  });

  it("a first start whose provisioning fails shows the set-up form after all", async () => {
    const app = new FakePhoneApp();
    const release = app.holdStart();
    nextApp = app;
    const el = document.createElement("sip-phone");
    document.body.append(el);
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => ({ ok: false, status: 404, redirected: false })),
    );
    const applied = el.provision("/provision/missing.json");
    release();
    expect(await applied).toBe(false);
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector("sip-account-form")).not.toBeNull());
    expect(notice(el)).toContain("/provision/missing.json");
  });

  it("replacing lines shows what changes and applies only on yes", async () => {
    const { el, app } = await mountPhone();
    // No password in the file: the saved one is not kept for another server (saved-secrets.ts).
    serve({ version: 1, accounts: [{ ...OFFICE, password: "", servers: ["wss://other.test/ws"] }, NEW] });
    const declined = el.provision("/provision/x.json");
    const q = await shownQuestion(el);
    expect([...q.shadowRoot!.querySelectorAll("li")].map((li) => li.textContent)).toEqual([
      "Office: servers wss://pbx.test/ws → wss://other.test/ws; password changes",
      "New line sip:2000@pbx.test: sip:2000@pbx.test on wss://pbx.test/ws",
    ]);
    expect(buttonNames(q)).toEqual(["Apply", "Cancel"]);
    button(q, "Cancel").click();
    expect(await declined).toBe(false);
    await el.updateComplete;
    expect(notice(el)).toBe("Provisioning from /provision/x.json was not applied: your lines are unchanged.");
    expect(app.config.accounts).toEqual([OFFICE]);

    const applied = el.provision("/provision/x.json");
    button(await shownQuestion(el), "Apply").click();
    expect(await applied).toBe(true);
    expect(app.config.accounts.map((a) => a.id)).toEqual(["l1", "n"]);
  });
});

describe("<sip-phone>: nothing reachable yields a secret", () => {
  it("answers context requests from its own shadow tree only, never from light-DOM children", async () => {
    const { el } = await mountPhone();
    const child = el.appendChild(document.createElement("div"));
    const answers: unknown[] = [];
    for (const context of [appContext, phoneContext]) {
      const event = new Event("context-request", { bubbles: true, composed: true });
      Object.assign(event, { context, contextTarget: child, callback: (v: unknown) => answers.push(v), subscribe: false });
      child.dispatchEvent(event);
    }
    expect(answers).toEqual([]);
    // The same request from inside the shadow tree is answered (that is how the views get them).
    const inside = el.shadowRoot!.appendChild(document.createElement("div"));
    const event = new Event("context-request", { bubbles: true, composed: true });
    Object.assign(event, { context: appContext, contextTarget: inside, callback: (v: unknown) => answers.push(v), subscribe: false });
    inside.dispatchEvent(event);
    expect(answers).toHaveLength(1);
    expect(Object.keys(answers[0] as object)).toContain("accounts");
  });

  it("no path from the element, its controllers or any element in its shadow tree reaches a password", async () => {
    const { el, app } = await mountPhone();
    el.showView("lines");
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector("sip-lines-editor")?.shadowRoot?.querySelector("table")).toBeTruthy());
    const found: string[] = [];
    const seen = new Set<unknown>();
    const walk = (v: unknown, path: string, depth: number): void => {
      if (v === null || v === undefined || depth > 8) return;
      if (typeof v === "string") {
        if (v.includes(OFFICE.password)) found.push(path);
        return;
      }
      if (typeof v !== "object" && typeof v !== "function") return;
      if (v === app || v === app.config || v === app.phone) found.push(path);
      if (seen.has(v) || v === window || v === document) return;
      seen.add(v);
      if (v instanceof Node) {
        // Elements: their own properties (what components set on themselves), and their shadow tree.
        if (v instanceof Element && v.shadowRoot) for (const c of v.shadowRoot.querySelectorAll("*")) walk(c, `${path} ${c.localName}`, 0);
      }
      if (v instanceof Set || v instanceof Map) [...v.values()].forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1));
      const names = new Set(Object.getOwnPropertyNames(v));
      if (v instanceof Node) {
        for (
          let p = Object.getPrototypeOf(v) as object | null;
          p && p !== HTMLElement.prototype;
          p = Object.getPrototypeOf(p) as object | null
        ) {
          for (const k of Object.getOwnPropertyNames(p)) if (!(p as object).constructor.name.startsWith("HTML")) names.add(k);
        }
      }
      for (const k of names) {
        if (k === "constructor" || k === "prototype" || (v instanceof Node && k in Node.prototype)) continue;
        let x: unknown;
        try {
          x = (v as Record<string, unknown>)[k];
        } catch {
          continue;
        }
        walk(x, `${path}.${k}`, depth + 1);
      }
    };
    walk(el, "el", 0);
    expect(found).toEqual([]);
    expect(seen.size).toBeGreaterThan(50);
    walk({ leak: new Set([{ pw: OFFICE.password }]) }, "control", 0);
    expect(found).toEqual(["control.leak[0].pw"]);
  });
});
