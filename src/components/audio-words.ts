import type { AudioDeviceNotice, AudioRole } from "../sip/api/audio-devices.js";

/** An `audio-device` event with its sentence, as `<sip-phone>` sends it and shows it. */
export type WordedAudioNotice = AudioDeviceNotice & { message: string };

const ROLE: Record<AudioRole, [what: string, fallback: string, back: string]> = {
  microphone: ["microphone", "using the default microphone", "in use again"],
  speaker: ["call output", "calls play on the default output", "calls play on it again"],
  ringer: ["ringer", "the ringtone plays on the default output", "the ringtone plays on it again"],
};

/** "The chosen microphone "Headset" is not available: using the default microphone". */
export function describeAudioNotice(n: AudioDeviceNotice): string {
  const [what, fallback, back] = ROLE[n.role];
  const name = n.label ? ` "${n.label}"` : "";
  return n.state === "back" ? `The chosen ${what}${name} is back: ${back}` : `The chosen ${what}${name} is not available: ${fallback}`;
}

export function wordedAudioNotice(n: AudioDeviceNotice): WordedAudioNotice {
  return { ...n, message: describeAudioNotice(n) };
}
