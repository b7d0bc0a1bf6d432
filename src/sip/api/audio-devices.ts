import type { AudioSettings } from "../../config/audio-settings.js";

/**
 * The phone's choice of audio devices, as data and pure decisions (audio-routing.ts acts on
 * them, the platform opens and plays). Device ids are the browser's (`MediaDeviceInfo.deviceId`):
 * made for this origin, stable across visits, and gone when the device is unplugged or the
 * browser's data is cleared, so a chosen id may be missing at any time; the phone then uses the
 * system's default and says so, and takes the chosen one again when it comes back.
 */

export type { AudioSettings };

/** What a device is used for: the microphone, the call's output ("speaker"), the ringtone's ("ringer"). */
export type AudioRole = "microphone" | "speaker" | "ringer";

export const AUDIO_ROLES: readonly AudioRole[] = ["microphone", "speaker", "ringer"];

/** One audio device, as the browser lists it (`enumerateDevices()`). */
export interface AudioDevice {
  kind: "audioinput" | "audiooutput";
  /** The id to choose it by; "default" is the system's default (Chrome lists it as a device). */
  id: string;
  /** Empty until the user has let this origin use the microphone (the browser hides names before). */
  label: string;
}

/** `audioDevices()`: the devices, what this browser lets the phone choose, and the settings in force. */
export interface AudioDeviceList {
  devices: AudioDevice[];
  /**
   * Whether an output can be chosen in this browser (`setSinkId`, Audio Output Devices API): for
   * the call (media elements) and for the ringtone (Web Audio). Where false, that sound plays on
   * the system's default output whatever is chosen.
   */
  outputs: { speaker: boolean; ringer: boolean };
  settings: AudioSettings;
  /** Chosen devices that cannot be used now (unplugged, or an id from before): the default plays or listens instead. */
  unavailable: AudioRole[];
}

/** The `audio-device` event: a chosen device went away (the default took over) or came back (in use again). */
export interface AudioDeviceNotice {
  role: AudioRole;
  /** The chosen device's id. */
  deviceId: string;
  /** Its name when the browser still lists it (not when it was unplugged). */
  label?: string;
  state: "unavailable" | "back";
}

/** Voice processing as getUserMedia constraints (MediaTrackConstraintSet); each on unless turned off. */
export interface VoiceProcessing {
  echoCancellation: boolean;
  noiseSuppression: boolean;
  autoGainControl: boolean;
}

const KIND: Record<AudioRole, AudioDevice["kind"]> = { microphone: "audioinput", speaker: "audiooutput", ringer: "audiooutput" };

export function voiceProcessing(settings: AudioSettings): VoiceProcessing {
  return {
    echoCancellation: settings.echoCancellation !== false,
    noiseSuppression: settings.noiseSuppression !== false,
    autoGainControl: settings.autoGainControl !== false,
  };
}

/**
 * getUserMedia constraints for the microphone: the chosen device `exact` (a missing one fails
 * with OverconstrainedError, which the platform answers with the default, rather than the
 * browser silently picking another), and the voice processing.
 */
export function microphoneConstraints(settings: AudioSettings): MediaStreamConstraints {
  const id = settings.microphone;
  return { audio: { ...(id ? { deviceId: { exact: id } } : {}), ...voiceProcessing(settings) }, video: false };
}

/** The list has ids: the user allowed the microphone, so a chosen id that is not in it is really gone. */
function knowsIds(devices: readonly AudioDevice[]): boolean {
  return devices.some((d) => d.id !== "");
}

/** The chosen devices that the list does not have (none when the browser hides the ids). */
export function unavailableRoles(settings: AudioSettings, devices: readonly AudioDevice[]): AudioRole[] {
  if (!knowsIds(devices)) return [];
  return AUDIO_ROLES.filter((role) => {
    const id = settings[role];
    return !!id && !devices.some((d) => d.kind === KIND[role] && d.id === id);
  });
}

/** The settings the platform is given: the default in place of each unavailable device. */
export function inEffect(settings: AudioSettings, unavailable: Iterable<AudioRole>): AudioSettings {
  const out = { ...settings };
  for (const role of unavailable) out[role] = "";
  return out;
}

/** The microphone parts of two settings differ: a microphone opened under one is not right for the other. */
export function microphoneDiffers(a: AudioSettings, b: AudioSettings): boolean {
  return JSON.stringify(microphoneConstraints(a)) !== JSON.stringify(microphoneConstraints(b));
}

/**
 * Whether a live microphone track (its `getSettings()`) is what `settings` ask for:
 * - "device": another device than the chosen one, or one the list no longer has (unplugged);
 * - "processing": the right device with other voice processing (which the browser may change in
 *   place with applyConstraints, or not: Chrome reports the old values and needs a new track);
 * - "fits".
 * A value the browser does not report counts as fitting: nothing better can be known.
 */
export function microphoneFit(
  track: Pick<MediaTrackSettings, "deviceId" | keyof VoiceProcessing>,
  settings: AudioSettings,
  devices: readonly AudioDevice[] = [],
): "device" | "processing" | "fits" {
  const chosen = settings.microphone;
  const id = track.deviceId;
  if (chosen && id && id !== chosen) return "device";
  if (id && knowsIds(devices) && !devices.some((d) => d.kind === "audioinput" && d.id === id)) return "device";
  const wanted = voiceProcessing(settings);
  for (const key of Object.keys(wanted) as (keyof VoiceProcessing)[]) {
    const actual = track[key] as unknown;
    // Chrome's echoCancellation may read "all" or "remote-only" (both cancel echo), or a boolean.
    if (actual !== undefined && (actual !== false) !== wanted[key]) return "processing";
  }
  return "fits";
}

/** What changed between two sets of unavailable roles, as notices. */
export function noticesBetween(
  settings: AudioSettings,
  before: ReadonlySet<AudioRole>,
  after: ReadonlySet<AudioRole>,
  devices: readonly AudioDevice[],
): AudioDeviceNotice[] {
  const notices: AudioDeviceNotice[] = [];
  for (const role of AUDIO_ROLES) {
    const deviceId = settings[role];
    if (!deviceId || before.has(role) === after.has(role)) continue;
    const label = devices.find((d) => d.kind === KIND[role] && d.id === deviceId)?.label;
    notices.push({ role, deviceId, ...(label ? { label } : {}), state: after.has(role) ? "unavailable" : "back" });
  }
  return notices;
}
