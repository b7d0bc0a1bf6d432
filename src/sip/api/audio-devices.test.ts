import { describe, expect, it } from "vitest";
import { mergeAudioSettings, validateAudioSettings } from "../../config/audio-settings.js";
import { ConfigError } from "../../config/phone-config.js";
import {
  inEffect,
  microphoneConstraints,
  microphoneDiffers,
  microphoneFit,
  noticesBetween,
  unavailableRoles,
  type AudioDevice,
} from "./audio-devices.js";

const DEVICES: AudioDevice[] = [
  { kind: "audioinput", id: "default", label: "Default - Built-in" },
  { kind: "audioinput", id: "mic-usb", label: "USB headset" },
  { kind: "audiooutput", id: "default", label: "Default - Speakers" },
  { kind: "audiooutput", id: "out-usb", label: "USB headset" },
  { kind: "audiooutput", id: "out-desk", label: "Desk speaker" },
];
/** What Chrome lists before the user allowed the microphone: one entry per kind, no id, no name. */
const HIDDEN: AudioDevice[] = [
  { kind: "audioinput", id: "", label: "" },
  { kind: "audiooutput", id: "", label: "" },
];

describe("audio settings: what a host page or storage may set", () => {
  it("takes device ids, booleans and volumes, and drops keys given as undefined", () => {
    expect(
      validateAudioSettings({ microphone: "mic-usb", speaker: "", echoCancellation: false, ringVolume: 0.5, ringer: undefined }),
    ).toEqual({
      microphone: "mic-usb",
      speaker: "",
      echoCancellation: false,
      ringVolume: 0.5,
    });
  });

  it("names every bad key, unknown ones included, and takes nothing", () => {
    let error: unknown;
    try {
      validateAudioSettings({ microphone: 3, noiseSupression: true, callVolume: 2, autoGainControl: "yes" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.field)).toEqual(["microphone", "noiseSupression", "callVolume", "autoGainControl"]);
    expect(() => validateAudioSettings(null)).toThrow(ConfigError);
    expect(() => validateAudioSettings({ speaker: "x".repeat(300) })).toThrow(/device id/);
  });

  it("a patch changes only the keys it has", () => {
    expect(mergeAudioSettings({ microphone: "a", speaker: "b" }, { speaker: "", callVolume: 0.3 })).toEqual({
      microphone: "a",
      speaker: "",
      callVolume: 0.3,
    });
  });
});

describe("audio devices: the choice and what is in effect", () => {
  it("opens the chosen microphone exactly, with voice processing on unless turned off", () => {
    expect(microphoneConstraints({})).toEqual({
      audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      video: false,
    });
    expect(microphoneConstraints({ microphone: "mic-usb", noiseSuppression: false })).toEqual({
      audio: { deviceId: { exact: "mic-usb" }, echoCancellation: true, noiseSuppression: false, autoGainControl: true },
      video: false,
    });
  });

  it("a chosen id the list does not have is unavailable, per role, and the default is used in its place", () => {
    const settings = { microphone: "mic-gone", speaker: "out-usb", ringer: "out-old" };
    const missing = unavailableRoles(settings, DEVICES);
    expect(missing).toEqual(["microphone", "ringer"]);
    expect(inEffect(settings, missing)).toEqual({ microphone: "", speaker: "out-usb", ringer: "" });
    // An input id is not an output: choosing the USB input's id as the ringer does not count.
    expect(unavailableRoles({ ringer: "mic-usb" }, DEVICES)).toEqual(["ringer"]);
  });

  it("nothing is judged unavailable while the browser hides the ids (no microphone permission yet)", () => {
    expect(unavailableRoles({ microphone: "mic-usb", speaker: "out-desk" }, HIDDEN)).toEqual([]);
    expect(unavailableRoles({ microphone: "mic-usb" }, [])).toEqual([]);
  });

  it("only the microphone's device and processing make a new microphone necessary", () => {
    expect(microphoneDiffers({ microphone: "a", speaker: "x" }, { microphone: "a", speaker: "y", ringVolume: 0.2 })).toBe(false);
    expect(microphoneDiffers({ microphone: "a" }, { microphone: "b" })).toBe(true);
    expect(microphoneDiffers({}, { autoGainControl: false })).toBe(true);
    expect(microphoneDiffers({}, { autoGainControl: true, microphone: "" })).toBe(false);
  });
});

describe("audio devices: does a live microphone fit the settings", () => {
  const on = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

  it("another device than the chosen one does not fit; the system default fits the default choice", () => {
    expect(microphoneFit({ deviceId: "default", ...on }, { microphone: "mic-usb" }, DEVICES)).toBe("device");
    expect(microphoneFit({ deviceId: "mic-usb", ...on }, { microphone: "mic-usb" }, DEVICES)).toBe("fits");
    expect(microphoneFit({ deviceId: "default", ...on }, {}, DEVICES)).toBe("fits");
  });

  it("a device the list no longer has (unplugged) does not fit, whatever was chosen", () => {
    expect(microphoneFit({ deviceId: "mic-unplugged", ...on }, {}, DEVICES)).toBe("device");
    // Before permission the list says nothing either way.
    expect(microphoneFit({ deviceId: "mic-unplugged", ...on }, {}, HIDDEN)).toBe("fits");
  });

  it("other voice processing on the right device is a processing misfit; unreported values fit", () => {
    expect(microphoneFit({ deviceId: "mic-usb", ...on }, { microphone: "mic-usb", echoCancellation: false }, DEVICES)).toBe("processing");
    expect(microphoneFit({ deviceId: "mic-usb" }, { microphone: "mic-usb", echoCancellation: false }, DEVICES)).toBe("fits");
    // Chrome's newer reading of echo cancellation: a string for "on".
    const chrome = { deviceId: "default", ...on, echoCancellation: "all" } as unknown as MediaTrackSettings;
    expect(microphoneFit(chrome, {}, DEVICES)).toBe("fits");
    expect(microphoneFit(chrome, { echoCancellation: false }, DEVICES)).toBe("processing");
  });
});

describe("audio devices: notices", () => {
  it("says when a chosen device goes and when it is back, named from the list, and nothing while unchanged", () => {
    const settings = { microphone: "mic-usb", speaker: "out-desk" };
    const gone = noticesBetween(settings, new Set(), new Set(["microphone", "speaker"]), DEVICES);
    expect(gone).toEqual([
      { role: "microphone", deviceId: "mic-usb", label: "USB headset", state: "unavailable" },
      { role: "speaker", deviceId: "out-desk", label: "Desk speaker", state: "unavailable" },
    ]);
    expect(noticesBetween(settings, new Set(["speaker"]), new Set(), [])).toEqual([
      { role: "speaker", deviceId: "out-desk", state: "back" },
    ]);
    expect(noticesBetween(settings, new Set(["speaker"]), new Set(["speaker"]), DEVICES)).toEqual([]);
    // The default needs no notice: it is what falling back goes to.
    expect(noticesBetween({}, new Set(), new Set(["ringer"]), DEVICES)).toEqual([]);
  });
});
