/**
 * The phone's audio settings: which devices it uses, its voice processing and its volumes. Kept
 * per browser (settings store), not in the configuration: device ids are the browser's, made
 * for one origin, and mean nothing on another machine (Media Capture and Streams,
 * https://w3c.github.io/mediacapture-main/#dom-mediadeviceinfo-deviceid). Keys are a contract
 * with host pages (`setAudio()`): rename nothing, only add.
 */
import { ConfigError, type ConfigProblem } from "./phone-config.js";

export interface AudioSettings {
  /** The microphone's device id (`audioinput`); "" or absent: the system's default. */
  microphone?: string;
  /** Where calls are heard (`audiooutput`): the other party, ringback, call waiting. "" or absent: the default. */
  speaker?: string;
  /** Where the ringtone rings (`audiooutput`); "" or absent: the default. */
  ringer?: string;
  /** Voice processing of the microphone (getUserMedia constraints); each absent: on. */
  echoCancellation?: boolean;
  noiseSuppression?: boolean;
  autoGainControl?: boolean;
  /** 0..1 (absent: 1): the ringtone's loudness. */
  ringVolume?: number;
  /** 0..1 (absent: 1): the call's loudness (the other party and the call's tones). */
  callVolume?: number;
  /**
   * The camera's device id (`videoinput`, from `cameras()`) for video calls; "" or absent: the
   * default. Kept here, per browser, for the same reason as the audio devices.
   */
  camera?: string;
}

export const DEVICE_KEYS = ["microphone", "speaker", "ringer"] as const;
export const PROCESSING_KEYS = ["echoCancellation", "noiseSuppression", "autoGainControl"] as const;
export const VOLUME_KEYS = ["ringVolume", "callVolume"] as const;

/** Browsers' ids are 64 hex digits (Chrome) or a base64 UUID (Firefox): anything longer is not one. */
const MAX_ID = 256;

/**
 * Checks a settings patch from a host page or storage: every bad key named (ConfigError), unknown
 * keys refused (a misspelt key would otherwise change nothing without a word).
 */
export function validateAudioSettings(input: unknown): AudioSettings {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ConfigError([{ field: "audio", message: "must be an object such as {microphone: id}" }]);
  }
  const problems: ConfigProblem[] = [];
  const out: AudioSettings = {};
  const known = new Set<string>([...DEVICE_KEYS, "camera", ...PROCESSING_KEYS, ...VOLUME_KEYS]);
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (!known.has(key)) problems.push({ field: key, message: `is not an audio setting (known: ${[...known].join(", ")})` });
    else if ((DEVICE_KEYS as readonly string[]).includes(key) || key === "camera") {
      if (typeof value === "string" && value.length <= MAX_ID) out[key as (typeof DEVICE_KEYS)[number] | "camera"] = value;
      else
        problems.push({
          field: key,
          message: `must be a device id from ${key === "camera" ? "cameras()" : "audioDevices()"}, or "" for the default`,
        });
    } else if ((PROCESSING_KEYS as readonly string[]).includes(key)) {
      if (typeof value === "boolean") out[key as (typeof PROCESSING_KEYS)[number]] = value;
      else problems.push({ field: key, message: "must be true or false" });
    } else if (typeof value === "number" && value >= 0 && value <= 1) out[key as (typeof VOLUME_KEYS)[number]] = value;
    else problems.push({ field: key, message: "must be a number from 0 to 1" });
  }
  if (problems.length) throw new ConfigError(problems);
  return out;
}

/** `patch` over `base`: a key the patch leaves out stays as it was. */
export function mergeAudioSettings(base: AudioSettings, patch: AudioSettings): AudioSettings {
  const out: AudioSettings = { ...base };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}
