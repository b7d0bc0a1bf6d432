// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { AudioDeviceList } from "../sip/api/audio-devices.js";
import "./audio-settings.js";
import type { SipAudioSettings } from "./audio-settings.js";
import { button, choose, control } from "./test-support/dom.js";
import { FakeApp } from "./test-support/fake-app.js";
import { FakePhone, mountWith, text } from "./test-support/fake-phone.js";
import { loadViewWords } from "../i18n/languages.js";

afterEach(() => document.body.replaceChildren());

const LIST: AudioDeviceList = {
  devices: [
    { kind: "audioinput", id: "default", label: "Default - Laptop microphone" },
    { kind: "audioinput", id: "mic-laptop", label: "Laptop microphone" },
    { kind: "audioinput", id: "mic-headset", label: "Headset microphone" },
    { kind: "audiooutput", id: "default", label: "Default - Speakers" },
    { kind: "audiooutput", id: "out-headset", label: "Headset" },
    { kind: "audiooutput", id: "out-desk", label: "Desk speaker" },
  ],
  outputs: { speaker: true, ringer: true },
  settings: { speaker: "out-headset" },
  unavailable: [],
};

async function mountAudio(list: Partial<AudioDeviceList> = {}) {
  const phone = new FakePhone();
  phone.audio = { ...structuredClone(LIST), ...list };
  const app = new FakeApp();
  const el = await mountWith<SipAudioSettings>("sip-audio-settings", { phone, app }, (e) => {
    e.checks = { playTestTone: vi.fn(async () => undefined), openMeter: vi.fn(async () => () => undefined) };
  });
  await vi.waitFor(() => expect(el.shadowRoot!.querySelector("select")).not.toBeNull());
  return { el, phone, app };
}

const options = (s: HTMLSelectElement) => [...s.options].map((o) => [o.value, o.textContent!.trim()]);
const settle = async (el: SipAudioSettings) => {
  await new Promise((r) => setTimeout(r, 0));
  await el.updateComplete;
};

// This test renders a view's components without the phone: their words (src/i18n/en-views.ts)
// are loaded as phone-views.ts loads them with the view.
beforeAll(() => loadViewWords());

