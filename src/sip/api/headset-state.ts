import type { CallSnapshot } from "./call-state.js";

/**
 * A telephony headset (USB HID usage page 0x0B, docs/media.md) kept in step with the phone:
 * what its buttons mean, and what its lights show. Pure: the WebHID glue
 * (components/headset-hid.ts) feeds it reports and carries out what it returns.
 *
 * ```
 *   phone state ──▶ lights():  ring    = a call rings and none is up
 *                              offHook = a call is up (or being dialled)
 *                              mute    = that call is muted
 *
 *   hook switch ──▶ press():   lifted (1) while we show on-hook ─▶ answer the ringing call
 *                              put down (0) while we show off-hook ─▶ hang up the call
 *                              the same value as we show ─▶ nothing (the headset echoing our light)
 *   phone mute  ──▶ press():   0 → 1 (pressed) while a call is up ─▶ mute toggled
 * ```
 * Headsets report the hook switch as a state, not a press (USB HID Usage Tables 1.5, 14.1: an
 * on/off control), and most follow the off-hook light we send: so a change is read against the
 * state we last showed, and answering on screen sends the light first (then the headset's echo
 * is no press). Phone Mute is a one-shot control: only its rising edge counts.
 */
export interface HeadsetLights {
  ring: boolean;
  offHook: boolean;
  mute: boolean;
}

/** What a headset's input report said (undefined: the report does not carry that control). */
export interface HeadsetInput {
  hook?: boolean;
  mute?: boolean;
}

export type HeadsetCommand =
  { action: "answer"; callId: string } | { action: "hangup"; callId: string } | { action: "mute"; callId: string; on: boolean };

type Call = Pick<CallSnapshot, "id" | "state" | "direction" | "muted">;

/** The call a headset's buttons act on while it is up, and the one that rings. */
function focus(calls: readonly Call[]): { up?: Call; ringing?: Call } {
  const live = calls.filter((c) => c.state !== "ended");
  return {
    up: live.find((c) => c.state === "established") ?? live.find((c) => c.state === "dialing" || c.state === "ringing"),
    ringing: live.find((c) => c.state === "incoming"),
  };
}

export function lightsFor(calls: readonly Call[]): HeadsetLights {
  const { up, ringing } = focus(calls);
  return { ring: !!ringing && !up, offHook: !!up, mute: !!up?.muted };
}

export class HeadsetState {
  /** The lights last sent (undefined: to be sent again, the headset went its own way). */
  private sent: HeadsetLights | undefined;
  /** The hook state the headset is in, as far as we know: our off-hook light, or its own report. */
  private hook = false;
  private muteDown = false;

  /** The phone changed: the lights to send, or undefined when they are as sent already. */
  update(calls: readonly Call[]): HeadsetLights | undefined {
    const next = lightsFor(calls);
    const sent = this.sent;
    if (sent && next.ring === sent.ring && next.offHook === sent.offHook && next.mute === sent.mute) return undefined;
    this.sent = next;
    this.hook = next.offHook;
    return next;
  }

  /** An input report: the commands it asks for (none when it only echoes what we show). */
  press(input: HeadsetInput, calls: readonly Call[]): HeadsetCommand[] {
    const { up, ringing } = focus(calls);
    const commands: HeadsetCommand[] = [];
    if (input.hook !== undefined && input.hook !== this.hook) {
      if (input.hook && ringing) commands.push({ action: "answer", callId: ringing.id });
      else if (!input.hook && up) commands.push({ action: "hangup", callId: up.id });
      // A change that asks nothing (lifted with no call): the next update puts the lights back.
      else this.sent = undefined;
      // Believe the headset until the phone says otherwise, so a repeated report is no new press.
      this.hook = input.hook;
    }
    if (input.mute !== undefined) {
      if (input.mute && !this.muteDown && up) commands.push({ action: "mute", callId: up.id, on: !up.muted });
      this.muteDown = input.mute;
    }
    return commands;
  }
}
