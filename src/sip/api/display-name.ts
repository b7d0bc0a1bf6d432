/**
 * A remote party's display name (From of an INVITE, Referred-By or Refer-To of a REFER) made fit
 * to show: whoever calls chooses it, and it goes into the call screen, notifications, history and
 * host pages. Control characters (a line break in a notification, a NUL), bidirectional
 * overrides and isolates (U+202A-202E, U+2066-2069: "Trojan Source", CVE-2021-42574, which make
 * "evil" show as "live") and invisible spacing (U+200B, U+2060, U+FEFF) are removed; runs of
 * white space become one space; the result is cut at MAX_DISPLAY_NAME characters, without
 * splitting a character. Undefined when nothing is left. `raw` is the name as SIP.js parses it
 * (NameAddrHeader.displayName): the quoted string's content with its quoted-pairs (`\"`, `\\`)
 * still escaped, which are undone here (RFC 3261 25.1).
 */
export const MAX_DISPLAY_NAME = 100;

// eslint-disable-next-line no-control-regex
const UNSHOWABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

export function displayName(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const cleaned = raw.replace(/\\(.)/gs, "$1").replace(UNSHOWABLE, "").replace(/\s+/g, " ").trim();
  const chars = Array.from(cleaned);
  const shown =
    chars.length > MAX_DISPLAY_NAME
      ? chars
          .slice(0, MAX_DISPLAY_NAME - 1)
          .join("")
          .trimEnd() + "…"
      : cleaned;
  return shown || undefined;
}
