// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import "./lines-editor.js";
import type { SipLinesEditor } from "./lines-editor.js";
import { ConfigError, type AccountConfig } from "../config/phone-config.js";
import { LineState } from "../sip/api/line-state.js";
import { PhoneError } from "../sip/api/phone-errors.js";
import { button, buttonNames, captureDownloads, choose, control, typeInto } from "./test-support/dom.js";
import { FakeApp } from "./test-support/fake-app.js";
import { FakePhone, mountWith, text } from "./test-support/fake-phone.js";
import { loadViewWords } from "../i18n/languages.js";

afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const office: AccountConfig = { id: "l1", label: "Office", sipUri: "sip:1001@pbx.test", password: "pw1", servers: ["wss://pbx.test"] };
const spare: AccountConfig = { id: "l2", sipUri: "sip:1002@pbx.test", password: "pw2", servers: ["wss://pbx.test"], enabled: false };
const support: AccountConfig = { id: "l3", label: "Support", sipUri: "sip:2000@pbx.test", password: "pw3", servers: ["wss://pbx.test"] };

async function mountEditor(accounts: AccountConfig[] = [office, spare, support]) {
  const phone = new FakePhone();
  phone.lines = [
    { id: "l1", label: "Office", aor: office.sipUri, state: LineState.Registered, server: "wss://pbx.test", dnd: true, forwardTo: "1009" },
    {
      id: "l3",
      label: "Support",
      aor: support.sipUri,
      state: LineState.Failed,
      server: "wss://pbx.test",
      error: { kind: "auth", code: 403, message: "Authentication failed (403): check user and password" },
    },
  ];
  const app = new FakeApp();
  app.config = { version: 1, accounts };
  const el = await mountWith<SipLinesEditor>("sip-lines-editor", { phone, app });
  return { el, phone, app };
}

function row(el: SipLinesEditor, id: string) {
  const tr = el.shadowRoot!.querySelector(`tr[data-line="${id}"]`)!;
  const [line, state] = [...tr.querySelectorAll("td")];
  const error = state!.querySelector(".error")?.textContent;
  const own = (td: Element) =>
    [...td.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE || (n instanceof Element && !n.classList.contains("error")))
      .map((n) => n.textContent)
      .join(" ")
      .replace(/\s+/g, " ")
      .trim();
  return { line: own(line!), state: own(state!), ...(error ? { error } : {}) };
}

const status = (el: SipLinesEditor) => el.shadowRoot!.querySelector('[role="status"]')?.textContent!.trim();
const pressed = (el: SipLinesEditor, name: string) => button(el, name).getAttribute("aria-pressed");

/** Clicks and waits until the editor has rendered what the app did. */
async function press(el: SipLinesEditor, name: string) {
  button(el, name).click();
  for (let i = 0; i < 3; i++) await Promise.resolve();
  await el.updateComplete;
}

// This test renders a view's components without the phone: their words (src/i18n/en-views.ts)
// are loaded as phone-views.ts loads them with the view.
beforeAll(() => loadViewWords());

