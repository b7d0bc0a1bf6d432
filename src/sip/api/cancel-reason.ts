import type { EndReason } from "./call-state.js";

/**
 * The Reason our CANCEL carries when the call was taken elsewhere (picked up by a colleague):
 * the phone that rang shows "answered elsewhere", not a missed call. SIP.js's own `cancel`
 * option would write `text="OK"` (its phrase for 200), so the whole header is ours.
 */
export const COMPLETED_ELSEWHERE = 'Reason: SIP;cause=200;text="Call completed elsewhere"';

/**
 * Why the caller's CANCEL came, from its Reason headers (RFC 3326): `SIP;cause=200` is "Call
 * completed elsewhere" (another device of the same number answered), 600/603 declined
 * elsewhere; anything else, or none, is a missed call.
 */
export function cancelReason(reasons: string[]): EndReason {
  for (const header of reasons) {
    for (const value of header.split(/,(?=\s*[A-Za-z0-9.-]+\s*;)/)) {
      const m = /^\s*SIP\s*;(.*)$/i.exec(value);
      const cause = m ? /(?:^|;)\s*cause\s*=\s*(\d{3})\b/i.exec(m[1]!)?.[1] : undefined;
      if (cause === "200") return "answered-elsewhere";
      if (cause === "600" || cause === "603") return "declined-elsewhere";
    }
  }
  return "missed";
}
