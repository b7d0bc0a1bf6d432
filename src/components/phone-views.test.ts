// @vitest-environment happy-dom
import { render } from "lit";
import { describe, expect, it } from "vitest";
import { PhoneViews } from "./phone-views.js";

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

  it("two panes: no dialpad tab or dialpad in the view pane; the history stands for it, in the tab order", () => {
    const { v, draw } = views();
    v.wide = true;
    const box = draw();
    expect(tabIds(box)).toEqual(["tab-history", "tab-messages", "tab-contacts", "tab-lines", "tab-settings"]);
    expect(v.current).toBe("history");
    const selected = box.querySelector<HTMLElement>('[aria-selected="true"]');
    expect(selected?.id).toBe("tab-history");
    expect(selected?.getAttribute("tabindex")).toBe("0");
    expect(box.querySelector('[role="tabpanel"]')?.getAttribute("aria-labelledby")).toBe("tab-history");
    expect(box.querySelector("sip-history")).not.toBeNull();
    expect(box.querySelector("sip-dialpad")).toBeNull();
    // The dialpad has its own pane.
    const pane = document.createElement("div");
    render(v.renderDialpad(false, undefined), pane);
    expect(pane.querySelector("sip-dialpad")).not.toBeNull();
    render(v.renderDialpad(true, undefined), pane);
    expect(pane.querySelector("sip-dialpad")).toBeNull();
  });

  it("two panes: another view stays open, and back to one pane the dialpad's view returns", () => {
    const { v, draw } = views();
    v.wide = true;
    v.open("contacts");
    expect(draw().querySelector("sip-contacts")).not.toBeNull();
    v.open("phone");
    v.wide = false;
    expect(draw().querySelector("sip-dialpad")).not.toBeNull();
  });
});
