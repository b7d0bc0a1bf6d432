import type { Call } from "./call.js";
import { CallState } from "./call-state.js";
import type { TonePlayer } from "./platform.js";

/**
 * Ringtone while any call rings in (the quieter call-waiting tone during a call); ringback
 * while an outgoing call rings without early media: a 180 without SDP gets ours, a 183 with
 * SDP plays the far end's own (its ringback, an announcement), and ours would talk over it.
 */
export class CallTones {
  private stopRing: (() => void) | undefined;
  private stopRingback: (() => void) | undefined;

  constructor(private readonly tones: TonePlayer) {}

  update(calls: readonly Call[]): void {
    const live = calls.filter((c) => c.state !== CallState.Ended);
    const busy = live.some((c) => c.state === CallState.Established);
    const ringingIn = live.some((c) => c.state === CallState.Incoming);
    const ringingOut = live.some((c) => c.state === CallState.Ringing && !c.earlyMedia);
    if (ringingIn && !this.stopRing) this.stopRing = this.tones.play(busy ? "callwaiting" : "ringtone");
    if (!ringingIn && this.stopRing) {
      this.stopRing();
      this.stopRing = undefined;
    }
    if (ringingOut && !this.stopRingback) this.stopRingback = this.tones.play("ringback");
    if (!ringingOut && this.stopRingback) {
      this.stopRingback();
      this.stopRingback = undefined;
    }
  }

  /** A short beep: the microphone just went live by itself. */
  autoAnswerBeep(clock: { setTimeout(fn: () => void, ms: number): unknown }): void {
    const stop = this.tones.play("autoanswer");
    clock.setTimeout(stop, 400);
  }
}