describe("<sip-audio-settings>", () => {
  it("lists each role's devices by name, the system default first (named by the browser), the chosen one selected", async () => {
    const { el } = await mountAudio();
    const mic = control<HTMLSelectElement>(el, "Microphone");
    expect(options(mic)).toEqual([
      ["", "System default (Default - Laptop microphone)"],
      ["mic-laptop", "Laptop microphone"],
      ["mic-headset", "Headset microphone"],
    ]);
    expect(mic.value).toBe("");
    expect(control<HTMLSelectElement>(el, "Call audio").value).toBe("out-headset");
    expect(options(control<HTMLSelectElement>(el, "Ringer")).map(([id]) => id)).toEqual(["", "out-headset", "out-desk"]);
  });

  it("a choice goes to the app (kept for this browser, applied to calls by the tab that holds them)", async () => {
    const { el, app } = await mountAudio();
    choose(control<HTMLSelectElement>(el, "Microphone"), "mic-headset");
    choose(control<HTMLSelectElement>(el, "Ringer"), "out-desk");
    await settle(el);
    expect(app.actions).toEqual([
      ["setAudio", { microphone: "mic-headset" }],
      ["setAudio", { ringer: "out-desk" }],
    ]);
  });

  it("voice processing: on unless turned off, each a labelled checkbox", async () => {
    const { el, app } = await mountAudio({ settings: { noiseSuppression: false } });
    expect(control(el, "Echo cancellation").checked).toBe(true);
    expect(control(el, "Noise suppression").checked).toBe(false);
    choose(control(el, "Automatic gain control"), false);
    await settle(el);
    expect(app.actions).toEqual([["setAudio", { autoGainControl: false }]]);
  });

  it("volumes are sliders from 0 to 100 %, saved as 0..1", async () => {
    const { el, app } = await mountAudio({ settings: { ringVolume: 0.25 } });
    const ring = control(el, "Ring volume");
    expect(ring.value).toBe("25");
    expect(control(el, "Call volume").value).toBe("100");
    ring.value = "40";
    ring.dispatchEvent(new Event("change"));
    await settle(el);
    expect(app.actions).toEqual([["setAudio", { ringVolume: 0.4 }]]);
  });

  it("says where this browser cannot choose an output, and does not offer the choice", async () => {
    const { el } = await mountAudio({ outputs: { speaker: false, ringer: true } });
    const speaker = control<HTMLSelectElement>(el, "Call audio");
    expect(speaker.disabled).toBe(true);
    expect(el.shadowRoot!.getElementById(speaker.getAttribute("aria-describedby")!)!.textContent).toMatch(
      /This browser plays calls on the system's default output/,
    );
    expect(control<HTMLSelectElement>(el, "Ringer").disabled).toBe(false);
  });

  it("a chosen device that is not connected stays selected, named so, with a note that the default is used", async () => {
    const { el } = await mountAudio({ settings: { microphone: "mic-gone" }, unavailable: ["microphone"] });
    const mic = control<HTMLSelectElement>(el, "Microphone");
    expect(mic.value).toBe("mic-gone");
    expect(options(mic).at(-1)).toEqual(["mic-gone", "Chosen microphone (not connected)"]);
    expect(text(el)).toContain("The chosen microphone is not available now: the system default is used until it is back.");
  });

  it("without device names yet (no microphone permission) it says how to get them", async () => {
    const { el } = await mountAudio({
      devices: [
        { kind: "audioinput", id: "", label: "" },
        { kind: "audiooutput", id: "", label: "" },
      ],
    });
    expect(text(el)).toContain("Device names show once the phone may use the microphone");
  });

  it("the microphone test shows the level while it runs and closes the microphone when stopped or left", async () => {
    const { el } = await mountAudio({ settings: { microphone: "mic-headset" } });
    let report: (level: number) => void = () => undefined;
    const stop = vi.fn();
    el.checks.openMeter = vi.fn(async (_settings, onLevel) => {
      report = onLevel;
      return stop;
    });
    button(el, "Test microphone").click();
    await settle(el);
    expect(el.checks.openMeter).toHaveBeenCalledWith({ microphone: "mic-headset" }, expect.any(Function));
    report(0.6);
    await el.updateComplete;
    const meter = el.shadowRoot!.querySelector("meter")!;
    expect(meter.getAttribute("aria-label")).toBe("Microphone level");
    expect(meter.value).toBe(0.6);
    button(el, "Stop test").click();
    await el.updateComplete;
    expect(stop).toHaveBeenCalledOnce();
    expect(el.shadowRoot!.querySelector("meter")).toBeNull();

    button(el, "Test microphone").click();
    await settle(el);
    el.remove();
    expect(stop).toHaveBeenCalledTimes(2);
  });

  it("while the chosen microphone is not there, the test listens to the default one, as calls would", async () => {
    const { el } = await mountAudio({ settings: { microphone: "mic-gone", noiseSuppression: false }, unavailable: ["microphone"] });
    button(el, "Test microphone").click();
    await settle(el);
    expect(el.checks.openMeter).toHaveBeenCalledWith({ microphone: "", noiseSuppression: false }, expect.any(Function));
  });

  it("a microphone the browser refuses is said in words", async () => {
    const { el } = await mountAudio();
    el.checks.openMeter = () => Promise.reject(Object.assign(new Error("denied"), { name: "NotAllowedError" }));
    button(el, "Test microphone").click();
    await settle(el);
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).toMatch(/Microphone access is blocked/);
  });

  it("test tones play on the chosen output at its volume (the default where it is not available)", async () => {
    const { el } = await mountAudio({ settings: { speaker: "out-headset", ringer: "out-desk", callVolume: 0.5 }, unavailable: ["ringer"] });
    button(el, "Test call audio").click();
    await settle(el);
    button(el, "Test ringer").click();
    await settle(el);
    expect(el.checks.playTestTone).toHaveBeenNthCalledWith(1, "out-headset", 0.5);
    expect(el.checks.playTestTone).toHaveBeenNthCalledWith(2, "", 1);
  });

  it("lists again when a device comes or goes (the phone's audio-device event)", async () => {
    const { el, phone } = await mountAudio();
    phone.audio = { ...phone.audio, devices: phone.audio.devices.filter((d) => d.id !== "mic-headset") };
    phone.audioNotice({ role: "microphone", deviceId: "mic-headset", state: "unavailable" });
    await vi.waitFor(() => expect(options(control<HTMLSelectElement>(el, "Microphone"))).toHaveLength(2));
  });
});
