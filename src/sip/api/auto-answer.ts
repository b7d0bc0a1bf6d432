import { parseHeaderElements } from "../core/header-params.js";

/**
 * Whether an incoming INVITE asks to be answered by itself (intercom, paging, click-to-call from
 * a CTI system), and after how many seconds. Only these forms, parsed as header parameters
 * (core/header-params.ts), never a pattern anywhere in the text (`/auto-?answer/i` once matched a
 * ringtone URL such as `<http://x/auto-answer.wav>`):
 * - `Call-Info: <sip:pbx>;answer-after=N` (a vendor convention: Snom, Yealink, Grandstream,
 *   Asterisk/FreePBX paging),
 * - `Alert-Info: <uri>;info=alert-autoanswer[;delay=N]` (Polycom, Cisco, Grandstream) and
 *   `<uri>;info=intercom`,
 * - the legacy bare values `Alert-Info: Auto Answer`, `Alert-Info: intercom` and
 *   `Alert-Info: info=alert-autoanswer` (no URI).
 * Not `Alert-Info: Ring Answer`: on the older Polycom and Aastra phones that read it, it names a
 * ring class whose behaviour the phone's own configuration sets (it may just ring), so it is
 * no request to answer; PBXes that page such phones also send one of the forms above.
 * Whether the request is honoured (who sent it, other calls) is IncomingPolicy's decision.
 * Returns the delay in seconds (at most 60), or undefined when the INVITE does not ask.
 */
export function autoAnswerDelay(headers: { callInfo: string[]; alertInfo: string[] }): number | undefined {
  for (const e of parseHeaderElements(headers.callInfo)) {
    if (e.uri === undefined) continue;
    const after = seconds(e.params.get("answer-after"));
    if (after !== undefined) return after;
  }
  for (const e of parseHeaderElements(headers.alertInfo)) {
    const info = e.uri !== undefined ? e.params.get("info")?.toLowerCase() : undefined;
    const bare = e.uri === undefined ? e.text.toLowerCase().replace(/\s+/g, " ") : undefined;
    if (info === "alert-autoanswer" || info === "intercom" || (bare !== undefined && BARE_FORMS.has(bare))) {
      return seconds(e.params.get("delay")) ?? 0;
    }
  }
  return undefined;
}

const BARE_FORMS = new Set(["auto answer", "intercom", "info=alert-autoanswer"]);
const MAX_DELAY_S = 60;

/** delta-seconds (RFC 3261 25.1: 1*DIGIT), capped; undefined for anything else. */
function seconds(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,9}$/.test(value) ? Math.min(Number(value), MAX_DELAY_S) : undefined;
}
