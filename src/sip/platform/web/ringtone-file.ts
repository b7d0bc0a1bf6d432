import { ringtoneFileProblem, type RingtoneFileProblem } from "../../../config/ringtone-files.js";

/** Decodes audio the way the ringer will (Web Audio), off any device. */
export type AudioDecoder = (data: ArrayBuffer) => Promise<{ duration: number }>;

const decodeOffline: AudioDecoder = (data) => new OfflineAudioContext(1, 1, 44_100).decodeAudioData(data);

/**
 * Whether `file` can ring: audio by its type, not empty, at most MAX_RINGTONE_BYTES, and decoded
 * once with Web Audio (a file the browser cannot decode would ring as silence; the player then
 * falls back to the default, but the user is told now, when adding it). Undefined when it can.
 */
export async function checkRingtoneFile(file: Blob, decode: AudioDecoder = decodeOffline): Promise<RingtoneFileProblem | undefined> {
  const problem = ringtoneFileProblem(file);
  if (problem) return problem;
  try {
    const { duration } = await decode(await file.arrayBuffer());
    return duration > 0 ? undefined : "undecodable";
  } catch {
    return "undecodable";
  }
}
