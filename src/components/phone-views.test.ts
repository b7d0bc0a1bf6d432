// @vitest-environment happy-dom
import { render } from "lit";
import { describe, expect, it, vi } from "vitest";
import { english } from "../i18n/languages.js";
import { recentLog } from "../sip/core/logger.js";
import { PhoneViews } from "./phone-views.js";

// The views' words can be held back (a slow network): loadViewWords() waits for `held.words`.
const held = vi.hoisted(() => ({ words: Promise.resolve() }));
vi.mock("../i18n/languages.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../i18n/languages.js")>();
  return { ...real, loadViewWords: () => held.words.then(() => real.loadViewWords()) };
});

function views() {
  const host = { requestUpdate: () => undefined, showNotice: () => undefined };
  const v = new PhoneViews(host, () => undefined);
  const draw = () => {
    const box = document.createElement("div");
    const [tabs, view] = [document.createElement("div"), document.createElement("div")];
    render(v.renderTabs(true, { missed: 0, unread: 0 }), tabs);
    render(v.renderView(false, undefined), view);
    box.append(tabs, view);
    return box;
  };
  return { v, draw };
}

const tabIds = (box: HTMLElement) => [...box.querySelectorAll('[role="tab"]')].map((t) => t.id);

describe("PhoneViews with two panes", () => {
  it("one pane: the dialpad's tab comes first and is the open view", () => {
    const { v, draw } = views();
    const box = draw();
    expect(tabIds(box)[0]).toBe("tab-phone");
    expect(box.querySelector('[aria-selected="true"]')?.id).toBe("tab-phone");
    expect(box.querySelector("sip-dialpad")).not.toBeNull();
    expect(v.current).toBe("phone");
  });

  it("two panes: no dialpad tab or dialpad in the view pane; the history stands for it, in the tab order", async () => {
    const { v, draw } = views();
    v.wide = true;
    const box = draw();
    expect(tabIds(box)).toEqual(["tab-history", "tab-messages", "tab-contacts", "tab-lines", "tab-settings"]);
    expect(v.current).toBe("history");
    const selected = box.querySelector<HTMLElement>('[aria-selected="true"]');
    expect(selected?.id).toBe("tab-history");
    expect(selected?.getAttribute("tabindex")).toBe("0");
    expect(box.querySelector('[role="tabpanel"]')?.getAttribute("aria-labelledby")).toBe("tab-history");
    expect(box.querySelector("sip-dialpad")).toBeNull();
    // The history shows once its module and the views' words are here.
    await vi.waitFor(() => expect(draw().querySelector("sip-history")).not.toBeNull());
    // The dialpad has its own pane.
    const pane = document.createElement("div");
    render(v.renderDialpad(false, undefined), pane);
    expect(pane.querySelector("sip-dialpad")).not.toBeNull();
    render(v.renderDialpad(true, undefined), pane);
    expect(pane.querySelector("sip-dialpad")).toBeNull();
  });

  it("two panes: another view stays open, and back to one pane the dialpad's view returns", async () => {
    const { v, draw } = views();
    v.wide = true;
    v.open("contacts");
    await vi.waitFor(() => expect(draw().querySelector("sip-contacts")).not.toBeNull());
    v.open("phone");
    v.wide = false;
    expect(draw().querySelector("sip-dialpad")).not.toBeNull();
  });
});

describe("PhoneViews loading a view", () => {
  it("shows it once its words are here too, not as soon as its module is", async () => {
    let release!: () => void;
    held.words = new Promise((resolve) => (release = resolve));
    const { v, draw } = views();
    v.open("lines");
    await vi.waitFor(() => expect(customElements.get("sip-lines-editor")).toBeDefined());
    await new Promise((r) => setTimeout(r, 20));
    expect(draw().querySelector("sip-lines-editor")).toBeNull();
    release();
    await vi.waitFor(() => expect(draw().querySelector("sip-lines-editor")).not.toBeNull());
    expect(english.t("lines.add")).toBe("Add line");
  });

  it("has a message missing at run time said in the phone's log, once, and its id shown", () => {
    const missing = "no.such.message" as "lines.add";
    expect(english.t(missing)).toBe("no.such.message");
    expect(english.t(missing)).toBe("no.such.message");
    expect(recentLog().filter((line) => line.includes('[words] no message "no.such.message" in "en"'))).toHaveLength(1);
  });
});
