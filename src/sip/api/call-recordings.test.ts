import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PEER_SDP } from "../test-support/memory-peer.js";
import { onInvite, PEER_CONTACT, setup, stop } from "../test-support/phone-harness.js";
import type { CallSnapshot } from "./call-state.js";
import type { Phone } from "./phone.js";
import { RecordingError, type CallAudio, type MixRecorder, type MixRecorderOptions, type RecordingSink } from "./recording-media.js";

/** A recorder that records what it is asked (the real one, Web Audio + MediaRecorder, is e2e/recording.test.mjs's). */
class FakeRecorder implements MixRecorder {
  readonly followed: string[][] = [];
  readonly calls: string[] = [];
  bytes = 0;
  constructor(
    tracks: readonly MediaStreamTrack[],
    readonly options: MixRecorderOptions,
  ) {
    this.follow(tracks);
  }
  follow(tracks: readonly MediaStreamTrack[]): void {
    this.followed.push(tracks.map((t) => t.id));
  }
  pause(): void {
    this.calls.push("pause");
  }
  resume(): void {
    this.calls.push("resume");
  }
  async stop(): Promise<Blob> {
    this.calls.push("stop");
    return new Blob([new Uint8Array(1234)], { type: "audio/webm;codecs=opus" });
  }
}

const track = (id: string) => ({ id, kind: "audio", readyState: "live" }) as MediaStreamTrack;

interface Harness {
  phone: Phone;
  recorders: FakeRecorder[];
  kept: CallAudio[];
  rooms: Array<number | RecordingError>;
  states: CallSnapshot[];
  peerByes: () => number;
  callId: string;
}

/** A phone with a fake recorder and sink, and one outgoing call the peer answered. */
async function connected(account: Record<string, unknown> = {}, { recorder = true, sink = true } = {}): Promise<Harness> {
  const { peer, phone, platform } = await setup(account);
  const recorders: FakeRecorder[] = [];
  const kept: CallAudio[] = [];
  const rooms: Array<number | RecordingError> = [];
  if (recorder)
    platform.loadRecorder = async () => async (tracks, options) => {
      const r = new FakeRecorder(tracks, options);
      recorders.push(r);
      return r;
    };
  if (sink) {
    const keeper: RecordingSink = {
      room: async () => {
        const next = rooms.shift() ?? 5_000_000;
        if (next instanceof RecordingError) throw next;
        return next;
      },
      keep: async (audio) => void kept.push(audio),
    };
    phone.keepRecordingsWith(async () => keeper);
  }
  onInvite(peer, (req, socket) => peer.reply(socket, req, 200, [PEER_CONTACT], PEER_SDP));
  const states: CallSnapshot[] = [];
  phone.on("call-state", (c) => states.push(c));
  const callId = await phone.dial("1002");
  await vi.advanceTimersByTimeAsync(100);
  expect(phone.calls[0]?.state).toBe("established");
  return { phone, recorders, kept, rooms, states, peerByes: () => peer.count("BYE"), callId };
}

/** Gives the call a microphone and a remote stream, as the web handler has. */
function giveMedia(h: Harness, mic: string, remote: string): void {
  const sdh = h.phone.call(h.callId)!.session.sessionDescriptionHandler as unknown as Record<string, unknown>;
  const local = [track(mic)];
  sdh.localMediaStream = { getAudioTracks: () => local };
  sdh.remoteMediaStream = { getAudioTracks: () => [track(remote)] };
  sdh.setMic = (id: string) => (local[0] = track(id));
}

/** Holds or resumes the call (the peer answers the re-INVITE) while the fake clock runs. */
async function hold(h: Harness, on: boolean): Promise<void> {
  const done = h.phone.hold(h.callId, on);
  await vi.advanceTimersByTimeAsync(100);
  await done;
  expect(h.phone.calls[0]?.held).toBe(on);
}

