import type { ToneKind } from "../../api/platform.js";
import type { WebAudioTonePlayer } from "./tones.js";

/**
 * Choosing where sound plays (Audio Output Devices API, https://w3c.github.io/mediacapture-output/):
 * `setSinkId` on a media element (calls) or on an AudioContext (tones; Chrome 110+). Loaded with
 * the audio settings (browser-audio.ts).
 */

/** Something whose output device can be chosen: an element, or an AudioContext (not yet in TypeScript's DOM types). */
export interface Sink {
  setSinkId?(sinkId: string): Promise<void>;
  readonly sinkId?: unknown;
}

/** Whether instances of `type` can choose their output. */
export function canChoose(type: { prototype: object } | undefined): boolean {
  return !!type && "setSinkId" in type.prototype;
}

/**
 * Sends `target` to `sinkId` ("" the default); false, and the default, when the device cannot
 * be used (NotFoundError: unplugged; NotAllowedError: this page may not use it).
 */
export async function sendTo(target: Sink, sinkId: string): Promise<boolean> {
  if (!target.setSinkId || target.sinkId === sinkId) return true;
  try {
    await target.setSinkId(sinkId);
    return true;
  } catch {
    await target.setSinkId("").catch(() => undefined);
    return false;
  }
}

/** Where each tone is heard: the ringtone on the ringer, the others with the call (a desk phone plays them in its handset). */
export type ToneOutput = "ringer" | "call";
const OUTPUT_OF: Record<ToneKind, ToneOutput> = { ringtone: "ringer", ringback: "call", callwaiting: "call", autoanswer: "call" };

/** One tone output: its own AudioContext (made when a tone first plays there), device and volume. */
export class ToneSink {
  sinkId = "";
  volume = 1;
  ctx: (AudioContext & Sink) | undefined;
  private gain: GainNode | undefined;

  /** The node tones connect to. */
  input(): AudioNode {
    if (!this.ctx || !this.gain) {
      const ctx: AudioContext & Sink = (this.ctx = new AudioContext());
      this.gain = ctx.createGain();
      this.gain.gain.value = this.volume;
      this.gain.connect(ctx.destination);
      // A device gone by now: the context stays on the default.
      if (this.sinkId) void ctx.setSinkId?.(this.sinkId).catch(() => undefined);
    }
    return this.gain;
  }

  /** On `sinkId` at `volume`, now (a context already made) and later; false when the device failed (the default then). */
  async route(sinkId: string, volume: number): Promise<boolean> {
    this.volume = volume;
    if (this.gain) this.gain.gain.value = volume;
    this.sinkId = canChoose(globalThis.AudioContext) ? sinkId : "";
    if (!this.ctx || (await sendTo(this.ctx, this.sinkId))) return true;
    this.sinkId = "";
    return false;
  }
}

/** Gives a tone player one output for the ringtone and one for the call's tones. */
export function routeTones(player: WebAudioTonePlayer): Record<ToneOutput, ToneSink> {
  const sinks = { ringer: new ToneSink(), call: new ToneSink() };
  player.output = (kind) => sinks[OUTPUT_OF[kind]].input();
  return sinks;
}
