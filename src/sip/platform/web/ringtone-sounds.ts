import type { BuiltInRingtone } from "../../../config/ringtones.js";
import { renderPattern, type Pattern } from "./ringtone-render.js";

/**
 * The built-in ringtones other than the default (tones.ts), generated with Web Audio, and the
 * user's own files decoded for playing. Loaded when a line first rings with one of them.
 * Each has its own frequencies as well as its own cadence, so they are told apart even in a
 * short ring (and e2e/ringing.test.mjs tells them apart by the dominant frequency).
 */
export const RINGTONE_PATTERNS: Record<Exclude<BuiltInRingtone, "classic">, Pattern> = {
  // CEPT / most of continental Europe: 425 Hz, 1 s on, 4 s off.
  european: { freqs: [425], cadence: [1, 4], gain: 0.3 },
  // North American distinctive "double ring" (Bellcore DR2 cadence, 0.8 on 0.4 off 0.8 on 4 off) at 440 + 480 Hz.
  "north-american": { freqs: [440, 480], cadence: [0.8, 0.4, 0.8, 4], gain: 0.25 },
  // A soft two-note chime (E6 then C6), struck and fading.
  chime: { freqs: [[1318.5], [1046.5]], cadence: [0.45, 0.05, 0.9, 2.6], gain: 0.3, decay: 0.35 },
  // Internal calls: a short, higher double ring (0.25 on 0.15 off 0.25 on 3 off) at 660 Hz.
  internal: { freqs: [660], cadence: [0.25, 0.15, 0.25, 3], gain: 0.25 },
};

const rendered = new Map<string, AudioBuffer>();
/** Decoded user files, by id; a few at most (a phone has a handful of lines). */
const decoded = new Map<string, AudioBuffer>();
const MAX_DECODED = 4;

/**
 * The sound of `ringtone` (a built-in name, or `file:<id>` read by `userFile`), or undefined
 * when it cannot be played (unknown, gone from storage, not decodable): the caller then rings
 * with the default, never with silence.
 */
export async function ringtoneBuffer(
  ctx: BaseAudioContext,
  ringtone: string,
  userFile: ((id: string) => Promise<Blob | undefined>) | undefined,
): Promise<AudioBuffer | undefined> {
  if (Object.hasOwn(RINGTONE_PATTERNS, ringtone)) {
    const name = ringtone as keyof typeof RINGTONE_PATTERNS;
    const buffer = rendered.get(name) ?? renderPattern(ctx, RINGTONE_PATTERNS[name]);
    rendered.set(name, buffer);
    return buffer;
  }
  const id = /^file:([\w-]{1,64})$/.exec(ringtone)?.[1];
  if (!id || !userFile) return undefined;
  const cached = decoded.get(id);
  if (cached) return cached;
  try {
    const blob = await userFile(id);
    if (!blob) return undefined;
    const buffer = await ctx.decodeAudioData(await blob.arrayBuffer());
    if (decoded.size >= MAX_DECODED) decoded.delete(decoded.keys().next().value!);
    decoded.set(id, buffer);
    return buffer;
  } catch {
    return undefined;
  }
}
