/**
 * What we read from a peer's SDP (we never edit SDP text ourselves: the session description
 * handlers and the browser write it).
 */

/**
 * True when an offer puts us on hold. Phones say it in several ways (RFC 3264 8.4 and before
 * it RFC 2543): `a=sendonly` or `a=inactive` (session or media level), or the null connection
 * address `c=IN IP4 0.0.0.0`.
 */
export function isHoldOffer(sdp: string): boolean {
  return /^a=(sendonly|inactive)\s*$/m.test(sdp) || /^c=IN IP4 0\.0\.0\.0\s*$/m.test(sdp);
}

/** True when a body is an SDP offer with an audio stream (anything else is refused with 488). */
export function isAudioOffer(body: string): boolean {
  return /^v=0\r?\n[\s\S]*^m=audio /m.test(body);
}
