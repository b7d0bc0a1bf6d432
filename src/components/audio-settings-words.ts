import type { AudioRole } from "../sip/api/audio-devices.js";

/** The Audio section's words (audio-settings.ts); the `audio-device` notices are audio-words.ts. */
export const AUDIO_WORDS = {
  microphone: "Microphone",
  speaker: "Call audio",
  ringer: "Ringer",
  systemDefault: "System default",
  testMicrophone: "Test microphone",
  stopTest: "Stop test",
  level: "Microphone level",
  testTone: (role: "speaker" | "ringer") => (role === "speaker" ? "Test call audio" : "Test ringer"),
  ringVolume: "Ring volume",
  callVolume: "Call volume",
  processing: "Voice processing",
  echoCancellation: "Echo cancellation",
  noiseSuppression: "Noise suppression",
  autoGainControl: "Automatic gain control",
  processingNote: "Applied to calls in progress at once.",
  noNames: "Device names show once the phone may use the microphone: press Test microphone to allow it.",
  loading: "Looking for audio devices…",
} as const;

/** The option for a chosen device the browser does not list now. */
export function missingOption(role: AudioRole): string {
  return role === "microphone" ? "Chosen microphone (not connected)" : "Chosen output (not connected)";
}

/** A device without a name (the browser hides names until the microphone is allowed). */
export function unnamedDevice(role: AudioRole, n: number): string {
  return role === "microphone" ? `Microphone ${n}` : `Output ${n}`;
}

/** Why an output cannot be chosen in this browser (no setSinkId), and what to do instead. */
export function noOutputChoice(role: "speaker" | "ringer"): string {
  const what = role === "speaker" ? "calls" : "the ringtone";
  return `This browser plays ${what} on the system's default output: choose it in the system's sound settings.`;
}

/** A chosen device that cannot be used now. */
export function unavailableNote(role: AudioRole): string {
  const what = { microphone: "microphone", speaker: "call audio output", ringer: "ringer output" }[role];
  return `The chosen ${what} is not available now: the system default is used until it is back.`;
}