describe("call recording on the in-memory SIP peer", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("records on request: starting, on, paused and on again in the same file, kept with the call's start when it ends", async () => {
    const h = await connected();
    giveMedia(h, "mic-1", "remote-1");
    expect(await h.phone.record(h.callId, true)).toBe("on");
    expect(h.recorders).toHaveLength(1);
    expect(h.recorders[0]!.options.maxBytes).toBe(5_000_000);
    // Both sides: our microphone and what the other side sends.
    expect(h.recorders[0]!.followed[0]).toEqual(["mic-1", "remote-1"]);
    await vi.advanceTimersByTimeAsync(4000);
    expect(await h.phone.record(h.callId, false)).toBe("paused");
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await h.phone.record(h.callId, true)).toBe("on");
    await vi.advanceTimersByTimeAsync(3000);
    expect(h.recorders).toHaveLength(1);
    expect(h.recorders[0]!.calls).toEqual(["pause", "resume"]);
    const startedAt = h.phone.calls[0]!.startedAt;
    await h.phone.hangup(h.callId);
    await vi.advanceTimersByTimeAsync(100);
    expect(h.recorders[0]!.calls).toEqual(["pause", "resume", "stop"]);
    expect(h.kept).toHaveLength(1);
    // The time recorded, the pause left out.
    expect(h.kept[0]).toMatchObject({ callId: h.callId, callStartedAt: startedAt, mimeType: "audio/webm;codecs=opus", durationMs: 7000 });
    expect(h.kept[0]!.blob.size).toBe(1234);
    expect(h.states.map((s) => s.recording ?? "off")).toEqual(expect.arrayContaining(["starting", "on", "paused"]));
    // One "ended" event: the recording finishing says nothing more about the call.
    expect(h.states.filter((s) => s.state === "ended")).toHaveLength(1);
    await stop(h.phone);
  });

  it("a storage without room refuses the start with a code; the call goes on, and a later try can record", async () => {
    const h = await connected();
    h.rooms.push(new RecordingError("no-room"));
    expect(await h.phone.record(h.callId, true)).toBe("failed");
    expect(h.phone.calls[0]).toMatchObject({ state: "established", recording: "failed", recordingFailure: "no-room" });
    expect(h.recorders).toHaveLength(0);
    expect(h.peerByes()).toBe(0);
    expect(await h.phone.record(h.callId, true)).toBe("on");
    expect(h.phone.calls[0]?.recordingFailure).toBeUndefined();
    await stop(h.phone);
  });

  it("says unsupported where the platform cannot record, and no-storage where nobody keeps the file", async () => {
    const unsupported = await connected({}, { recorder: false });
    expect(await unsupported.phone.record(unsupported.callId)).toBe("failed");
    expect(unsupported.phone.calls[0]).toMatchObject({ state: "established", recordingFailure: "unsupported" });
    await stop(unsupported.phone);
    const nowhere = await connected({}, { sink: false });
    expect(await nowhere.phone.record(nowhere.callId)).toBe("failed");
    expect(nowhere.phone.calls[0]).toMatchObject({ state: "established", recordingFailure: "no-storage" });
    await stop(nowhere.phone);
  });

  it("a recording that fills its room stops as full; what was recorded is kept when the call ends", async () => {
    const h = await connected();
    await h.phone.record(h.callId);
    await vi.advanceTimersByTimeAsync(2000);
    h.recorders[0]!.options.stopped("full");
    expect(h.phone.calls[0]).toMatchObject({ state: "established", recording: "failed", recordingFailure: "full" });
    // Nothing recorded stays recorded twice: no new file after a full one.
    expect(await h.phone.record(h.callId)).toBe("failed");
    expect(h.recorders).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5000);
    await h.phone.hangup(h.callId);
    await vi.advanceTimersByTimeAsync(100);
    expect(h.kept.map((k) => k.durationMs)).toEqual([2000]);
    await stop(h.phone);
  });

  it("the mix follows the call: our microphone out while we hold it, back on resume, a new microphone taken", async () => {
    const h = await connected();
    giveMedia(h, "mic-1", "remote-1");
    await h.phone.record(h.callId);
    const followed = h.recorders[0]!.followed;
    await hold(h, true);
    expect(followed.at(-1)).toEqual(["remote-1"]);
    await hold(h, false);
    expect(followed.at(-1)).toEqual(["mic-1", "remote-1"]);
    // Another microphone (phone-audio.ts moveMicrophone: the stream gets it after the call is told).
    const call = h.phone.call(h.callId)!;
    const sdh = call.session.sessionDescriptionHandler as unknown as { setMic(id: string): void };
    call.microphoneMoved(track("mic-1"), track("mic-2"));
    sdh.setMic("mic-2");
    await vi.advanceTimersByTimeAsync(0);
    expect(followed.at(-1)).toEqual(["mic-2", "remote-1"]);
    expect(h.recorders).toHaveLength(1);
    await stop(h.phone);
  });

  it("a line with autoRecord records each connected call by itself, once: a pause by the user stays", async () => {
    const h = await connected({ autoRecord: true });
    await vi.advanceTimersByTimeAsync(10);
    expect(h.phone.calls[0]?.recording).toBe("on");
    expect(await h.phone.record(h.callId, false)).toBe("paused");
    await hold(h, true);
    await hold(h, false);
    expect(h.phone.calls[0]?.recording).toBe("paused");
    expect(h.recorders).toHaveLength(1);
    await stop(h.phone);
  });

  it("only a connected call can be recorded; a call ended while the recorder starts keeps nothing", async () => {
    const h = await connected();
    let roomFor: ((bytes: number) => void) | undefined;
    h.phone.keepRecordingsWith(async () => ({
      room: () => new Promise<number>((resolve) => (roomFor = resolve)),
      keep: async (audio) => void h.kept.push(audio),
    }));
    const recording = h.phone.record(h.callId);
    await vi.advanceTimersByTimeAsync(0);
    await h.phone.hangup(h.callId);
    await vi.advanceTimersByTimeAsync(100);
    const endedEvents = h.states.filter((s) => s.state === "ended").length;
    roomFor!(1_000_000);
    await recording;
    await vi.advanceTimersByTimeAsync(100);
    expect(h.kept).toEqual([]);
    expect(h.recorders.map((r) => r.calls)).toEqual([["stop"]]);
    expect(h.states.filter((s) => s.state === "ended")).toHaveLength(endedEvents);
    await expect(h.phone.record(h.callId)).rejects.toThrow(/No call/);
    await stop(h.phone);
  });
});
