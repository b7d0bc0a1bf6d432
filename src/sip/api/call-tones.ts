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
  /** What rings now: "callwaiting" or "ringtone <tone>". */
  private ring: string | undefined;
  private stopRingback: (() => void) | undefined;

  constructor(private readonly tones: TonePlayer) {}

  update(calls: readonly Call[]): void {
    const live = calls.filter((c) => c.state !== CallState.Ended);
    const busy = live.some((c) => c.state === CallState.Established);
    const ringingIn = live.find((c) => c.state === CallState.Incoming);
    const ringingOut = live.some((c) => c.state === CallState.Ringing && !c.earlyMedia);
    // The first call still ringing chooses the ringtone (its line's, alert-info-tone.ts); a call
    // that rings during another keeps to the soft call-waiting tone on the call's device.
    const ring = !ringingIn ? undefined : busy ? "callwaiting" : `ringtone ${ringingIn.ringtone ?? ""}`;
    if (ring !== this.ring) {
      this.stopRing?.();
      this.stopRing = undefined;
      this.ring = ring;
      if (ringingIn) this.stopRing = busy ? this.tones.play("callwaiting") : this.tones.play("ringtone", ringingIn.ringtone);
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
