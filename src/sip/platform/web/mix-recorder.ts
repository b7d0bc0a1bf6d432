import { RecordingError, type MixRecorder, type MixRecorderFactory, type MixRecorderOptions } from "../../api/recording-media.js";

/**
 * A call recorder in the browser: the call's tracks (our microphone, what the other side sends)
 * mixed by Web Audio into one mono stream, which a MediaRecorder encodes as Opus.
 *
 * ```
 *   microphone ──▶ source ──┐
 *   remote(s)  ──▶ source ──┴─▶ limiter ──▶ destination (mono) ──▶ MediaRecorder ──▶ chunks ──▶ Blob
 * ```
 * The limiter only touches peaks near full scale, where two loud sides summed would clip.
 * MediaRecorder records one audio track only (Chrome takes the first of a stream), hence the
 * mix. Chrome feeds a remote WebRTC track into Web Audio only while a media element plays it
 * (https://crbug.com/933677); the phone plays every call's remote stream, which meets that.
 * The sources only read the tracks: nothing here stops or changes them.
 */

/** The file types tried, best first: Opus in WebM (Chrome, Edge, Firefox, Safari 18.4+), in Ogg (Firefox). */
export const RECORDING_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus"] as const;
/** Opus at 32 kb/s: wideband speech at about 14 MB an hour. */
export const RECORDING_BITS_PER_SECOND = 32_000;
/** A chunk a second: the size is known as the file grows, and a recorder that fails loses at most this. */
const CHUNK_MS = 1000;
/** How long a new AudioContext gets to start running before the recording is refused (`blocked`). */
const RESUME_WAIT_MS = 2000;

/** The browser objects used (unit tests give fakes). */
export interface RecorderEnvironment {
  AudioContext: typeof AudioContext | undefined;
  MediaRecorder: typeof MediaRecorder | undefined;
  MediaStream: typeof MediaStream;
  wait(ms: number): Promise<void>;
}

const browser = (): RecorderEnvironment => ({
  AudioContext: globalThis.AudioContext,
  MediaRecorder: globalThis.MediaRecorder,
  MediaStream: globalThis.MediaStream,
  wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});

/** The first type of RECORDING_TYPES this browser records; undefined: none. */
export function pickRecordingType(isTypeSupported: (type: string) => boolean): string | undefined {
  return RECORDING_TYPES.find((type) => {
    try {
      return isTypeSupported(type);
    } catch {
      return false;
    }
  });
}

/** Starts recording `tracks`; rejects with RecordingError `unsupported` or `blocked`. */
export const startMixRecorder: MixRecorderFactory = (tracks, options) => startMixRecorderIn(browser(), tracks, options);

/** startMixRecorder with the browser objects given (unit tests). */
export async function startMixRecorderIn(
  env: RecorderEnvironment,
  tracks: readonly MediaStreamTrack[],
  options: MixRecorderOptions,
): Promise<MixRecorder> {
  const { AudioContext: Context, MediaRecorder: Recorder } = env;
  if (typeof Recorder !== "function" || typeof Context !== "function")
    throw new RecordingError("unsupported", "no MediaRecorder or AudioContext");
  const mimeType = pickRecordingType((t) => Recorder.isTypeSupported(t));
  if (!mimeType) throw new RecordingError("unsupported", "no Opus in WebM or Ogg");
  const ctx = new Context();
  // A context made without a recent click starts suspended and would record silence.
  await Promise.race([ctx.resume().catch(() => undefined), env.wait(RESUME_WAIT_MS)]);
  if (ctx.state !== "running") {
    void ctx.close().catch(() => undefined);
    throw new RecordingError("blocked", `audio context ${ctx.state}`);
  }
  const dest = ctx.createMediaStreamDestination();
  dest.channelCount = 1;
  const limiter = ctx.createDynamicsCompressor();
  limiter.threshold.value = -3;
  limiter.knee.value = 0;
  limiter.ratio.value = 20;
  limiter.attack.value = 0.002;
  limiter.release.value = 0.1;
  limiter.connect(dest);
  let recorder: MediaRecorder;
  try {
    recorder = new Recorder(dest.stream, { mimeType, audioBitsPerSecond: RECORDING_BITS_PER_SECOND });
  } catch (e) {
    void ctx.close().catch(() => undefined);
    throw new RecordingError("unsupported", (e as Error).message);
  }
  const mix = new WebMixRecorder(env, ctx, limiter, dest, recorder, mimeType, options);
  mix.follow(tracks);
  recorder.start(CHUNK_MS);
  return mix;
}

class WebMixRecorder implements MixRecorder {
  private readonly sources = new Map<MediaStreamTrack, MediaStreamAudioSourceNode>();
  private readonly chunks: Blob[] = [];
  private size = 0;
  private readonly file: Promise<Blob>;
  private closed = false;

  constructor(
    private readonly env: RecorderEnvironment,
    private readonly ctx: AudioContext,
    /** Where the sources go: the limiter before the destination. */
    private readonly input: AudioNode,
    private readonly dest: MediaStreamAudioDestinationNode,
    private readonly recorder: MediaRecorder,
    mimeType: string,
    options: MixRecorderOptions,
  ) {
    recorder.addEventListener("dataavailable", (e) => {
      if (!e.data.size) return;
      this.chunks.push(e.data);
      this.size += e.data.size;
      if (this.size >= options.maxBytes && recorder.state !== "inactive") {
        recorder.stop();
        options.stopped("full");
      }
    });
    // The recorder stops by itself after an error (https://w3c.github.io/mediacapture-record/#mediarecorder-error).
    recorder.addEventListener("error", () => options.stopped("recorder-error"));
    this.file = new Promise((resolve) =>
      recorder.addEventListener("stop", () => resolve(new Blob(this.chunks, { type: recorder.mimeType || mimeType }))),
    );
  }

  get bytes(): number {
    return this.size;
  }

  follow(tracks: readonly MediaStreamTrack[]): void {
    if (this.closed) return;
    const wanted = new Set(tracks.filter((t) => t.kind === "audio" && t.readyState === "live"));
    for (const [track, node] of this.sources) {
      if (wanted.has(track)) continue;
      node.disconnect();
      this.sources.delete(track);
    }
    for (const track of wanted) {
      if (this.sources.has(track)) continue;
      const node = this.ctx.createMediaStreamSource(new this.env.MediaStream([track]));
      node.connect(this.input);
      this.sources.set(track, node);
    }
  }

  pause(): void {
    if (this.recorder.state === "recording") this.recorder.pause();
  }

  resume(): void {
    if (this.recorder.state === "paused") this.recorder.resume();
  }

  async stop(): Promise<Blob> {
    if (this.recorder.state !== "inactive") this.recorder.stop();
    const blob = await this.file;
    if (!this.closed) {
      this.closed = true;
      for (const node of this.sources.values()) node.disconnect();
      this.sources.clear();
      // Only the mix's own track: the call's tracks are the call's.
      for (const t of this.dest.stream.getTracks()) t.stop();
      await this.ctx.close().catch(() => undefined);
    }
    return blob;
  }
}
