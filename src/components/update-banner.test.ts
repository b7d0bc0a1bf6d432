// @vitest-environment happy-dom
import { render } from "lit";
import { describe, expect, it } from "vitest";
import { UpdateBanner } from "./update-banner.js";

function setup() {
  let inCall = false;
  const container = document.createElement("div");
  document.body.append(container);
  const banner = new UpdateBanner({ requestUpdate: () => render(banner.render(), container) }, () => inCall);
  const button = (name: string) => [...container.querySelectorAll("button")].find((b) => b.textContent?.trim() === name);
  return { banner, container, button, setInCall: (v: boolean) => (inCall = v) };
}

describe("UpdateBanner", () => {
  it("applies an accepted update at once when no call is up", () => {
    const { banner, button } = setup();
    let applied = 0;
    banner.announce(() => applied++);
    button("Update now")!.click();
    expect(applied).toBe(1);
  });

  it("an update accepted during a call waits for the last call to end", () => {
    const { banner, button, container, setInCall } = setup();
    let applied = 0;
    setInCall(true);
    banner.announce(() => applied++);
    button("Update now")!.click();
    expect(applied).toBe(0);
    expect(container.textContent).toContain("installed when your calls have ended");
    banner.callsChanged();
    expect(applied).toBe(0);
    setInCall(false);
    banner.callsChanged();
    expect(applied).toBe(1);
  });

  it("Later dismisses it without applying", () => {
    const { banner, button, container } = setup();
    let applied = 0;
    banner.announce(() => applied++);
    button("Later")!.click();
    expect(applied).toBe(0);
    expect(container.textContent?.trim()).toBe("");
  });
});
