// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { RingtoneFileError } from "../app/ringtone-library.js";
import "./ringtone-settings.js";
import type { SipRingtoneSettings } from "./ringtone-settings.js";
import { button, choose, control } from "./test-support/dom.js";
import { FakeApp } from "./test-support/fake-app.js";
import { FakePhone, mountWith, text } from "./test-support/fake-phone.js";
import { loadViewWords } from "../i18n/languages.js";

afterEach(() => document.body.replaceChildren());

async function mount() {
  const app = new FakeApp();
  app.config = {
    version: 1,
    accounts: [
      { id: "l1", label: "Office", sipUri: "sip:1001@pbx.test", password: "pw", servers: ["wss://pbx.test/ws"], ringtone: "chime" },
      { id: "l2", label: "Support", sipUri: "sip:1004@pbx.test", password: "pw", servers: ["wss://pbx.test/ws"] },
    ],
  };
  app.ringtoneFiles = [{ id: "f1", name: "bell.ogg", type: "audio/ogg", size: 1000, added: 0 }];
  const el = await mountWith<SipRingtoneSettings>("sip-ringtone-settings", { phone: new FakePhone(), app });
  await vi.waitFor(() => expect(el.shadowRoot!.querySelectorAll("select").length).toBe(4));
  await el.updateComplete;
  return { el, app };
}

const settle = async (el: SipRingtoneSettings) => {
  await new Promise((r) => setTimeout(r, 0));
  await el.updateComplete;
};

// This test renders a view's components without the phone: their words (src/i18n/en-views.ts)
// are loaded as phone-views.ts loads them with the view.
beforeAll(() => loadViewWords());

describe("<sip-ringtone-settings>", () => {
  it("each line's tone and internal tone, built-in ones and the user's files, the chosen one selected", async () => {
    const { el } = await mount();
    const office = control<HTMLSelectElement>(el, "Ringtone for Office");
    expect([...office.options].map((o) => o.value)).toEqual(["classic", "european", "north-american", "chime", "internal", "file:f1"]);
    expect(office.value).toBe("chime");
    expect(control<HTMLSelectElement>(el, "Ringtone for Support").value).toBe("classic");
    expect(control<HTMLSelectElement>(el, "Internal calls on Support").value).toBe("internal");
  });

  it("a choice is saved for its line; the internal tone keeps the line's other kinds", async () => {
    const { el, app } = await mount();
    choose(control<HTMLSelectElement>(el, "Ringtone for Support"), "file:f1");
    await settle(el);
    expect(app.actions).toContainEqual(["setRingtones", "l2", { ringtone: "file:f1" }]);
    choose(control<HTMLSelectElement>(el, "Internal calls on Office"), "european");
    await settle(el);
    expect(app.actions).toContainEqual(["setRingtones", "l1", { alertTones: { internal: "european" } }]);
    expect(text(el)).toContain("Ringtone saved.");
  });

  it("preview plays the selected tone and stops on the second press", async () => {
    const { el, app } = await mount();
    const previews = el.shadowRoot!.querySelectorAll<HTMLButtonElement>("button");
    previews[0]!.click();
    await settle(el);
    expect(app.previews).toEqual(["chime"]);
    expect(previews[0]!.textContent!.trim()).toBe("Stop");
    previews[0]!.click();
    await settle(el);
    expect(app.previews).toEqual(["chime", "stop chime"]);
  });

  it("adds a file, and says why one is refused", async () => {
    const { el, app } = await mount();
    const input = control<HTMLInputElement>(el, "Add a ringtone file");
    const file = new File([new Uint8Array(10)], "ring.wav", { type: "audio/wav" });
    Object.defineProperty(input, "files", { value: [file], configurable: true });
    input.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(text(el)).toContain("ring.wav added."));
    expect([...control<HTMLSelectElement>(el, "Ringtone for Office").options].map((o) => o.value)).toContain("file:f2");

    app.fail("ringtones", new RingtoneFileError("too-big"));
    input.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(text(el)).toContain("larger than 1 MB"));
  });

  it("removes a file", async () => {
    const { el, app } = await mount();
    button(el, "Remove bell.ogg").click();
    await settle(el);
    expect(app.ringtoneFiles).toEqual([]);
    expect(el.shadowRoot!.querySelector("li")).toBeNull();
  });
});
