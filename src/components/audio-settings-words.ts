import type { Words } from "../i18n/words.js";
import type { AudioRole } from "../sip/api/audio-devices.js";

/** The option for a chosen device the browser does not list now. */
export function missingOption(w: Words, role: AudioRole): string {
  return w.t(role === "microphone" ? "audio.missingMicrophone" : "audio.missingOutput");
}

/** A device without a name (the browser hides names until the microphone is allowed). */
export function unnamedDevice(w: Words, role: AudioRole, n: number): string {
  return w.t(role === "microphone" ? "audio.unnamedMicrophone" : "audio.unnamedOutput", { n });
}

/** Why an output cannot be chosen in this browser (no setSinkId), and what to do instead. */
export function noOutputChoice(w: Words, role: "speaker" | "ringer"): string {
  return w.t(role === "speaker" ? "audio.noSpeakerChoice" : "audio.noRingerChoice");
}

/** A chosen device that cannot be used now. */
export function unavailableNote(w: Words, role: AudioRole): string {
  return w.t(
    role === "microphone" ? "audio.microphoneUnavailable" : role === "speaker" ? "audio.speakerUnavailable" : "audio.ringerUnavailable",
  );
}
