import type { DeskPhoneAnswer } from "../../config/phone-config.js";

/**
 * Click-to-call modes, as the SIPTAPI and ESTOS drivers have them:
 * - `browser`: a normal WebRTC call from this phone;
 * - `desk`: INVITE the user's desk phone with an auto-answer header and a signalling-only SDP;
 *   once it answers, REFER it to the target (it dials), follow the NOTIFYs, then BYE our leg;
 * - `reverse`: INVITE the target first (signalling only, so the caller hears no ringback); once
 *   it answers, REFER it to the desk phone, which then rings.
 */
export type DialMode = "browser" | "desk" | "reverse";

/**
 * The header that asks a desk phone to answer by itself. Vendors differ: Snom, Yealink and
 * Grandstream read Call-Info answer-after; Polycom and Cisco an Alert-Info with
 * info=alert-autoanswer; some older phones "Alert-Info: Ring Answer".
 */
export function autoAnswerHeaders(kind: DeskPhoneAnswer, domain: string): string[] {
  switch (kind) {
    case "call-info":
      return [`Call-Info: <sip:${domain}>;answer-after=0`];
    case "alert-info":
      return ["Alert-Info: <http://127.0.0.1>;info=alert-autoanswer;delay=0"];
    case "ring-answer":
      return ["Alert-Info: Ring Answer"];
    case "none":
      return [];
  }
}

/** Words for a failed click-to-call, by what failed. */
export function describeClickToCallFailure(
  mode: "desk" | "reverse",
  stage: "invite" | "refer" | "notify" | "timeout",
  code: number | undefined,
  target: string,
  timeoutS?: number,
): string {
  const who = mode === "desk" ? "Your desk phone" : target;
  if (stage === "timeout") return `${who} did not answer in ${timeoutS} s`;
  if (stage === "invite") {
    if (code === 486 || code === 600) return `${who} is busy (${code})`;
    if (code === 480 || code === 404)
      return mode === "desk" ? `Your desk phone is not reachable (${code}): is it registered?` : `${target} is not reachable (${code})`;
    if (code === 603) return `${who} declined the call (603)`;
    return `${who} could not be called (${code ?? "no answer"})`;
  }
  if (stage === "refer") {
    if (code === 403 || code === 405 || code === 501)
      return `Transfer refused (${code}): your PBX or ${mode === "desk" ? "desk phone" : "the other side"} does not allow call transfer by REFER`;
    return `Transfer refused (${code ?? "no answer"})`;
  }
  const dest = mode === "desk" ? target : "your desk phone";
  if (code === 486 || code === 600) return `${dest} is busy (${code})`;
  if (code === 487 || code === 408 || code === 480) return `${dest} did not answer (${code})`;
  if (code === 603) return `${dest} declined the call (603)`;
  return `The call to ${dest} failed (${code ?? "unknown"})`;
}
