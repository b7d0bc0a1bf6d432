// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { setAppFactory } from "./app-factory.js";
import "./sip-phone.js";
import type { SipPhone } from "./sip-phone.js";
import { FakePhoneApp } from "./test-support/fake-app.js";

let app: FakePhoneApp;
/** The cameras the next phone's fake has. */
let cameras: { id: string; label: string }[] = [];
setAppFactory(() => {
  app = new FakePhoneApp();
  app.phone.cameraList = cameras;
  app.saved = {
    version: 1,
    accounts: [{ id: "l1", label: "Sales", sipUri: "sip:1001@pbx.test", password: "s3cret-pw", servers: ["wss://pbx.test/ws"] }],
  };
  return app;
});
afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

async function general(): Promise<{ el: SipPhone; view: HTMLElement }> {
  const el = document.createElement("sip-phone");
  document.body.append(el);
  await el.ready;
  el.showView("settings");
  let view: HTMLElement | null | undefined;
  await vi.waitFor(() => {
    view = el.shadowRoot!.querySelector("sip-settings")?.shadowRoot?.querySelector("sip-settings-general");
    expect(view?.shadowRoot?.querySelector("fieldset")).toBeTruthy();
  });
  return { el, view: view! };
}

const input = (view: HTMLElement, selector: string) => view.shadowRoot!.querySelector<HTMLInputElement>(selector)!;

describe("Settings → General", () => {
  it("a theme chosen is kept and put on the phone as data-theme; As the system removes it", async () => {
    const { el, view } = await general();
    input(view, 'input[value="dark"]').click();
    await vi.waitFor(() => expect(el.getAttribute("data-theme")).toBe("dark"));
    expect(app.actions).toContainEqual(["updateSettings", { theme: "dark" }]);
    input(view, 'input[value="auto"]').click();
    await vi.waitFor(() => expect(el.hasAttribute("data-theme")).toBe(false));
  });

  it("unticking Ask before dialling saves the line with dialLinksWithoutConfirm, and keeps its password", async () => {
    const { view } = await general();
    const box = input(view, 'input[type="checkbox"]');
    expect(box.checked).toBe(true);
    expect(box.parentElement!.textContent).toMatch(/Ask before dialling on Sales/);
    box.click();
    await vi.waitFor(() => expect(app.config.accounts[0]).toMatchObject({ dialLinksWithoutConfirm: true, password: "s3cret-pw" }));
  });

  it("Export diagnostics offers a file with the line states and no password", async () => {
    const { view } = await general();
    let blob: Blob | undefined;
    vi.spyOn(URL, "createObjectURL").mockImplementation((b) => {
      blob = b as Blob;
      return "blob:x";
    });
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => undefined);
    [...view.shadowRoot!.querySelectorAll("button")].find((b) => /Export diagnostics/.test(b.textContent!))!.click();
    // Offered once the trace is read back (its older entries are compressed).
    await vi.waitFor(() => expect(blob).toBeDefined());
    const text = await blob!.text();
    expect(text).toContain('"sipUri": "sip:1001@pbx.test"');
    expect(text).toContain('"state": "registered"');
    expect(text).not.toContain("s3cret-pw");
  });

  it("a language chosen is kept and put on the phone as its lang; As the page or browser takes it back", async () => {
    const { el, view } = await general();
    const select = view.shadowRoot!.querySelector<HTMLSelectElement>("select#language")!;
    expect([...select.options].map((o) => o.value)).toEqual(["auto", "en", "de"]);
    select.value = "de";
    select.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(el.getAttribute("lang")).toBe("de"));
    expect(app.actions).toContainEqual(["updateSettings", { language: "de" }]);
    select.value = "auto";
    select.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(el.hasAttribute("lang")).toBe(false));
  });

  it("Settings → Video lists the cameras; the one chosen goes to setAudio (kept per browser)", async () => {
    cameras = [{ id: "cam-2", label: "USB camera" }];
    const { el } = await general();
    const camera = el.shadowRoot!.querySelector("sip-settings")!.shadowRoot!.querySelector("sip-camera-setting")!;
    let select: HTMLSelectElement | null | undefined;
    await vi.waitFor(() => {
      select = camera.shadowRoot?.querySelector("select");
      expect(select?.options.length).toBeGreaterThan(1);
    });
    expect(select!.options[1]!.textContent).toBe("USB camera");
    select!.value = "cam-2";
    select!.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(app.actions).toContainEqual(["setAudio", { camera: "cam-2" }]));
  });
});