describe("<sip-lines-editor>", () => {
  it("shows every line with its address and its state: DND, forwarding, why it failed, disabled", async () => {
    const { el } = await mountEditor();
    expect(row(el, "l1")).toEqual({ line: "Office sip:1001@pbx.test", state: "registered · DND · → 1009" });
    expect(row(el, "l2")).toEqual({ line: "sip:1002@pbx.test sip:1002@pbx.test", state: "disabled" });
    expect(row(el, "l3")).toEqual({
      line: "Support sip:2000@pbx.test",
      state: "failed",
      error: "Authentication failed (403): check user and password",
    });
    expect(pressed(el, "Enabled: Office")).toBe("true");
    // The visible word is the button's name (WCAG 2.5.3); the state is aria-pressed.
    expect(button(el, "Enabled: sip:1002@pbx.test").textContent!.trim()).toBe("Enabled");
    expect(pressed(el, "Enabled: sip:1002@pbx.test")).toBe("false");
    expect(pressed(el, "DND (do not disturb): Office")).toBe("true");
    expect(pressed(el, "DND (do not disturb): Support")).toBe("false");
  });

  it("follows the phone's line states", async () => {
    const { el, phone } = await mountEditor([office]);
    phone.setLine({ state: LineState.Connecting, dnd: false, forwardTo: undefined });
    await el.updateComplete;
    expect(row(el, "l1").state).toBe("connecting");
  });

  it("the first line is the default until another is chosen", async () => {
    const { el, app } = await mountEditor();
    expect(pressed(el, "Default line: Office")).toBe("true");
    expect(pressed(el, "Default line: Support")).toBe("false");
    await press(el, "Default line: Support");
    expect(app.actions).toEqual([["updateSettings", { defaultLineId: "l3" }]]);
    expect(pressed(el, "Default line: Support")).toBe("true");
    expect(pressed(el, "Default line: Office")).toBe("false");
  });

  it("turns a line off and on, and DND on and off", async () => {
    const { el, app } = await mountEditor();
    await press(el, "Enabled: Office");
    await press(el, "Enabled: sip:1002@pbx.test");
    await press(el, "DND (do not disturb): Office");
    await press(el, "DND (do not disturb): Support");
    expect(app.actions).toEqual([
      ["setEnabled", "l1", false],
      ["setEnabled", "l2", true],
      ["setDnd", false, "l1", undefined],
      ["setDnd", true, "l3", undefined],
    ]);
    expect(pressed(el, "Enabled: Office")).toBe("false");
    expect(pressed(el, "Enabled: sip:1002@pbx.test")).toBe("true");
  });

  it("says why a change failed", async () => {
    const { el, app } = await mountEditor();
    app.fail("setDnd", new Error("Could not save the settings: storage is full"));
    await press(el, "DND (do not disturb): Office");
    expect(status(el)).toBe("Could not save the settings: storage is full");
  });

  it("edits a line in the account form and saves it through the app", async () => {
    const { el, app } = await mountEditor();
    await press(el, "Edit Office");
    const form = el.shadowRoot!.querySelector("sip-account-form")!;
    // The form never gets the password: the app keeps the saved one (same address and servers).
    const { password: _saved, ...withoutPassword } = office;
    expect(form.account).toEqual({ ...withoutPassword, passwordSaved: true });
    typeInto(control(form, "Label"), "Front office");
    await form.updateComplete;
    form.shadowRoot!.querySelector("form")!.requestSubmit();
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector("sip-account-form")).toBeNull());
    // What the form adds of its own (defaults) is the form's business: here, that the edit reaches the app.
    expect(app.actions.map(([method]) => method)).toEqual(["saveAccount"]);
    expect(app.actions[0]![1]).toMatchObject({ ...office, password: "", label: "Front office" });
    expect(app.config.accounts[0]).toMatchObject({ label: "Front office", password: "pw1" });
    expect(row(el, "l1").line).toBe("Front office sip:1001@pbx.test");
    expect(status(el)).toBe("");
  });

  it("a line saved with another server and no new password is told it needs the password again", async () => {
    const { el, app } = await mountEditor();
    await press(el, "Edit Office");
    const form = el.shadowRoot!.querySelector("sip-account-form")!;
    typeInto(control<HTMLTextAreaElement>(form, "WebSocket servers"), "wss://other.test");
    await form.updateComplete;
    form.shadowRoot!.querySelector("form")!.requestSubmit();
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector("sip-account-form")).toBeNull());
    expect(app.config.accounts[0]).toMatchObject({ servers: ["wss://other.test"], password: "" });
    expect(status(el)).toBe("Office needs its password again: the address, user, servers or proxy changed, so the saved one was not kept");
  });

  it("holds no password: its app offers lines without secrets, and no configuration", async () => {
    const { el } = await mountEditor();
    const app = (el as unknown as { app: Record<string, unknown> }).app;
    expect(app.config).toBeUndefined();
    expect(app.exportText).toBeUndefined();
    expect(JSON.stringify(app.accounts)).not.toMatch(/pw1|pw2|pw3/);
    expect(JSON.stringify(app.accounts)).toContain('"passwordSaved":true');
  });

  it("keeps the form open with each problem at its field when the app refuses the line", async () => {
    const { el, app } = await mountEditor();
    app.fail("saveAccount", new ConfigError([{ field: "accounts[0].servers", message: "must list at least one wss:// server" }]));
    await press(el, "Edit Office");
    const form = el.shadowRoot!.querySelector("sip-account-form")!;
    form.shadowRoot!.querySelector("form")!.requestSubmit();
    await vi.waitFor(() => expect(form.problems).toHaveLength(1));
    await form.updateComplete;
    const servers = control(form, "WebSocket servers");
    expect(servers.getAttribute("aria-invalid")).toBe("true");
    expect(text(form)).toContain("must list at least one wss:// server");

    app.fail("saveAccount", new Error("Could not save: storage is full"));
    form.shadowRoot!.querySelector("form")!.requestSubmit();
    await vi.waitFor(() => expect(form.status).toBe("Could not save: storage is full"));
    expect(form.problems).toEqual([]);
    expect(el.shadowRoot!.querySelector("sip-account-form")).toBe(form);
  });

  it("adds a line from an empty form, and Cancel goes back to the list", async () => {
    const { el } = await mountEditor();
    await press(el, "Add line");
    const form = el.shadowRoot!.querySelector("sip-account-form")!;
    expect(form.account).toEqual({ id: expect.stringMatching(/^line-/), sipUri: "", servers: [], passwordSaved: false });
    button(form, "Cancel").click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector("sip-account-form")).toBeNull();
    expect(el.shadowRoot!.querySelectorAll("tbody tr")).toHaveLength(3);
  });

  it("deletes a line only after the user confirms", async () => {
    const { el, app } = await mountEditor();
    const confirm = vi.fn(() => false);
    vi.stubGlobal("confirm", confirm);
    await press(el, "Delete Support");
    expect(confirm).toHaveBeenCalledWith("Delete the line Support? Its settings and password are removed from this browser.");
    expect(app.actions).toEqual([]);
    confirm.mockReturnValue(true);
    await press(el, "Delete Support");
    expect(app.actions).toEqual([["removeAccount", "l3"]]);
    expect(el.shadowRoot!.querySelector('tr[data-line="l3"]')).toBeNull();
  });

  it("opens a line's SIP trace and comes back", async () => {
    const { el } = await mountEditor();
    await press(el, "SIP trace of Support");
    expect(el.shadowRoot!.querySelector("h3")!.textContent).toBe("SIP trace: Support");
    expect(el.shadowRoot!.querySelector("sip-trace-view")!.lineId).toBe("l3");
    await press(el, "Back to lines");
    expect(el.shadowRoot!.querySelector("sip-trace-view")).toBeNull();
    expect(el.shadowRoot!.querySelectorAll("tbody tr")).toHaveLength(3);
  });

  describe("import", () => {
    async function importFile(el: SipLinesEditor, file: File) {
      const input = control(el, "Import configuration file");
      Object.defineProperty(input, "files", { value: [file], configurable: true });
      input.dispatchEvent(new Event("change"));
    }

    it("imports a file through the app and says how many lines it had", async () => {
      const { el, app } = await mountEditor();
      const json = JSON.stringify({ version: 1, accounts: [office, support] });
      await importFile(el, new File([json], "phones.json", { type: "application/json" }));
      await vi.waitFor(() => expect(status(el)).toBe("Imported 2 lines from phones.json"));
      expect(app.actions).toEqual([["importText", json]]);
      expect(el.shadowRoot!.querySelectorAll("tbody tr")).toHaveLength(2);
    });

    it("an exported file (no passwords) keeps them; one that moves a line to another server says it needs its password", async () => {
      const { el, app } = await mountEditor();
      const json = JSON.stringify({
        version: 1,
        accounts: [
          { ...office, password: "" },
          { ...support, password: "", servers: ["wss://evil.test"] },
        ],
      });
      await importFile(el, new File([json], "phones.json", { type: "application/json" }));
      await vi.waitFor(() =>
        expect(status(el)).toBe(
          "Imported 2 lines from phones.json. Support needs its password again: the address, user, servers or proxy changed, so the saved one was not kept",
        ),
      );
      expect(app.config.accounts.map((a) => a.password)).toEqual(["pw1", ""]);
    });

    it("a file with problems names each one and changes nothing", async () => {
      const { el, app } = await mountEditor();
      app.fail(
        "importText",
        new ConfigError([
          { field: "accounts[0].sipUri", message: "must be a SIP address such as sip:alice@pbx.example.com" },
          { field: "accounts[1].servers", message: "must list at least one wss:// server" },
        ]),
      );
      await importFile(el, new File(["{}"], "old.json"));
      await vi.waitFor(() => expect(el.shadowRoot!.querySelector('[role="alert"]')).not.toBeNull());
      expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).toBe(
        "old.json was not imported, nothing changed:\n" +
          "accounts[0].sipUri: must be a SIP address such as sip:alice@pbx.example.com\n" +
          "accounts[1].servers: must list at least one wss:// server",
      );
      expect(el.shadowRoot!.querySelectorAll("tbody tr")).toHaveLength(3);
    });

    it("a file that cannot be stored says why", async () => {
      const { el, app } = await mountEditor();
      app.fail("importText", new Error("storage is full"));
      await importFile(el, new File(["{}"], "big.json"));
      await vi.waitFor(() =>
        expect(el.shadowRoot!.querySelector('[role="alert"]')?.textContent).toBe("big.json was not imported: storage is full"),
      );
    });
  });

  it("exports without passwords; with passwords only after a warning", async () => {
    const { el } = await mountEditor([office]);
    const files = captureDownloads();
    await press(el, "Export");
    expect(files.map((f) => [f.name, f.type])).toEqual([["phone-config.json", "application/json"]]);
    expect(JSON.parse(await files[0]!.text).accounts[0].password).toBe("");

    await press(el, "Export with passwords…");
    const warning = el.shadowRoot!.querySelector('[role="alertdialog"]')!;
    expect(warning.textContent).toContain("The file will contain your SIP and TURN passwords in plain text.");
    await press(el, "Cancel");
    expect(el.shadowRoot!.querySelector('[role="alertdialog"]')).toBeNull();
    expect(files).toHaveLength(1);

    await press(el, "Export with passwords…");
    button(el.shadowRoot!.querySelector<HTMLElement>('[role="alertdialog"]')!, "Export with passwords").click();
    await el.updateComplete;
    expect(files[1]!.name).toBe("phone-config-with-passwords.json");
    expect(JSON.parse(await files[1]!.text).accounts[0].password).toBe("pw1");
    expect(el.shadowRoot!.querySelector('[role="alertdialog"]')).toBeNull();
  });

  it("asks for notification permission on the user's click and says what it got", async () => {
    const requestPermission = vi.fn(async () => "denied" as NotificationPermission);
    vi.stubGlobal("Notification", { permission: "default", requestPermission });
    const { el } = await mountEditor();
    await press(el, "Notify me of incoming calls");
    expect(requestPermission).toHaveBeenCalledOnce();
    expect(status(el)).toBe(
      "Notifications are blocked: allow them in the browser's site settings to see incoming calls from other windows.",
    );
    requestPermission.mockResolvedValue("granted");
    await press(el, "Notify me of incoming calls");
    expect(status(el)).toBe("Incoming calls will show as notifications, with Answer and Decline.");
  });

  it("offers no notification button once they are allowed", async () => {
    vi.stubGlobal("Notification", { permission: "granted", requestPermission: vi.fn() });
    const { el } = await mountEditor();
    expect(buttonNames(el)).not.toContain("Notify me of incoming calls");
  });

  it("asks the browser to open tel: and sip: links here, and says when it refuses", async () => {
    const register = vi.fn();
    Object.defineProperty(navigator, "registerProtocolHandler", { value: register, configurable: true });
    try {
      const { el } = await mountEditor();
      await press(el, "Open tel: and sip: links with this phone");
      const url = `${location.origin}${location.pathname}?dial=%s`;
      expect(register.mock.calls).toEqual([
        ["tel", url],
        ["sip", url],
      ]);
      expect(status(el)).toBe("Asked your browser to open tel: and sip: links here: confirm in its prompt (next to the address bar).");
      register.mockImplementation(() => {
        throw new DOMException("The scheme is not allowed", "SecurityError");
      });
      await press(el, "Open tel: and sip: links with this phone");
      expect(status(el)).toBe("Your browser did not accept this phone for links: The scheme is not allowed");
    } finally {
      delete (navigator as { registerProtocolHandler?: unknown }).registerProtocolHandler;
    }
  });

  it("Forward opens the line's forwarding: each mode on with Clear, and a form that sets one through the app", async () => {
    const { el, phone, app } = await mountEditor();
    phone.setLine({ forward: { always: { to: "1009" }, "no-answer": { to: "1010", after: 15 } } });
    await el.updateComplete;
    button(el, "Forward calls: Office").click();
    await el.updateComplete;
    const form = el.shadowRoot!.querySelector("sip-forwarding-form")!;
    await form.updateComplete;
    expect(text(form)).toContain("always → 1009");
    expect(text(form)).toContain("when not answered (after 15 s) → 1010");
    button(form, "Stop forwarding when not answered").click();
    await vi.waitFor(() => expect(app.actions).toContainEqual(["setForward", "l1", undefined, { mode: "no-answer" }]));

    choose(control<HTMLSelectElement>(form, "Forward when"), "no-answer");
    await form.updateComplete;
    typeInto(control(form, "Forward to"), "1004");
    typeInto(control(form, "Seconds of ringing"), "5");
    form.shadowRoot!.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(app.actions).toContainEqual(["setForward", "l1", "1004", { mode: "no-answer", after: 5 }]));
  });

  it("a forwarding the phone refuses says why in words", async () => {
    const { el, app } = await mountEditor();
    app.fail("setForward", new PhoneError("x", "bad-state", { lineId: "l1", mode: "internal" }));
    button(el, "Forward calls: Office").click();
    await el.updateComplete;
    const form = el.shadowRoot!.querySelector("sip-forwarding-form")!;
    await form.updateComplete;
    choose(control<HTMLSelectElement>(form, "Forward when"), "internal");
    typeInto(control(form, "Forward to"), "1004");
    form.shadowRoot!.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() =>
      expect(form.shadowRoot!.querySelector('[role="alert"]')?.textContent).toBe(
        "This line does not say who is internal: set the extension length or pattern in its number settings",
      ),
    );
  });

  it("the trace heading names a line without a label by its SIP address, as the list does", async () => {
    const { el } = await mountEditor();
    await press(el, "SIP trace of sip:1002@pbx.test");
    expect(el.shadowRoot!.querySelector("h3")!.textContent).toBe("SIP trace: sip:1002@pbx.test");
    expect(el.shadowRoot!.querySelector("sip-trace-view")!.lineId).toBe("l2");

    // A label left empty in the form is no name either.
    const blank = await mountEditor([{ ...spare, label: "" }]);
    await press(blank.el, "SIP trace of sip:1002@pbx.test");
    expect(blank.el.shadowRoot!.querySelector("h3")!.textContent).toBe("SIP trace: sip:1002@pbx.test");
  });
});
