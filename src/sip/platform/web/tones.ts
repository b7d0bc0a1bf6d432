import type { ToneKind, TonePlayer } from "../../api/platform.js";

/**
 * Call progress tones, made with Web Audio (no audio files to download or cache): the ringtone
 * for incoming calls and the ringback heard while the far end rings. One cycle of each pattern
 * is rendered once into a buffer and looped, which keeps playing in background tabs.
 */

interface Pattern {
  freqs: number[];
  /** on/off durations in seconds, repeated. */
  cadence: number[];
  gain: number;
}

const PATTERNS: Record<ToneKind, Pattern> = {
  // A two-tone warble, 0.4 s on 0.2 s off 0.4 s on 2 s off (UK-style double ring).
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

  play(kind: ToneKind): () => void {
    const out = this.output?.(kind) ?? (this.ctx ??= new AudioContext()).destination;
    // An AudioBuffer plays in any context (resampled to its rate): one per kind serves all.
    const ctx = out.context as AudioContext;
    void ctx.resume().catch(() => undefined);
    const source = ctx.createBufferSource();
    source.buffer = this.buffer(ctx, kind);
    source.loop = true;
    source.connect(out);
    source.start();
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      source.stop();
      source.disconnect();
    };
  }

  private buffer(ctx: AudioContext, kind: ToneKind): AudioBuffer {
    const cached = this.buffers.get(kind);
    if (cached) return cached;
    const p = PATTERNS[kind];
    const rate = ctx.sampleRate;
    const total = p.cadence.reduce((a, b) => a + b, 0);
    const buf = ctx.createBuffer(1, Math.round(total * rate), rate);
    const data = buf.getChannelData(0);
    let t0 = 0;
    p.cadence.forEach((dur, i) => {
      if (i % 2 === 0) {
        const start = Math.round(t0 * rate);
        const n = Math.round(dur * rate);
        const ramp = Math.round(0.01 * rate);
        for (let j = 0; j < n; j++) {
          const t = j / rate;
          const env = Math.min(1, j / ramp, (n - j) / ramp);
          let v = 0;
          for (const f of p.freqs) v += Math.sin(2 * Math.PI * f * t);
          data[start + j] = (v / p.freqs.length) * p.gain * env;
        }
      }
      t0 += dur;
    });
    this.buffers.set(kind, buf);
    return buf;
  }
}

/** For tests and for hosts that play their own sounds. */
export const silentTones: TonePlayer = { play: () => () => undefined };
