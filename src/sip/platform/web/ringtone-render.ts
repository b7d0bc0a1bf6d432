/** A tone's sound and cadence, and its rendering (tones.ts, ringtone-sounds.ts). */
export interface Pattern {
  /** Frequencies sounded together; or one such list per "on" part of the cadence (a chime's notes). */
  freqs: number[] | number[][];
  /** on/off durations in seconds, repeated. */
  cadence: number[];
  gain: number;
  /** Each "on" part fades by this time constant, in seconds (a struck sound); else it holds. */
  decay?: number;
}

/** One cycle of `p`, rendered into a buffer that is looped. */
export function renderPattern(ctx: BaseAudioContext, p: Pattern): AudioBuffer {
  const rate = ctx.sampleRate;
  const total = p.cadence.reduce((a, b) => a + b, 0);
  const buf = ctx.createBuffer(1, Math.round(total * rate), rate);
  const data = buf.getChannelData(0);
  let t0 = 0;
  p.cadence.forEach((dur, i) => {
    if (i % 2 === 0) {
      const freqs = (typeof p.freqs[0] === "number" ? p.freqs : p.freqs[(i / 2) % p.freqs.length]) as number[];
      const start = Math.round(t0 * rate);
      const n = Math.round(dur * rate);
      const ramp = Math.round(0.01 * rate);
      for (let j = 0; j < n; j++) {
        const t = j / rate;
        const env = Math.min(1, j / ramp, (n - j) / ramp) * (p.decay ? Math.exp(-t / p.decay) : 1);
        let v = 0;
        for (const f of freqs) v += Math.sin(2 * Math.PI * f * t);
        data[start + j] = (v / freqs.length) * p.gain * env;
      }
    }
    t0 += dur;
  });
  return buf;
}
