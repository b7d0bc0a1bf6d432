// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import "./account-form.js";
import type { SipAccountForm } from "./account-form.js";
import type { AccountConfig, ConfigProblem } from "../config/phone-config.js";
import type { AccountView } from "./app-context.js";
import { accountView } from "./app-service.js";
import { button, choose, control, typeInto } from "./test-support/dom.js";
import { loadViewWords } from "../i18n/languages.js";

afterEach(() => document.body.replaceChildren());

async function mountForm(account?: AccountView, problems: ConfigProblem[] = []) {
  const el = document.createElement("sip-account-form");
  el.account = account;
  el.problems = problems;
  const saved: AccountConfig[] = [];
  let cancelled = 0;
  // Listened for on the element, as <sip-lines-editor> and <sip-phone> do.
  const page = document.body.appendChild(document.createElement("div"));
  el.addEventListener("account-save", (e) => saved.push(e.detail));
  page.addEventListener("account-cancel", () => cancelled++);
  page.append(el);
  await el.updateComplete;
  return { el, saved, cancelled: () => cancelled };
}

const field = (el: SipAccountForm, label: string) => control<HTMLInputElement & HTMLTextAreaElement>(el, label);

async function save(el: SipAccountForm) {
  await el.updateComplete;
  el.shadowRoot!.querySelector("form")!.requestSubmit();
}

const officeSaved: AccountConfig = {
  id: "office",
  label: "Office",
  sipUri: "sip:1001@pbx.example.com",
  password: "s3cret",
  servers: ["wss://a.example.com/ws", "wss://b.example.com/ws"],
  displayName: "Alice",
  authUser: "alice",
  outboundProxy: "sip:proxy.example.com;lr",
  enabled: false,
  register: false,
  expires: 300,
  dtmf: "info",
  iceServers: [{ urls: "turn:turn.example.com:3478", username: "alice", credential: "t0ken" }],
  autoAnswer: true,
  deskPhone: "sip:1001-desk@pbx.example.com",
  clickToCall: "desk",
  referPolicy: "ask",
  deskPhoneAnswer: "alert-info",
  deskPhoneTimeout: 30,
  numberRules: { dial: [{ search: "^9(.*)", replace: "\\1" }] },
  dialLinksWithoutConfirm: true,
  followDomains: ["example.com"],
};
/** What the editor gets of it: no password, no TURN credential. */
const office = accountView(officeSaved);

// This test renders a view's components without the phone: their words (src/i18n/en-views.ts)
// are loaded as phone-views.ts loads them with the view.
beforeAll(() => loadViewWords());

