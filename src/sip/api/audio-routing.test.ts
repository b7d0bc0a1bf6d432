import { describe, expect, it } from "vitest";
import type { AudioSettings } from "../../config/audio-settings.js";
import { voiceProcessing, type AudioDevice, type AudioDeviceNotice, type AudioRole } from "./audio-devices.js";
import { AudioRouting, type MicrophoneUser } from "./audio-routing.js";
import type { AudioPlatform } from "./platform.js";

/** A microphone track as the routing reads it: settings, state, and the `ended` of an unplugged device. */
class FakeTrack extends EventTarget {
  readyState: MediaStreamTrackState = "live";
  enabled = true;
  constructor(public settings: MediaTrackSettings) {
    super();
  }
  get label(): string {
    return String(this.settings.deviceId);
  }
  getSettings(): MediaTrackSettings {
    return { ...this.settings };
  }
  stop(): void {
    this.readyState = "ended";
  }
  /** The device went away: the browser ends the track and says so. */
  unplug(): void {
    this.readyState = "ended";
    this.dispatchEvent(new Event("ended"));
  }
}

const track = (settings: MediaTrackSettings) => new FakeTrack(settings) as unknown as MediaStreamTrack;
const fake = (t: MediaStreamTrack) => t as unknown as FakeTrack;

const BUILT_IN: AudioDevice[] = [
  { kind: "audioinput", id: "default", label: "Default" },
  { kind: "audioinput", id: "mic-laptop", label: "Laptop microphone" },
  { kind: "audiooutput", id: "default", label: "Default" },
  { kind: "audiooutput", id: "out-desk", label: "Desk speaker" },
];
const HEADSET: AudioDevice[] = [
  { kind: "audioinput", id: "mic-headset", label: "Headset" },
  { kind: "audiooutput", id: "out-headset", label: "Headset" },
];

/** The browser's devices: a list that can change, and what the phone applied. */
class FakeAudio implements AudioPlatform {
  outputs = { speaker: true, ringer: true };
  applied: AudioSettings[] = [];
  /** Outputs whose device refuses setSinkId. */
  refusing: AudioRole[] = [];
  /** Microphones that are listed but will not open (busy). */
  busy = new Set<string>();
  /** The browser changes voice processing in place (Firefox); Chrome does not. */
  adjustsInPlace = false;
  opened: FakeTrack[] = [];
  private listeners = new Set<() => void>();

  constructor(public list: AudioDevice[]) {}

