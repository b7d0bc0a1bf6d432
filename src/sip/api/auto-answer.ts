/**
 * When an incoming INVITE asks to be answered by itself (intercom, paging, click-to-call from a
 * CTI system), and after how many seconds. Vendors say it differently:
 * - `Call-Info: <sip:pbx>;answer-after=0` (RFC 7462 draft usage; Snom, Yealink, Grandstream),
 * - `Alert-Info: <http://127.0.0.1>;info=alert-autoanswer;delay=0` (Polycom, Cisco),
 * - `Alert-Info: Ring Answer` (older Polycom/Aastra).
 * Returns the delay in seconds, or undefined when the INVITE does not ask.
 */
export function autoAnswerDelay(headers: { callInfo: string[]; alertInfo: string[] }): number | undefined {
  for (const h of headers.callInfo) {
    const m = /;\s*answer-after\s*=\s*(\d+)/i.exec(h);
    if (m) return Math.min(Number(m[1]), 60);
  }
  for (const h of headers.alertInfo) {
    if (/info\s*=\s*alert-autoanswer/i.test(h) || /auto-?answer/i.test(h)) {
      const d = /;\s*delay\s*=\s*(\d+)/i.exec(h);
      return d ? Math.min(Number(d[1]), 60) : 0;
    }
    if (/ring\s*answer/i.test(h)) return 0;
  }
  return undefined;
}
