// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import "./number-settings.js";
import type { SipNumberSettings } from "./number-settings.js";
import { loadViewWords } from "../i18n/languages.js";

afterEach(() => document.body.replaceChildren());

async function mount(value: SipNumberSettings["value"]) {
  const el = document.createElement("sip-number-settings");
  el.value = value;
  const changes: unknown[] = [];
  el.addEventListener("numbers-change", (e) => changes.push(e.detail));
  document.body.append(el);
  await el.updateComplete;
  return { el, changes };
}

const q = <T extends Element>(el: SipNumberSettings, sel: string) => el.shadowRoot!.querySelector<T>(sel)!;

async function type(el: SipNumberSettings, sel: string, value: string, event = "input") {
  const input = q<HTMLInputElement>(el, sel);
  input.value = value;
  input.dispatchEvent(new Event(event));
  await new Promise((r) => setTimeout(r, 20));
  await el.updateComplete;
}

// This test renders a view's components without the phone: their words (src/i18n/en-views.ts)
// are loaded as phone-views.ts loads them with the view.
beforeAll(() => loadViewWords());

describe("<sip-number-settings>", () => {
  it("the live tester shows each rule's outcome and which one is used", async () => {
    const { el } = await mount({
      numberRules: {
        dial: [
          { search: "^(0", replace: "" },
          { search: "^0(.*)", replace: "\\1" },
          { search: "^01(.*)", replace: "X\\1" },
        ],
      },
    });
    await type(el, 'input[aria-label="Number to try"]', "0123");
    const items = [...el.shadowRoot!.querySelectorAll("ol li")].map((li) => li.textContent!.trim().replace(/\s+/g, " "));
    expect(items[0]).toMatch(/^invalid: not a valid regular expression/);
    expect(items[1]).toBe('matches → "123" (used)');
    expect(items[2]).toBe('matches → "X23" (not used: an earlier rule matched)');
    expect(q(el, "output").textContent).toBe("123");
  });

  it("with a location the tester shows the canonical and PBX forms first", async () => {
    const { el } = await mount({ location: { countryCode: "43", areaCode: "1", outsideLine: "0", dialFormat: "prefixed" } });
    await type(el, 'input[aria-label="Number to try"]', "+43 (1) 5056410");
    // The number code loads on first use: wait for the answer, however long the import takes.
    await vi.waitFor(() => expect(el.shadowRoot!.textContent).toContain("Canonical +4315056410; to the PBX as 0015056410"), {
      timeout: 5000,
    });
    expect(q(el, "output").textContent).toBe("0015056410");
  });

  it("adding and editing a rule reports the whole value", async () => {
    const { el, changes } = await mount({});
    [...el.shadowRoot!.querySelectorAll("button")].find((b) => b.textContent === "Add rule")!.click();
    await el.updateComplete;
    await type(el, 'input[aria-label="Search 1"]', "^80(.*)", "change");
    await type(el, 'input[aria-label="Replace 1"]', "0\\1", "change");
    expect(changes.at(-1)).toEqual({ numberRules: { dial: [{ search: "^80(.*)", replace: "0\\1" }] } });
  });
});
