/** The part of a transceiver this looks at and changes. */
export interface RecyclableTransceiver {
  readonly mid: string | null;
  direction: RTCRtpTransceiverDirection;
  readonly currentDirection: RTCRtpTransceiverDirection | null;
  readonly receiver: { readonly track: { readonly kind: string } };
  readonly sender: { readonly track: unknown; replaceTrack(track: MediaStreamTrack): Promise<void> };
}

/**
 * Before answering an offer: an audio transceiver without a track gets our microphone.
 *
 * A peer that held us with port 0 (RFC 3264 8.2: the stream removed, some old phones hold so)
 * and resumes with a port again re-uses that m= slot for a new stream. The browser makes a new
 * transceiver for it (JSEP, RFC 8829 5.10: a recycled m= section), with no track. SIP.js moves
 * tracks only when the local stream changes, so nothing was ever sent on it: the answer said
 * sendrecv and the peer heard silence. The direction is widened to send unless we hold.
 * Returns the mids that got the track.
 */
export async function sendOnRecycledAudio(
  transceivers: readonly RecyclableTransceiver[],
  track: MediaStreamTrack,
  holding: boolean,
): Promise<string[]> {
  const recycled: string[] = [];
  for (const t of transceivers) {
    if (t.receiver.track.kind !== "audio" || t.direction === "stopped" || t.currentDirection === "stopped" || t.sender.track) continue;
    await t.sender.replaceTrack(track);
    if (!holding && t.direction === "recvonly") t.direction = "sendrecv";
    if (!holding && t.direction === "inactive") t.direction = "sendonly";
    recycled.push(t.mid ?? "");
  }
  return recycled;
}
