import type { AudioSettings } from "../config/audio-settings.js";
import { microphoneConstraints } from "../sip/api/audio-devices.js";

/**
 * The Settings view's checks, run in the tab the user looks at (the same machine and devices as
 * the tab that holds the calls): a test tone on an output and a microphone level meter. Each
 * opens what it needs when asked and closes it when done: no microphone stays open.
 */

/** AudioContext.setSinkId (Audio Output Devices API; Chrome 110+): not yet in TypeScript's DOM types. */
type SinkContext = AudioContext & { setSinkId?(sinkId: string): Promise<void> };

/**
 * Plays a short two-note chime on `sinkId` ("" the default) at `volume` (0..1); resolves when it
 * has played. A device that cannot be used plays on the default (as the phone would).
 */
export async function playTestTone(sinkId: string, volume: number): Promise<void> {
  const ctx: SinkContext = new AudioContext();
  try {
    if (sinkId) await ctx.setSinkId?.(sinkId).catch(() => undefined);
    await ctx.resume();
    const gain = ctx.createGain();
    gain.gain.value = 0.2 * volume;
    gain.connect(ctx.destination);
    const t = ctx.currentTime;
    [660, 880].forEach((freq, i) => {
      const osc = ctx.createOscillator();
      osc.frequency.value = freq;
      osc.connect(gain);
      osc.start(t + i * 0.35);
      osc.stop(t + i * 0.35 + 0.3);
    });
    await new Promise((r) => setTimeout(r, 800));
  } finally {
    await ctx.close().catch(() => undefined);
  }
}

/**
 * Opens the microphone as calls would (chosen device, voice processing) and reports its level
 * (0..1, RMS of the waveform, scaled so speech moves most of the bar) about 20 times a second.
 * Resolves with the function that stops it and closes the microphone; rejects with
 * getUserMedia's error (describeMediaError words it).
 */
export async function openMeter(settings: AudioSettings, onLevel: (level: number) => void): Promise<() => void> {
  const stream = await navigator.mediaDevices.getUserMedia(microphoneConstraints(settings));
  const ctx = new AudioContext();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 1024;
  ctx.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const v of samples) sum += v * v;
    onLevel(Math.min(1, Math.sqrt(sum / samples.length) * 4));
  }, 50);
  return () => {
    clearInterval(timer);
    for (const t of stream.getTracks()) t.stop();
    void ctx.close().catch(() => undefined);
  };
}
