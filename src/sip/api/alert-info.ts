import { parseHeaderElements } from "../core/header-params.js";

/**
 * What an incoming INVITE's `Alert-Info` (RFC 3261 20.4) says about how it should ring, as a
 * code: `internal`, `external`, or `pattern:<name>` for a PBX's named ring class. The forms read:
 * - Asterisk, FreeSWITCH, FreePBX: `<http://x>;info=alert-internal` / `info=alert-external`
 *   (also `info=internal`, `info=external`); any other `info=` is a named pattern
 *   (`info=alert-group` → `pattern:group`, Yealink's `info=ring2` → `pattern:ring2`);
 * - Polycom, Yealink, Grandstream: `info=Bellcore-dr2` … `Bellcore-dr5` → `pattern:bellcore-dr2`…;
 * - Cisco and older Polycom: the pattern named by the URI alone, `<file://Bellcore-dr3.wav>`,
 *   `<http://127.0.0.1/Bellcore-dr4>`: the last path segment without its extension;
 * - a bare token (`Alert-Info: Bellcore-dr2`, `internal`), which some PBXes send without a URI.
 * The auto-answer forms (`info=alert-autoanswer`, `info=intercom`, the bare "Auto Answer" and
 * "intercom": auto-answer.ts) are no ring class: they give no code here, so this policy can never
 * turn one into anything but the line's own ringtone, and auto-answer reads them separately.
 * The first element with a code wins. The header comes from anyone who can reach the line: its
 * length (MAX_ALERT_INFO) and element count are bounded, and a name is kept only when it is a short token, so a
 * code is always safe to show, log and look up. Never throws.
 */
export type AlertCode = "internal" | "external" | `pattern:${string}`;

/** Longer Alert-Info (all its values) is not read (RFC 3261 sets no limit; real ones are < 200 characters). */
export const MAX_ALERT_INFO = 1024;
/** Elements looked at: a PBX sends one or two. */
const MAX_ELEMENTS = 8;
/** A pattern name: letters, digits, `-`, `_`, `.`, 1 to 32 of them. */
const NAME = /^[a-z0-9][a-z0-9._-]{0,31}$/;
const AUTO_ANSWER = new Set(["alert-autoanswer", "intercom", "auto answer", "autoanswer", "info=alert-autoanswer"]);

export function alertCode(values: readonly string[]): AlertCode | undefined {
  try {
    const text = values.join(",");
    // Cut short, the last element would read as another (`info=alert-inter`): none is read.
    if (text.length > MAX_ALERT_INFO) return undefined;
    for (const element of parseHeaderElements([text]).slice(0, MAX_ELEMENTS)) {
      const code = elementCode(element.uri, element.text, element.params.get("info"));
      if (code) return code;
    }
  } catch {
    // A header this parser cannot read rings like one without Alert-Info.
  }
  return undefined;
}

function elementCode(uri: string | undefined, text: string, info: string | undefined): AlertCode | undefined {
  if (info !== undefined) return named(info);
  if (uri !== undefined) return named(lastSegment(uri));
  return named(text);
}

/** `alert-internal`, `internal` → internal; `alert-<x>` → pattern:<x>; a token → pattern:<token>. */
function named(raw: string): AlertCode | undefined {
  const value = raw.trim().toLowerCase().replace(/\s+/g, " ");
  if (!value || AUTO_ANSWER.has(value)) return undefined;
  const name = value.startsWith("alert-") ? value.slice("alert-".length) : value;
  if (name === "internal" || name === "external") return name;
  return NAME.test(name) && !AUTO_ANSWER.has(name) ? `pattern:${name}` : undefined;
}

/**
 * The ring class a URI names (Cisco, older Polycom): `file://Bellcore-dr3.wav` → `Bellcore-dr3`.
 * A URI with nothing after its host (`<http://127.0.0.1>`, the placeholder Asterisk sends with
 * `info=`) names none.
 */
function lastSegment(uri: string): string {
  const m = /^([a-z][a-z0-9+.-]*):(\/\/)?([^?#]*)/i.exec(uri.trim());
  if (!m) return "";
  let rest = m[3] ?? "";
  // file://Bellcore-dr3.wav puts the name where a host would be; other schemes' hosts name nothing.
  if (m[2] && m[1]!.toLowerCase() !== "file") {
    const slash = rest.indexOf("/");
    rest = slash < 0 ? "" : rest.slice(slash + 1);
  }
  const segment = rest.split("/").filter(Boolean).pop() ?? "";
  return segment.replace(/\.[a-z0-9]{1,5}$/i, "");
}
