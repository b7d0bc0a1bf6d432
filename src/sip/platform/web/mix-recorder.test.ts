import { describe, expect, it } from "vitest";
import { RecordingError } from "../../api/recording-media.js";
import { pickRecordingType, RECORDING_BITS_PER_SECOND, startMixRecorderIn, type RecorderEnvironment } from "./mix-recorder.js";

/*
 * The recorder's own rules with stand-ins for Web Audio and MediaRecorder (Node has neither);
 * the real objects, and the decoded file, are checked in e2e/recording.test.mjs.
 */

class FakeNode {
  readonly connected = new Set<unknown>();
  readonly threshold = { value: 0 };
  readonly knee = { value: 0 };
  readonly ratio = { value: 0 };
  readonly attack = { value: 0 };
  readonly release = { value: 0 };
  constructor(readonly stream?: { tracks: unknown[] }) {}
  connect(to: unknown) {
    this.connected.add(to);
  }
  disconnect() {
    this.connected.clear();
  }
}

class FakeContext {
  static resumes = true;
  static made: FakeContext[] = [];
  state: AudioContextState = "suspended";
  readonly sources: FakeNode[] = [];
  readonly dest = Object.assign(new FakeNode(), { channelCount: 2, stream: { getTracks: () => [this.destTrack] } });
  readonly destTrack = { stopped: false, stop: () => (this.destTrack.stopped = true) };
  constructor() {
    FakeContext.made.push(this);
  }
  async resume() {
    if (FakeContext.resumes) this.state = "running";
    else await new Promise(() => undefined);
  }
  async close() {
    this.state = "closed";
  }
  createMediaStreamDestination() {
    return this.dest;
  }
  createDynamicsCompressor() {
    return new FakeNode();
  }
  createMediaStreamSource(stream: { tracks: unknown[] }) {
    const node = new FakeNode(stream);
    this.sources.push(node);
    return node;
  }
}

class FakeMediaRecorder extends EventTarget {
  static supported = new Set(["audio/webm;codecs=opus"]);
  static made: FakeMediaRecorder[] = [];
  static isTypeSupported(type: string) {
    return FakeMediaRecorder.supported.has(type);
  }
  state: RecordingState = "inactive";
  timeslice = 0;
  constructor(
    readonly stream: unknown,
    readonly options: MediaRecorderOptions,
  ) {
    super();
    FakeMediaRecorder.made.push(this);
  }
  get mimeType() {
    return this.options.mimeType ?? "";
  }
  start(timeslice: number) {
    this.state = "recording";
    this.timeslice = timeslice;
  }
  pause() {
    this.state = "paused";
  }
  resume() {
    this.state = "recording";
  }
  stop() {
    this.state = "inactive";
    queueMicrotask(() => this.dispatchEvent(new Event("stop")));
  }
  /** A chunk of `size` bytes, as the browser hands one over every timeslice. */
  chunk(size: number) {
    this.dispatchEvent(Object.assign(new Event("dataavailable"), { data: new Blob([new Uint8Array(size)]) }));
  }
}

const env = (over: Partial<RecorderEnvironment> = {}): RecorderEnvironment => ({
  AudioContext: FakeContext as unknown as typeof AudioContext,
  MediaRecorder: FakeMediaRecorder as unknown as typeof MediaRecorder,
  MediaStream: class {
    constructor(readonly tracks: unknown[]) {}
  } as unknown as typeof MediaStream,
  wait: () => Promise.resolve(),
  ...over,
});

const track = (id: string, readyState = "live") =>
  ({ id, kind: "audio", readyState, stopped: false, stop: () => undefined }) as unknown as MediaStreamTrack;

describe("the browser's call recorder", () => {
  it("records Opus in WebM, else in Ogg, else nothing", () => {
    expect(pickRecordingType((t) => t === "audio/webm;codecs=opus" || t === "audio/ogg;codecs=opus")).toBe("audio/webm;codecs=opus");
    expect(pickRecordingType((t) => t === "audio/ogg;codecs=opus")).toBe("audio/ogg;codecs=opus");
    expect(pickRecordingType(() => false)).toBeUndefined();
    expect(
      pickRecordingType(() => {
        throw new Error("old browser");
      }),
    ).toBeUndefined();
  });

  it("refuses where there is no MediaRecorder or no Opus type (unsupported), or the audio context stays suspended (blocked)", async () => {
    const stopped = () => undefined;
    await expect(startMixRecorderIn(env({ MediaRecorder: undefined }), [], { maxBytes: 1e6, stopped })).rejects.toEqual(
      new RecordingError("unsupported", "no MediaRecorder or AudioContext"),
    );
    FakeMediaRecorder.supported = new Set();
    await expect(startMixRecorderIn(env(), [], { maxBytes: 1e6, stopped })).rejects.toMatchObject({ code: "unsupported" });
    FakeMediaRecorder.supported = new Set(["audio/webm;codecs=opus"]);
    FakeContext.resumes = false;
    await expect(startMixRecorderIn(env(), [], { maxBytes: 1e6, stopped })).rejects.toMatchObject({ code: "blocked" });
    expect(FakeContext.made.at(-1)?.state).toBe("closed");
    FakeContext.resumes = true;
  });

  it("mixes the tracks it is given (live ones), follows new ones, and never stops the call's tracks", async () => {
    const mic = track("mic");
    const remote = track("remote");
    const rec = await startMixRecorderIn(env(), [mic, remote, track("gone", "ended")], { maxBytes: 1e6, stopped: () => undefined });
    const ctx = FakeContext.made.at(-1)!;
    const recorder = FakeMediaRecorder.made.at(-1)!;
    expect(recorder.options).toEqual({ mimeType: "audio/webm;codecs=opus", audioBitsPerSecond: RECORDING_BITS_PER_SECOND });
    expect(recorder.state).toBe("recording");
    expect(ctx.dest.channelCount).toBe(1);
    expect(ctx.sources.map((s) => s.stream?.tracks)).toEqual([[mic], [remote]]);
    const mic2 = track("mic2");
    rec.follow([mic2, remote]);
    expect(ctx.sources[0]!.connected.size).toBe(0);
    expect(ctx.sources[1]!.connected.size).toBe(1);
    expect(ctx.sources.map((s) => s.stream?.tracks)).toEqual([[mic], [remote], [mic2]]);
    recorder.chunk(100);
    rec.pause();
    expect(recorder.state).toBe("paused");
    rec.resume();
    recorder.chunk(50);
    expect(rec.bytes).toBe(150);
    const blob = await rec.stop();
    expect(blob.size).toBe(150);
    expect(blob.type).toBe("audio/webm;codecs=opus");
    expect(ctx.state).toBe("closed");
    expect(ctx.destTrack.stopped).toBe(true);
  });

  it("stops by itself once the file reaches its room (full), keeping what it has", async () => {
    const reasons: string[] = [];
    const rec = await startMixRecorderIn(env(), [track("mic")], { maxBytes: 250, stopped: (r) => reasons.push(r) });
    const recorder = FakeMediaRecorder.made.at(-1)!;
    recorder.chunk(200);
    expect(reasons).toEqual([]);
    recorder.chunk(100);
    expect(reasons).toEqual(["full"]);
    expect(recorder.state).toBe("inactive");
    expect((await rec.stop()).size).toBe(300);
  });
});
