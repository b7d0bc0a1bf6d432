/**
 * When to stop waiting for ICE candidates before sending an offer or answer.
 *
 * SIP has no trickle ICE here, so every candidate must be in the SDP, but SIP.js waits up to 5 s
 * for gathering to complete: an unreachable STUN server adds 5 s to every call. We stop at the
 * first candidate that makes the call work through NAT: a relay candidate when TURN is
 * configured (it works where server-reflexive ones do not), otherwise a server-reflexive one;
 * and in any case after `capMs`. With no ICE servers, host candidates arrive in a few ms and
 * gathering completes on its own.
 */
export interface IcePolicy {
  /** Upper bound on the wait, in ms. */
  capMs: number;
  /** True when this candidate is good enough to send the SDP now. */
  isEnough(candidate: string): boolean;
}

export const DEFAULT_ICE_CAP_MS = 500;

export function icePolicyFor(iceServers: RTCIceServer[] = [], capMs = DEFAULT_ICE_CAP_MS): IcePolicy {
  const urls = iceServers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]));
  const hasTurn = urls.some((u) => /^turns?:/i.test(u));
  const wanted = hasTurn ? / typ relay/ : / typ (srflx|relay)/;
  return { capMs, isEnough: (c) => urls.length > 0 && wanted.test(c) };
}
