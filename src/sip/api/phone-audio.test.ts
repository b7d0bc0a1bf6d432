import { describe, expect, it } from "vitest";
import type { Call } from "./call.js";
import { CallState } from "./call-state.js";
import { moveMicrophone, phoneAudio, type MicrophoneHolder } from "./phone-audio.js";
import type { PhonePlatform } from "./platform.js";

/** A track with what moveMicrophone touches. */
class FakeTrack {
  readonly kind = "audio";
  enabled = true;
  readyState = "live";
  constructor(readonly id: string) {}
  stop() {
    this.readyState = "ended";
  }
}
const fakeTrack = (id: string) => new FakeTrack(id) as unknown as MediaStreamTrack;

/** A call's media as SIP.js's handler holds it: the local stream and one audio sender. */
function setup(senderCarries: "microphone" | "nothing" | "mix", muted = false) {
  const mic = fakeTrack("mic-1");
  const tracks = [mic];
  const stream = {
    getAudioTracks: () => [...tracks],
    removeTrack: (t: MediaStreamTrack) => tracks.splice(tracks.indexOf(t), 1),
    addTrack: (t: MediaStreamTrack) => tracks.push(t),
  };
  const replaced: Array<MediaStreamTrack | null> = [];
  const sender = {
    track: senderCarries === "microphone" ? mic : senderCarries === "mix" ? fakeTrack("mix") : null,
    async replaceTrack(t: MediaStreamTrack | null) {
      replaced.push(t);
      this.track = t;
    },
  };
  const moved: MediaStreamTrack[][] = [];
  const call: MicrophoneHolder = {
    session: { sessionDescriptionHandler: { localMediaStream: stream } },
    audioSender: sender as unknown as RTCRtpSender,
    snapshot: { muted },
    microphoneMoved: (old, next) => void moved.push([old, next]),
  };
  return { call, mic, tracks, sender, replaced, moved };
}

describe("moveMicrophone: another device mid-call, no re-INVITE", () => {
  it("the sender takes the new track (replaceTrack), the local stream too, and the old one stops", async () => {
    const { call, mic, tracks, sender, replaced, moved } = setup("microphone");
    const next = fakeTrack("mic-2");
    await moveMicrophone(call, next);
    expect(replaced).toEqual([next]);
    expect(sender.track).toBe(next);
    expect(tracks).toEqual([next]);
    expect(mic.readyState).toBe("ended");
    expect(moved).toEqual([[mic, next]]);
  });

  it("a muted call stays muted on the new microphone", async () => {
    const { call } = setup("microphone", true);
    const next = fakeTrack("mic-2");
    await moveMicrophone(call, next);
    expect(next.enabled).toBe(false);
  });

  it("held (the sender carries nothing) or mixed (it carries the conference): the sender is left alone, the holder told", async () => {
    for (const carries of ["nothing", "mix"] as const) {
      const { call, mic, tracks, replaced, moved } = setup(carries);
      const next = fakeTrack("mic-2");
      await moveMicrophone(call, next);
      expect(replaced).toEqual([]);
      expect(tracks).toEqual([next]);
      expect(moved).toEqual([[mic, next]]);
    }
  });
});

describe("phoneAudio: the routing over a phone's calls", () => {
  /** A phone with one established call, and what its parts were asked. */
  function phoneWith(inConference: boolean) {
    const mic = fakeTrack("default");
    (mic as unknown as { getSettings(): MediaTrackSettings }).getSettings = () => ({ deviceId: "default" });
    const { call: media, tracks } = setup("microphone");
    tracks.splice(0, 1, mic);
    const call = { ...media, id: "c1", state: CallState.Established, inConference, microphone: tracks };
    const listeners: Array<(s: { id: string; state: CallState }) => void> = [];
    const mixed: string[] = [];
    const opened = fakeTrack("mic-2");
    (opened as unknown as { getSettings(): MediaTrackSettings }).getSettings = () => ({ deviceId: "mic-2" });
    const audio = {
      outputs: { speaker: true, ringer: true },
      listed: 0,
      async devices() {
        this.listed++;
        return [{ kind: "audioinput" as const, id: "mic-2", label: "Headset" }];
      },
      onDeviceChange: () => () => undefined,
      apply: async () => [],
      adjust: async () => false,
    };
    const phone = {
      platform: {
        loadAudio: async () => audio,
        openMicrophone: async () => ({ getAudioTracks: () => [opened] }),
      } as unknown as PhonePlatform,
      liveCalls: () => [call] as unknown as Call[],
      call: (id: string) => (id === "c1" ? (call as unknown as Call) : undefined),
      on: (_: string, l: (s: { id: string; state: CallState }) => void) => {
        listeners.push(l);
        return () => undefined;
      },
    } as unknown as Parameters<typeof phoneAudio>[0];
    const parts = {
      conference: () => ({ microphoneReplaced: async (id: string) => void mixed.push(id) }),
      outgoing: { reopenStandby: () => undefined },
      announce: () => undefined,
    };
    return { phone, parts, call, tracks, opened, mixed, listeners, audio };
  }

  it("moves a call's microphone, telling the conference when the call is in one", async () => {
    for (const inConference of [false, true]) {
      const { phone, parts, tracks, opened, mixed } = phoneWith(inConference);
      const routing = await phoneAudio(phone, parts);
      await routing.set({ microphone: "mic-2" });
      expect(tracks).toEqual([opened]);
      expect(mixed).toEqual(inConference ? ["c1"] : []);
    }
  });

  it("follows the phone's calls: each one up is checked (the ones up when it loads included)", async () => {
    const { phone, parts, listeners, audio } = phoneWith(false);
    const routing = await phoneAudio(phone, parts);
    await routing.refresh();
    // Once for the call up at load, once for this refresh; then once per new call up, not per change.
    expect(audio.listed).toBe(2);
    for (const l of listeners) l({ id: "c2", state: CallState.Established });
    for (const l of listeners) l({ id: "c2", state: CallState.Established });
    for (const l of listeners) l({ id: "c3", state: CallState.Ringing });
    await routing.refresh();
    expect(audio.listed).toBe(4);
  });
});