describe("<sip-account-form>", () => {
  it("a new line: what the user typed is saved trimmed, servers one per line, blanks left out", async () => {
    const { el, saved } = await mountForm();
    expect(field(el, "Registration expiry (s)").value).toBe("600");
    typeInto(field(el, "SIP address"), "  sip:1002@pbx.example.com ");
    typeInto(field(el, "Password"), "pw with spaces ");
    typeInto(field(el, "WebSocket servers"), "wss://a.example.com/ws\n\n  wss://b.example.com/ws  \n");
    typeInto(field(el, "Label"), "   ");
    await save(el);
    expect(saved).toHaveLength(1);
    const { id, ...rest } = saved[0]!;
    expect(id).toMatch(/^line-[0-9a-z]+$/);
    expect(rest).toEqual({
      sipUri: "sip:1002@pbx.example.com",
      password: "pw with spaces ",
      servers: ["wss://a.example.com/ws", "wss://b.example.com/ws"],
      enabled: true,
      register: true,
      expires: 600,
      dtmf: "rfc4733",
      autoAnswer: false,
      clickToCall: "browser",
    });
  });

  it("an existing line is shown in the fields and saved back unchanged, with its id; its secrets were never there", async () => {
    const { el, saved } = await mountForm(office);
    expect(field(el, "Label").value).toBe("Office");
    expect(field(el, "WebSocket servers").value).toBe("wss://a.example.com/ws\nwss://b.example.com/ws");
    expect(field(el, "ICE servers").value).toBe("turn:turn.example.com:3478 alice");
    expect(field(el, "Password").value).toBe("");
    expect(field(el, "Password").placeholder).toBe("Saved: leave empty to keep it");
    expect(field(el, "Enabled").checked).toBe(false);
    expect(control<HTMLSelectElement>(el, "DTMF").value).toBe("info");
    expect(control<HTMLSelectElement>(el, "When the other side transfers you").value).toBe("ask");
    await save(el);
    // Empty password and credential: the app keeps the saved ones (app/saved-secrets.ts).
    expect(saved).toEqual([{ ...officeSaved, password: "", iceServers: [{ urls: "turn:turn.example.com:3478", username: "alice" }] }]);
    expect(JSON.stringify(el.account)).not.toMatch(/s3cret|t0ken/);
  });

  it("settings the form has no field for are kept as they were (trust, relay policy, timeouts, feature codes)", async () => {
    const extra = {
      iceTransportPolicy: "relay" as const,
      rtpTimeout: 30,
      ringTimeout: 45,
      followDomains: ["corp.example.com"],
      voicemailNumber: "*97",
      internalCallers: { extensionLength: 4 },
    };
    const { el, saved } = await mountForm({ ...office, ...extra });
    await save(el);
    expect(saved[0]).toMatchObject(extra);
    expect(saved[0]).not.toHaveProperty("passwordSaved");
  });

  it("a choice set back to its default, or a field emptied, leaves the setting out (not the old value)", async () => {
    const { el, saved } = await mountForm(office);
    choose(control<HTMLSelectElement>(el, "When the other side transfers you"), "always");
    typeInto(field(el, "Label"), "");
    await save(el);
    expect(saved[0]).not.toHaveProperty("referPolicy");
    expect(saved[0]).not.toHaveProperty("label");
  });

  it("says the password must be typed again once the address, user, servers or proxy change", async () => {
    const { el, saved } = await mountForm(office);
    const help = () => el.shadowRoot!.querySelector("#password-help")!.textContent!.trim();
    expect(help()).toBe("The SIP password (stored encrypted in this browser)");
    typeInto(field(el, "WebSocket servers"), "wss://other.example.net/ws");
    await el.updateComplete;
    expect(help()).toBe(
      "You changed the address, user, servers or proxy: type the password again (a saved password is only sent where it was saved for)",
    );
    typeInto(field(el, "Password"), "new-pw");
    await el.updateComplete;
    expect(help()).toBe("The SIP password (stored encrypted in this browser)");
    await save(el);
    expect(saved[0]).toMatchObject({ servers: ["wss://other.example.net/ws"], password: "new-pw" });
  });

  it("the saved line (with the password just typed) goes to the element's own listener only, not out to the page", async () => {
    const { el, saved } = await mountForm();
    const outside: unknown[] = [];
    document.addEventListener("account-save", (e) => outside.push((e as CustomEvent).detail));
    typeInto(field(el, "SIP address"), "sip:1002@pbx.example.com");
    typeInto(field(el, "Password"), "typed-secret");
    await save(el);
    expect(saved).toHaveLength(1);
    expect(outside).toEqual([]);
  });

  it("checkboxes, choices and the number settings go into the saved line", async () => {
    const { el, saved } = await mountForm({ id: "l1", sipUri: "sip:1@pbx.test", passwordSaved: false, servers: ["wss://pbx.test"] });
    choose(field(el, "Enabled"), false);
    choose(field(el, "Auto-answer"), true);
    choose(control<HTMLSelectElement>(el, "DTMF"), "info");
    choose(control<HTMLSelectElement>(el, "Click-to-call"), "reverse");
    choose(control<HTMLSelectElement>(el, "Desk phone auto-answer"), "none");
    choose(control<HTMLSelectElement>(el, "When the other side transfers you"), "never");
    typeInto(field(el, "ICE servers"), "stun:stun.example.com\nturn:a.example.com,turns:b.example.com:5349 bob pw");
    typeInto(field(el, "Desk phone answer time (s)"), "45");
    const numbers = el.shadowRoot!.querySelector("sip-number-settings")!;
    numbers.dispatchEvent(
      new CustomEvent("numbers-change", { detail: { numberRules: { dial: [{ search: "^0(.*)", replace: "\\1" }] } }, bubbles: true }),
    );
    await save(el);
    expect(saved[0]).toMatchObject({
      enabled: false,
      autoAnswer: true,
      dtmf: "info",
      clickToCall: "reverse",
      deskPhoneAnswer: "none",
      referPolicy: "never",
      deskPhoneTimeout: 45,
      iceServers: [
        { urls: "stun:stun.example.com" },
        { urls: ["turn:a.example.com", "turns:b.example.com:5349"], username: "bob", credential: "pw" },
      ],
      numberRules: { dial: [{ search: "^0(.*)", replace: "\\1" }] },
    });
  });

  it("numbers go to the host as typed, for it to check the range; an emptied one is left out for the default", async () => {
    const { el, saved } = await mountForm(office);
    typeInto(field(el, "Registration expiry (s)"), "30");
    typeInto(field(el, "Desk phone answer time (s)"), "");
    await save(el);
    expect(saved[0]!.expires).toBe(30);
    expect(saved[0]).not.toHaveProperty("deskPhoneTimeout");
  });

  it("shows each problem under its field, marks the field invalid, and nested ones by their path", async () => {
    const { el } = await mountForm(office, [
      { field: "accounts[0].sipUri", message: "must be a SIP address such as sip:alice@pbx.example.com" },
      { field: "accounts[0].servers[1]", message: '"http://x" must start with wss://' },
      { field: "accounts[0].numberRules.dial[0].search", message: "is not a valid regular expression" },
    ]);
    const sipUri = field(el, "SIP address");
    expect(sipUri.getAttribute("aria-invalid")).toBe("true");
    expect(sipUri.closest(".field")!.querySelector('[role="alert"]')!.textContent).toBe(
      "must be a SIP address such as sip:alice@pbx.example.com",
    );
    const servers = field(el, "WebSocket servers");
    expect(servers.getAttribute("aria-invalid")).toBe("true");
    expect(servers.closest(".field")!.querySelector('[role="alert"]')!.textContent).toBe('"http://x" must start with wss://');
    expect(field(el, "Label").getAttribute("aria-invalid")).toBe("false");
    const alerts = [...el.shadowRoot!.querySelectorAll('[role="alert"]')].map((a) => a.textContent!.trim());
    expect(alerts).toContain("numberRules.dial[0].search: is not a valid regular expression");
    expect(alerts).toHaveLength(3);
  });

  it("a problem with the whole line is shown above the buttons", async () => {
    const { el } = await mountForm(office, [{ field: "accounts[2]", message: "must be an object" }]);
    const alerts = [...el.shadowRoot!.querySelectorAll('[role="alert"]')].map((a) => a.textContent!.trim());
    expect(alerts).toEqual(["must be an object"]);
  });

  it("shows the host's status and cancels without saving", async () => {
    const { el, saved, cancelled } = await mountForm(office);
    el.status = "Saving…";
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent).toBe("Saving…");
    button(el, "Cancel").click();
    expect(cancelled()).toBe(1);
    expect(saved).toEqual([]);
  });

  it("every field has a label and its help text", async () => {
    const { el } = await mountForm();
    const controls = [...el.shadowRoot!.querySelectorAll("input:not([type=hidden]), textarea, select")].filter(
      (c) => !c.closest("sip-number-settings"),
    );
    expect(controls.length).toBeGreaterThan(15);
    for (const c of controls) {
      expect(el.shadowRoot!.querySelector(`label[for="${c.id}"]`), `label for ${c.id}`).not.toBeNull();
      const help = c.getAttribute("aria-describedby");
      if (help) expect(el.shadowRoot!.querySelector(`[id="${help}"]`)!.textContent!.trim()).not.toBe("");
    }
  });
});
