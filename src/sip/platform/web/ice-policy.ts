/**
 * When to stop waiting for ICE candidates before sending an offer or answer.
 *
 * SIP has no trickle ICE here, so every candidate must be in the SDP, but SIP.js waits up to 5 s
 * for gathering to complete: an unreachable STUN server adds 5 s to every call. We stop at the
 * first candidate that makes the call work through NAT: a relay candidate when TURN is
 * configured (it works where server-reflexive ones do not), otherwise a server-reflexive one;
 * and in any case after `capMs`. With no ICE servers, host candidates arrive in a few ms and
 * gathering completes on its own.
 *
 * A relay-only line (`iceTransportPolicy: "relay"`) gathers nothing but relay candidates, and
 * an SDP without one would set up a call that never carries a sound: it waits longer for its
 * first relay (a TURN allocation over TLS takes a few round trips), and `hasUsableCandidate`
 * tells the handler to fail the call with a reason instead.
 */
export interface IcePolicy {
  /** Upper bound on the wait, in ms. */
  capMs: number;
  /** True when this candidate is good enough to send the SDP now. */
  isEnough(candidate: string): boolean;
  /** Only relay candidates may be used (`iceTransportPolicy: "relay"`). */
  relayOnly: boolean;
  /** False when the SDP cannot carry media under this policy (relay-only without a relay candidate). */
  hasUsableCandidate(sdp: string): boolean;
}

export const DEFAULT_ICE_CAP_MS = 500;
/** The wait of a relay-only line: without a relay candidate its call cannot work at all. */
export const RELAY_ICE_CAP_MS = 3000;

const RELAY = / typ relay/;

export function icePolicyFor(
  iceServers: RTCIceServer[] = [],
  capMs = DEFAULT_ICE_CAP_MS,
  transportPolicy: RTCIceTransportPolicy = "all",
): IcePolicy {
  const urls = iceServers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]));
  const hasTurn = urls.some((u) => /^turns?:/i.test(u));
  const relayOnly = transportPolicy === "relay";
  const wanted = hasTurn || relayOnly ? RELAY : / typ (srflx|relay)/;
  return {
    capMs: relayOnly ? Math.max(capMs, RELAY_ICE_CAP_MS) : capMs,
    isEnough: (c) => urls.length > 0 && wanted.test(c),
    relayOnly,
    hasUsableCandidate: (sdp) => !relayOnly || RELAY.test(sdp),
  };
}
