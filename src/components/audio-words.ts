import type { PlainId } from "../i18n/catalogue.js";
import type { Words } from "../i18n/words.js";
import type { AudioDeviceNotice, AudioRole } from "../sip/api/audio-devices.js";

/** An `audio-device` event with its sentence, as `<sip-phone>` sends it and shows it. */
export type WordedAudioNotice = AudioDeviceNotice & { message: string };

const ROLE: Record<AudioRole, [what: PlainId, fallback: PlainId, back: PlainId]> = {
  microphone: ["audioNotice.microphone", "audioNotice.microphoneFallback", "audioNotice.microphoneBack"],
  speaker: ["audioNotice.speaker", "audioNotice.speakerFallback", "audioNotice.speakerBack"],
  ringer: ["audioNotice.ringer", "audioNotice.ringerFallback", "audioNotice.ringerBack"],
};

/** "The chosen microphone "Headset" is not available: using the default microphone". */
export function describeAudioNotice(w: Words, n: AudioDeviceNotice): string {
  const [what, fallback, back] = ROLE[n.role];
  const device = n.label ? w.t("audioNotice.named", { what: w.t(what), name: n.label }) : w.t(what);
  return n.state === "back"
    ? w.t("audioNotice.back", { device, then: w.t(back) })
    : w.t("audioNotice.gone", { device, then: w.t(fallback) });
}

export function wordedAudioNotice(w: Words, n: AudioDeviceNotice): WordedAudioNotice {
  return { ...n, message: describeAudioNotice(w, n) };
}
