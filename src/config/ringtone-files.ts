/**
 * What a ringtone file the user adds may be (Settings → Ringtones): checked before it is kept
 * (app/ringtone-library.ts, platform/web/ringtone-file.ts). Apart from ringtones.ts so that the
 * page's first script, which validates configurations, does not carry it.
 */
/** A ringtone file the user adds: audio, at most 1 MiB (a ringtone is seconds long), 10 of them. */
export const MAX_RINGTONE_BYTES = 1024 * 1024;
export const MAX_RINGTONE_FILES = 10;
/** Why a file cannot be a ringtone; components/ringing-words.ts says it in words. */
export type RingtoneFileProblem = "not-audio" | "too-big" | "empty" | "undecodable" | "full";

/** What can be told before decoding: the type the browser gives the file, and its size. */
export function ringtoneFileProblem(file: { type: string; size: number }): RingtoneFileProblem | undefined {
  if (!/^audio\/[\w.+-]+$/i.test(file.type)) return "not-audio";
  if (file.size === 0) return "empty";
  if (file.size > MAX_RINGTONE_BYTES) return "too-big";
  return undefined;
}
