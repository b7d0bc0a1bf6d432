import { afterEach, describe, expect, it, vi } from "vitest";
import { BrowserAudio, type AudioPorts } from "./browser-audio.js";
import type { MediaPlatform } from "./media-platform.js";
import { WebAudioTonePlayer } from "./tones.js";

/** Something with an output device, as Chrome has it: setSinkId fails with NotFoundError for an unknown id. */
class FakeSink {
  sinkId = "";
  static known = new Set(["", "out-headset", "out-desk"]);
  async setSinkId(id: string) {
    if (!FakeSink.known.has(id)) throw Object.assign(new Error("not found"), { name: "NotFoundError" });
    this.sinkId = id;
  }
}
class FakeElement extends FakeSink {
  volume = 1;
}
/** An AudioContext as the tone outputs use it: a gain into its destination. */
class FakeContext extends FakeSink {
  static made: FakeContext[] = [];
  readonly destination = {};
  readonly gains: { gain: { value: number } }[] = [];
  constructor() {
    super();
    FakeContext.made.push(this);
  }
  createGain() {
    const gain = { gain: { value: 1 }, connect: () => undefined };
    this.gains.push(gain);
    return gain;
  }
}

afterEach(() => vi.unstubAllGlobals());

function setup(options: { sinks?: boolean; mics?: string[] } = {}) {
  if (options.sinks !== false) {
    vi.stubGlobal("HTMLMediaElement", FakeElement);
    vi.stubGlobal("AudioContext", FakeContext);
    FakeContext.made = [];
  }
  const asked: MediaStreamConstraints[] = [];
  const media: MediaPlatform = {
    async getUserMedia(c) {
      asked.push(c);
      const id = ((c.audio as MediaTrackConstraints).deviceId as { exact?: string } | undefined)?.exact;
      if (id && !(options.mics ?? []).includes(id)) throw Object.assign(new Error("no such device"), { name: "OverconstrainedError" });
      return { id: id ?? "default" } as unknown as MediaStream;
    },
    createPeerConnection: () => {
      throw new Error("unused");
    },
    playRemote: () => () => undefined,
  };
  const ports: AudioPorts = { openMicrophone: () => Promise.reject(new Error("not yet")), playing: new Set() };
  const tones = new WebAudioTonePlayer();
  const devices = [
    { kind: "audioinput", deviceId: "default", label: "Default" },
    { kind: "videoinput", deviceId: "cam", label: "Camera" },
    { kind: "audiooutput", deviceId: "out-headset", label: "Headset" },
  ];
  const mediaDevices = { enumerateDevices: async () => devices, addEventListener: vi.fn(), removeEventListener: vi.fn() };
  const audio = new BrowserAudio(media, ports, tones, mediaDevices as unknown as MediaDevices);
  /** An element starts playing a call, as media-platform.ts's playRemote does it. */
  const play = () => {
    const el = new FakeElement();
    ports.playing.add(el as unknown as HTMLMediaElement);
    ports.started?.(el as unknown as HTMLMediaElement);
    return el;
  };
  return { audio, asked, ports, tones, open: () => ports.openMicrophone(), mediaDevices, play };
}

describe("BrowserAudio: the browser's devices for the phone", () => {
  it("lists audio devices only, by the phone's names", async () => {
    const { audio } = setup();
    expect(await audio.devices()).toEqual([
      { kind: "audioinput", id: "default", label: "Default" },
      { kind: "audiooutput", id: "out-headset", label: "Headset" },
    ]);
  });

  it("says which outputs this browser lets it choose (setSinkId on elements / on AudioContext)", () => {
    expect(setup().audio.outputs).toEqual({ speaker: true, ringer: true });
    vi.unstubAllGlobals();
    expect(setup({ sinks: false }).audio.outputs).toEqual({ speaker: false, ringer: false });
  });

  it("opens every later microphone with the chosen device and voice processing", async () => {
    const { audio, asked, open } = setup({ mics: ["mic-headset"] });
    await audio.apply({ microphone: "mic-headset", autoGainControl: false });
    expect(await open()).toEqual({ id: "mic-headset" });
    expect(asked).toEqual([
      {
        audio: { deviceId: { exact: "mic-headset" }, echoCancellation: true, noiseSuppression: true, autoGainControl: false },
        video: false,
      },
    ]);
  });

  it("a chosen microphone that will not open gives the default rather than a failed call; a refusal is not asked twice", async () => {
    const { audio, asked, open } = setup();
    await audio.apply({ microphone: "mic-gone" });
    expect(await open()).toEqual({ id: "default" });
    expect(asked.map((c) => (c.audio as MediaTrackConstraints).deviceId)).toEqual([{ exact: "mic-gone" }, undefined]);
  });

  it("calls playing now and later go to the chosen output at the call volume; a device that fails leaves the default", async () => {
    const { audio, play } = setup();
    const playing = play();
    expect(await audio.apply({ speaker: "out-headset", callVolume: 0.5 })).toEqual([]);
    expect(playing).toMatchObject({ sinkId: "out-headset", volume: 0.5 });
    const later = play();
    expect(later.volume).toBe(0.5);
    await vi.waitFor(() => expect(later.sinkId).toBe("out-headset"));

    expect(await audio.apply({ speaker: "out-unplugged" })).toEqual(["speaker"]);
    expect(playing.sinkId).toBe("");
    expect(play().sinkId).toBe("");
  });

  it("the ringtone's and the call's tones go to their own outputs (each its AudioContext), at their own volumes", async () => {
    const { audio, tones } = setup();
    tones.output!("ringtone");
    const [ringer] = FakeContext.made;
    expect(await audio.apply({ speaker: "out-headset", ringer: "out-desk", ringVolume: 0.3, callVolume: 0.8 })).toEqual([]);
    expect(ringer).toMatchObject({ sinkId: "out-desk", gains: [{ gain: { value: 0.3 } }] });
    // The call's tones have no context yet: it is made on its device, at its volume, when they first play.
    tones.output!("ringback");
    const call = FakeContext.made[1]!;
    expect(call.gains[0]!.gain.value).toBe(0.8);
    await vi.waitFor(() => expect(call.sinkId).toBe("out-headset"));
    expect(tones.output!("callwaiting")).toBe(tones.output!("autoanswer"));
    expect(FakeContext.made).toHaveLength(2);
    expect(await audio.apply({ ringer: "out-gone" })).toEqual(["ringer"]);
    expect(ringer!.sinkId).toBe("");
  });

  it("without setSinkId, nothing is routed and nothing is said to have failed (the view says the browser cannot)", async () => {
    const { audio, play } = setup({ sinks: false });
    expect(await audio.apply({ speaker: "out-headset", ringer: "out-desk", callVolume: 0.7 })).toEqual([]);
    expect(play()).toMatchObject({ sinkId: "", volume: 0.7 });
  });

  it("hears of devices coming and going (devicechange)", () => {
    const { audio, mediaDevices } = setup();
    const listener = () => undefined;
    const stop = audio.onDeviceChange(listener);
    expect(mediaDevices.addEventListener).toHaveBeenCalledWith("devicechange", listener);
    stop();
    expect(mediaDevices.removeEventListener).toHaveBeenCalledWith("devicechange", listener);
  });
});
