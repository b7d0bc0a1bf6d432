// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getLogger, setLogLevel } from "../sip/core/logger.js";
import "./retention-setting.js";
import "./settings-general.js";
import type { SipRetentionSetting } from "./retention-setting.js";
import type { SipSettingsGeneral } from "./settings-general.js";
import { control, typeInto } from "./test-support/dom.js";
import { FakeApp } from "./test-support/fake-app.js";
import { FakePhone, mountWith, text } from "./test-support/fake-phone.js";
import { loadViewWords } from "../i18n/languages.js";

afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  setLogLevel("warn");
});

// This test renders a view's components without the phone: their words (src/i18n/en-views.ts)
// are loaded as phone-views.ts loads them with the view.
beforeAll(() => loadViewWords());

describe("Settings → General: call history kept", () => {
  it("shows the retention in force; numbers typed are saved as the one historyRetention setting", async () => {
    const app = new FakeApp();
    app.settings = { historyViewedAt: 0, historyRetention: { maxEntries: 1000, maxAgeDays: 0 } };
    const el = await mountWith<SipRetentionSetting>("sip-retention-setting", { app });
    expect(control(el, "Calls kept at most").value).toBe("1000");
    expect(control(el, "Days a call is kept").value).toBe("0");
    expect(text(el)).toMatch(/Keep 1,000 calls|Keep 1\s?000 calls/);
    // More than before deletes nothing: no question.
    const confirm = vi.fn(() => true);
    vi.stubGlobal("confirm", confirm);
    typeInto(control(el, "Calls kept at most"), "5000", "change");
    expect(confirm).not.toHaveBeenCalled();
    await vi.waitFor(() =>
      expect(app.actions).toContainEqual(["updateSettings", { historyRetention: { maxEntries: 5000, maxAgeDays: 0 } }]),
    );
  });

  it("fewer deletes calls: asked first; no keeps the setting and the fields as they were", async () => {
    const app = new FakeApp();
    const el = await mountWith<SipRetentionSetting>("sip-retention-setting", { app });
    const confirm = vi.fn((_question: string) => false);
    vi.stubGlobal("confirm", confirm);
    typeInto(control(el, "Days a call is kept"), "7", "change");
    expect(confirm.mock.calls[0]![0]).toMatch(/Keep 10,?\s?000 calls, at most 7 days: older calls are deleted now/);
    await el.updateComplete;
    expect(control(el, "Days a call is kept").value).toBe("365");
    expect(app.actions).toEqual([]);
    confirm.mockReturnValue(true);
    typeInto(control(el, "Days a call is kept"), "7", "change");
    await vi.waitFor(() =>
      expect(app.actions).toContainEqual(["updateSettings", { historyRetention: { maxEntries: 10_000, maxAgeDays: 7 } }]),
    );
  });

  it("what is not a whole number is refused in words; a change elsewhere (the History view) shows here", async () => {
    const app = new FakeApp();
    const el = await mountWith<SipRetentionSetting>("sip-retention-setting", { app });
    typeInto(control(el, "Calls kept at most"), "-3", "change");
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).toMatch(/whole number/);
    expect(app.actions).toEqual([]);
    await app.updateSettings({ historyRetention: { maxEntries: 10_000, maxAgeDays: 30 } });
    await el.updateComplete;
    expect(control(el, "Days a call is kept").value).toBe("30");
  });
});

describe("Settings → General: log level", () => {
  it("the level chosen is saved (settings.logLevel); the diagnostics file carries what it let through", async () => {
    const app = new FakeApp();
    const el = await mountWith<SipSettingsGeneral>("sip-settings-general", { app, phone: new FakePhone() });
    const select = control<HTMLSelectElement>(el, "Log level");
    expect(select.value).toBe("warn");
    expect([...select.options].map((o) => o.textContent)).toEqual([
      "Off",
      "Errors",
      "Errors and warnings",
      "Information",
      "Everything (debug)",
    ]);
    select.value = "debug";
    select.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(app.actions).toContainEqual(["updateSettings", { logLevel: "debug" }]));

    // PhoneApp.updateSettings sets the logger's level (app/phone-app.ts); here by hand.
    vi.spyOn(console, "debug").mockImplementation(() => undefined);
    setLogLevel("debug");
    getLogger("test").debug("a debug line for the file");
    let blob: Blob | undefined;
    vi.spyOn(URL, "createObjectURL").mockImplementation((b) => ((blob = b as Blob), "blob:x"));
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => undefined);
    [...el.shadowRoot!.querySelectorAll("button")].find((b) => /Export diagnostics/.test(b.textContent!))!.click();
    await vi.waitFor(() => expect(blob).toBeDefined());
    const file = await blob!.text();
    expect(file).toMatch(/--- Log \(level debug\) ---\n[\s\S]*debug \[test\] a debug line for the file/);
  });
});
