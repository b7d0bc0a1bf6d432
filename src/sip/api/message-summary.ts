/**
 * The body of a `message-summary` NOTIFY (RFC 3842 5.2, `application/simple-message-summary`):
 *
 * ```
 * Messages-Waiting: yes
 * Message-Account: sip:alice@vmail.example.com
 * Voice-Message: 2/8 (0/2)
 * ```
 *
 * Read tolerantly (any case, any white space, CRLF or LF, other message classes such as `fax`
 * and trailing optional headers ignored), but bounded: a body over MAX_SUMMARY_CHARS, a count
 * over MAX_COUNT, or a `Messages-Waiting` that is neither yes nor no is malformed. Whoever
 * sends the NOTIFY chooses the body, and nothing in it is shown but the numbers.
 * https://www.rfc-editor.org/rfc/rfc3842#section-5.2
 */
export interface VoicemailState {
  /** The server says messages are waiting (the lamp). */
  waiting: boolean;
  /** New and old voice messages (urgent ones included, RFC 3842 5.2). */
  new: number;
  old: number;
}

/** A real summary is a few lines; anything much longer is not one. */
export const MAX_SUMMARY_CHARS = 4096;
/** More than any mailbox holds: a bigger count is a broken or hostile server. */
export const MAX_COUNT = 999_999;

const COUNTS = /^(\d{1,7})\s*\/\s*(\d{1,7})(?:\s*\(\s*(\d{1,7})\s*\/\s*(\d{1,7})\s*\))?\s*$/;

export type SummaryResult = { ok: true; state: VoicemailState } | { ok: false; why: string };

/** Parses a summary body: the state, or why it was refused (for the log; the last good state stays). */
export function parseMessageSummary(body: string): SummaryResult {
  if (body.length > MAX_SUMMARY_CHARS) return { ok: false, why: `body over ${MAX_SUMMARY_CHARS} characters` };
  let waiting: boolean | undefined;
  let voice: [number, number] | undefined;
  for (const raw of body.split(/\r?\n/)) {
    // A blank line ends the summary; optional message headers may follow (5.2): not ours to read.
    if (!raw.trim()) {
      if (waiting !== undefined || voice) break;
      continue;
    }
    const colon = raw.indexOf(":");
    if (colon <= 0) return { ok: false, why: `not a header line: ${raw.slice(0, 40)}` };
    const name = raw.slice(0, colon).trim().toLowerCase();
    const value = raw.slice(colon + 1).trim();
    if (name === "messages-waiting") {
      const v = value.toLowerCase();
      if (v !== "yes" && v !== "no") return { ok: false, why: `Messages-Waiting is "${value.slice(0, 20)}"` };
      waiting = v === "yes";
    } else if (name === "voice-message") {
      const m = COUNTS.exec(value);
      const counts = m ? m.slice(1).map((d) => (d === undefined ? 0 : Number(d))) : [];
      if (!m || counts.some((n) => n > MAX_COUNT)) return { ok: false, why: `Voice-Message is "${value.slice(0, 40)}"` };
      voice = [counts[0]!, counts[1]!];
    }
  }
  // Messages-Waiting is mandatory (5.2), but a server that sends only the counts still means them.
  if (waiting === undefined && !voice) return { ok: false, why: "neither Messages-Waiting nor Voice-Message" };
  const [fresh, old] = voice ?? [0, 0];
  return { ok: true, state: { waiting: waiting ?? fresh > 0, new: fresh, old } };
}