  async devices() {
    return this.list;
  }
  onDeviceChange(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** A device plugged in or out: the list changes and `devicechange` fires. */
  change(list: AudioDevice[]) {
    this.list = list;
    for (const l of this.listeners) l();
  }
  async apply(settings: AudioSettings) {
    this.applied.push(settings);
    return this.refusing;
  }
  async adjust(t: MediaStreamTrack) {
    if (!this.adjustsInPlace) return false;
    Object.assign(fake(t).settings, voiceProcessing(this.applied.at(-1)!));
    return true;
  }
  /** platform.openMicrophone with the settings applied last: the default where the chosen one will not open. */
  async openMicrophone(): Promise<MediaStream> {
    const s = this.applied.at(-1) ?? {};
    const id = s.microphone && !this.busy.has(s.microphone) ? s.microphone : "default";
    const t = new FakeTrack({ deviceId: id, ...voiceProcessing(s) });
    this.opened.push(t);
    return { getAudioTracks: () => [t] } as unknown as MediaStream;
  }
}

function setup(list: AudioDevice[] = [...BUILT_IN, ...HEADSET]) {
  const audio = new FakeAudio(list);
  const calls: Array<MicrophoneUser & { microphone: MediaStreamTrack[] }> = [];
  const notices: AudioDeviceNotice[] = [];
  let standbyReopened = 0;
  const routing = new AudioRouting({
    audio,
    openMicrophone: () => audio.openMicrophone(),
    calls: () => calls,
    replaceMicrophone: async (id, t) => {
      const call = calls.find((c) => c.id === id)!;
      call.microphone[0]?.stop();
      call.microphone = [t];
    },
    microphoneChanged: () => standbyReopened++,
    announce: (n) => notices.push(n),
  });
  /** A call up on `deviceId`, as the phone reports it. */
  const callOn = async (deviceId: string, processing: AudioSettings = {}) => {
    const call = { id: `c${calls.length + 1}`, microphone: [track({ deviceId, ...voiceProcessing(processing) })] };
    calls.push(call);
    routing.callUp(call.id);
    await routing.refresh();
    return call;
  };
  return { audio, routing, calls, notices, callOn, standbyReopened: () => standbyReopened };
}

const deviceOf = (call: { microphone: MediaStreamTrack[] }) => call.microphone[0]!.getSettings().deviceId;

describe("AudioRouting: choosing", () => {
  it("a microphone chosen mid-call: the call moves to it (a new track in place of the old, which stops)", async () => {
    const { audio, routing, callOn, notices } = setup();
    const call = await callOn("default");
    const old = call.microphone[0]!;
    await routing.set({ microphone: "mic-headset" });
    expect(deviceOf(call)).toBe("mic-headset");
    expect(old.readyState).toBe("ended");
    expect(audio.applied.at(-1)).toEqual({ microphone: "mic-headset" });
    expect(notices).toEqual([]);
  });

  it("outputs and volumes go to the platform; the microphone is left alone", async () => {
    const { audio, routing, callOn } = setup();
    const call = await callOn("default");
    const mic = call.microphone[0];
    await routing.set({ speaker: "out-headset", ringer: "out-desk", ringVolume: 0.4 });
    expect(audio.applied.at(-1)).toEqual({ speaker: "out-headset", ringer: "out-desk", ringVolume: 0.4 });
    expect(call.microphone[0]).toBe(mic);
    expect(audio.opened).toEqual([]);
  });

  it("opens no microphone while no call is up, and reopens a standby leg when the microphone changes", async () => {
    const { audio, routing, standbyReopened } = setup();
    await routing.set({ speaker: "out-desk" });
    await routing.set({ microphone: "mic-headset" });
    await routing.set({ callVolume: 0.5 });
    expect(audio.opened).toEqual([]);
    expect(standbyReopened()).toBe(1);
  });

  it("voice processing: kept in place where the browser can, else a new track", async () => {
    const inPlace = setup();
    inPlace.audio.adjustsInPlace = true;
    const a = await inPlace.callOn("default");
    const kept = a.microphone[0];
    await inPlace.routing.set({ noiseSuppression: false, autoGainControl: false });
    expect(a.microphone[0]).toBe(kept);
    expect(kept!.getSettings()).toMatchObject({ noiseSuppression: false, autoGainControl: false, echoCancellation: true });

    const chrome = setup();
    const b = await chrome.callOn("default");
    await chrome.routing.set({ echoCancellation: false });
    expect(chrome.audio.opened).toHaveLength(1);
    expect(b.microphone[0]!.getSettings()).toMatchObject({ deviceId: "default", echoCancellation: false });
  });

  it("a call that comes up on a microphone opened before a change (ringing, standby leg) is moved", async () => {
    const { routing, callOn } = setup();
    await routing.set({ microphone: "mic-headset", autoGainControl: false });
    const call = await callOn("default");
    expect(call.microphone[0]!.getSettings()).toMatchObject({ deviceId: "mic-headset", autoGainControl: false });
  });

  it("refuses settings that are not ones, keeping the old", async () => {
    const { routing } = setup();
    await routing.set({ microphone: "mic-headset" });
    await expect(routing.set({ microphone: 7 } as unknown as AudioSettings)).rejects.toThrow(/microphone/);
    expect(routing.current).toEqual({ microphone: "mic-headset" });
  });
});

describe("AudioRouting: devices that come and go", () => {
  it("a chosen device missing at start (another visit's id): the default, with a notice; the list says so", async () => {
    const { audio, routing, notices } = setup(BUILT_IN);
    await routing.set({ microphone: "mic-headset", ringer: "out-headset" });
    expect(audio.applied.at(-1)).toEqual({ microphone: "", ringer: "" });
    expect(notices.map((n) => [n.role, n.state])).toEqual([
      ["microphone", "unavailable"],
      ["ringer", "unavailable"],
    ]);
    const list = await routing.list();
    expect(list.unavailable).toEqual(["microphone", "ringer"]);
    // The choice is kept: it is used again once the device is back.
    expect(list.settings).toEqual({ microphone: "mic-headset", ringer: "out-headset" });
  });

  it("the headset unplugged mid-call: the call goes on on the default microphone, said once; plugged back, back on it", async () => {
    const { audio, routing, callOn, notices } = setup();
    await routing.set({ microphone: "mic-headset", speaker: "out-headset" });
    const call = await callOn("mic-headset");
    fake(call.microphone[0]!).unplug();
    audio.change(BUILT_IN);
    await routing.refresh();
    expect(deviceOf(call)).toBe("default");
    expect(call.microphone[0]!.readyState).toBe("live");
    expect(audio.applied.at(-1)).toMatchObject({ microphone: "", speaker: "" });
    expect(notices).toEqual([
      { role: "microphone", deviceId: "mic-headset", label: "Headset", state: "unavailable" },
      { role: "speaker", deviceId: "out-headset", label: "Headset", state: "unavailable" },
    ]);

    audio.change([...BUILT_IN, ...HEADSET]);
    await routing.refresh();
    expect(deviceOf(call)).toBe("mic-headset");
    expect(notices.slice(2).map((n) => [n.role, n.state])).toEqual([
      ["microphone", "back"],
      ["speaker", "back"],
    ]);
  });

  it("the default microphone's track ends (its device went): the call gets a new default one", async () => {
    const { audio, callOn, routing } = setup();
    const call = await callOn("default");
    fake(call.microphone[0]!).unplug();
    await routing.refresh();
    expect(audio.opened).toHaveLength(1);
    expect(call.microphone[0]!.readyState).toBe("live");
  });

  it("a listed microphone that will not open (busy): the default, said once, not swapped again at every refresh", async () => {
    const { audio, routing, callOn, notices } = setup();
    audio.busy.add("mic-headset");
    const call = await callOn("default");
    await routing.set({ microphone: "mic-headset" });
    expect(notices.map((n) => [n.role, n.state])).toEqual([["microphone", "unavailable"]]);
    const kept = call.microphone[0];
    await routing.refresh();
    await routing.refresh();
    expect(call.microphone[0]).toBe(kept);
    expect(kept!.readyState).toBe("live");
    expect(notices).toHaveLength(1);
    // Free again: the next refresh with a call takes it.
    audio.busy.clear();
    await routing.refresh();
    expect(deviceOf(call)).toBe("mic-headset");
    expect(notices.map((n) => n.state)).toEqual(["unavailable", "back"]);
  });

  it("an output whose device refuses (setSinkId fails) is unavailable until it works", async () => {
    const { audio, routing, notices } = setup();
    audio.refusing = ["speaker"];
    await routing.set({ speaker: "out-headset" });
    expect((await routing.list()).unavailable).toEqual(["speaker"]);
    audio.refusing = [];
    audio.change([...BUILT_IN, ...HEADSET]);
    await routing.refresh();
    expect(notices.map((n) => n.state)).toEqual(["unavailable", "back"]);
  });

  it("choosing another device while one is missing says nothing of the old one coming back", async () => {
    const { routing, notices } = setup(BUILT_IN);
    await routing.set({ microphone: "mic-headset" });
    await routing.set({ microphone: "mic-laptop" });
    expect(notices.map((n) => [n.deviceId, n.state])).toEqual([["mic-headset", "unavailable"]]);
  });

  it("without an audio platform (unit tests, hosts without devices) keeps the settings and lists nothing", async () => {
    const routing = new AudioRouting({
      audio: undefined,
      openMicrophone: () => Promise.reject(new Error("none")),
      calls: () => [],
      replaceMicrophone: () => Promise.resolve(),
      microphoneChanged: () => undefined,
      announce: () => undefined,
    });
    await routing.set({ microphone: "x" });
    expect(await routing.list()).toEqual({
      devices: [],
      outputs: { speaker: false, ringer: false },
      settings: { microphone: "x" },
      unavailable: [],
    });
  });
});
