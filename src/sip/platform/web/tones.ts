import { DEFAULT_RINGTONE } from "../../../config/ringtones.js";
import type { ToneKind, TonePlayer } from "../../api/platform.js";
import { renderPattern, type Pattern } from "./ringtone-render.js";

/**
 * Call progress tones, made with Web Audio (no audio files to download or cache): the ringtone
 * for incoming calls and the ringback heard while the far end rings. One cycle of each pattern
 * is rendered once into a buffer and looped, which keeps playing in background tabs. The default
 * ringtone is here ("classic"); the other built-in ones and the user's files are in
 * ringtone-sounds.ts, loaded when a line first rings with one.
 */

const PATTERNS: Record<ToneKind, Pattern> = {
  // The default ringtone, "classic": a two-tone warble, 0.4 s on 0.2 s off 0.4 s on 2 s off (UK-style double ring).
  ringtone: { freqs: [400, 450], cadence: [0.4, 0.2, 0.4, 2], gain: 0.25 },
  // North-American ringback: 440 + 480 Hz, 2 s on, 4 s off.
  ringback: { freqs: [440, 480], cadence: [2, 4], gain: 0.12 },
  // Call waiting: two short 440 Hz beeps every 10 s, quiet, over the current conversation.
  callwaiting: { freqs: [440], cadence: [0.2, 0.2, 0.2, 9.4], gain: 0.08 },
  // Auto-answer: one short high beep so the user knows the microphone just went live.
  autoanswer: { freqs: [880], cadence: [0.25, 0.25], gain: 0.15 },
};

export class WebAudioTonePlayer implements TonePlayer {
  private ctx: AudioContext | undefined;
  private readonly buffers = new Map<ToneKind, AudioBuffer>();
  /**
   * Where each kind plays once the audio settings route tones (tone-outputs.ts: the ringtone on
   * the ringer, the others with the call); until then, the default output.
   */
  output: ((kind: ToneKind) => AudioNode) | undefined;

  /**
   * @param userFile reads a ringtone file the user added (`file:<id>`; the app gives it storage,
   *   which the platform does not know).
   */
  constructor(private readonly userFile?: (id: string) => Promise<Blob | undefined>) {}

  play(kind: ToneKind, ringtone?: string): () => void {
    const out = this.output?.(kind) ?? (this.ctx ??= new AudioContext()).destination;
    // An AudioBuffer plays in any context (resampled to its rate): one per kind serves all.
    const ctx = out.context as AudioContext;
    void ctx.resume().catch(() => undefined);
    let source: AudioBufferSourceNode | undefined;
    let stopped = false;
    const start = (buffer: AudioBuffer) => {
      if (stopped) return;
      source = ctx.createBufferSource();
      source.buffer = buffer;
      source.loop = true;
      source.connect(out);
      source.start();
    };
    const fallback = () => start(this.buffer(ctx, kind));
    // Other ringtones (and the user's files) load on first use: most phones keep the default.
    if (kind === "ringtone" && ringtone && ringtone !== DEFAULT_RINGTONE) {
      import("./ringtone-sounds.js")
        .then((m) => m.ringtoneBuffer(ctx, ringtone, this.userFile))
        .then((buffer) => (buffer ? start(buffer) : fallback()), fallback);
    } else fallback();
    return () => {
      if (stopped) return;
      stopped = true;
      source?.stop();
      source?.disconnect();
    };
  }

  private buffer(ctx: BaseAudioContext, kind: ToneKind): AudioBuffer {
    const cached = this.buffers.get(kind) ?? renderPattern(ctx, PATTERNS[kind]);
    this.buffers.set(kind, cached);
    return cached;
  }
}

/** For tests and for hosts that play their own sounds. */
export const silentTones: TonePlayer = { play: () => () => undefined };
