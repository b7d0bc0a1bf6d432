/**
 * A line's codec order (`codecs`): the voice codecs its calls prefer, first choice first. Only
 * the codecs every browser we support carries are known: a name the browser does not have would
 * be skipped without a word, so a misspelt or unsupported one (G729) is refused here instead.
 */
import type { ConfigProblem } from "./phone-config.js";

/** The voice codecs a line may list, spelt as in SDP (`a=rtpmap`); names compare case-insensitively. */
export const VOICE_CODECS = ["opus", "G722", "PCMU", "PCMA"] as const;

/**
 * Payload formats that are always offered and never listed: RFC 4733 events (DTMF), comfort
 * noise, redundancy, retransmission. Named here so that listing one gets its own answer.
 */
const ALWAYS_OFFERED = ["telephone-event", "CN", "red", "rtx"];

export interface CodecsConfig {
  /**
   * Voice codecs in the order this line prefers them (`["G722", "PCMU"]`); the browser's other
   * codecs follow in its own order, and DTMF events / comfort noise are always offered.
   */
  codecs?: string[];
}

/** The listed name as the known codec spells it, or undefined when it is not one. */
export function knownCodec(name: string): (typeof VOICE_CODECS)[number] | undefined {
  return VOICE_CODECS.find((c) => c.toLowerCase() === name.toLowerCase());
}

export function checkCodecs(a: Record<string, unknown>, at: string, problems: ConfigProblem[]): void {
  const list = a.codecs;
  if (list === undefined) return;
  const field = `${at}.codecs`;
  const known = VOICE_CODECS.join(", ");
  if (!Array.isArray(list) || list.length === 0) {
    problems.push({ field, message: `must list voice codecs in order, such as ["G722", "PCMU"] (known: ${known})` });
    return;
  }
  const seen = new Set<string>();
  list.forEach((name, i) => {
    const f = `${field}[${i}]`;
    if (typeof name !== "string") {
      problems.push({ field: f, message: `must be a codec name (${known})` });
      return;
    }
    const codec = knownCodec(name);
    if (!codec) {
      const always = ALWAYS_OFFERED.some((c) => c.toLowerCase() === name.toLowerCase());
      problems.push({
        field: f,
        message: always
          ? `"${name}" is always offered and is not listed: list voice codecs only (${known})`
          : `"${name}" is not a codec the phone knows: use ${known} (any case)`,
      });
    } else if (seen.has(codec)) {
      problems.push({ field: f, message: `"${name}" is listed twice` });
    } else {
      seen.add(codec);
    }
  });
}
