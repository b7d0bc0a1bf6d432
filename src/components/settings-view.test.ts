// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { setAppFactory } from "./app-factory.js";
import type { WordedAudioNotice } from "./audio-words.js";
import "./sip-phone.js";
import { button } from "./test-support/dom.js";
import { FakePhoneApp } from "./test-support/fake-app.js";

let app: FakePhoneApp;
setAppFactory(() => (app = new FakePhoneApp()));
afterEach(() => document.body.replaceChildren());

async function mountPhone() {
  const el = document.createElement("sip-phone");
  document.body.append(el);
  await el.ready;
  await el.updateComplete;
  return el;
}

describe("<sip-phone>: the Settings tab and audio devices", () => {
  it("a Settings tab loads the settings view on first use, with its Audio section", async () => {
    const el = await mountPhone();
    button(el, "Settings").click();
    await vi.waitFor(() =>
      expect(el.shadowRoot!.querySelector("sip-settings")?.shadowRoot?.querySelector("h2")?.textContent).toBe("Audio"),
    );
    expect(button(el, "Settings").getAttribute("aria-selected")).toBe("true");
    const view = el.shadowRoot!.querySelector("sip-settings")!;
    expect(view.shadowRoot!.querySelector("section")!.getAttribute("aria-labelledby")).toBe("audio-heading");
    expect(view.shadowRoot!.querySelector("sip-audio-settings")).not.toBeNull();
  });

  it("setAudio() goes to the app (kept per browser); audioDevices() asks the phone", async () => {
    const el = await mountPhone();
    await el.setAudio({ microphone: "mic-2", callVolume: 0.5 });
    expect(app.actions).toContainEqual(["setAudio", { microphone: "mic-2", callVolume: 0.5 }]);
    app.phone.audio = { ...app.phone.audio, devices: [{ kind: "audioinput", id: "mic-2", label: "Headset" }] };
    expect((await el.audioDevices()).devices).toEqual([{ kind: "audioinput", id: "mic-2", label: "Headset" }]);
  });

  it("a chosen device that goes away is an audio-device event with its sentence, shown as the notice", async () => {
    const el = await mountPhone();
    const events: WordedAudioNotice[] = [];
    document.addEventListener("audio-device", (e) => events.push((e as CustomEvent<WordedAudioNotice>).detail));
    app.phone.audioNotice({ role: "microphone", deviceId: "mic-2", label: "Headset", state: "unavailable" });
    // Its words load when it comes: the event follows.
    await vi.waitFor(() => expect(events).toHaveLength(1));
    await el.updateComplete;
    const sentence = 'The chosen microphone "Headset" is not available: using the default microphone';
    expect(events).toEqual([{ role: "microphone", deviceId: "mic-2", label: "Headset", state: "unavailable", message: sentence }]);
    expect(el.shadowRoot!.querySelector('[part="notice"]')!.textContent!.trim()).toBe(sentence);
    app.phone.audioNotice({ role: "speaker", deviceId: "out-2", state: "back" });
    await vi.waitFor(() => expect(events).toHaveLength(2));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="notice"]')!.textContent!.trim()).toBe(
      "The chosen call output is back: calls play on it again",
    );
  });
});
