/**
 * A microphone that arrives after the SDP was made (a standby leg's offer, a prepared answer):
 * it goes into the call's local stream (mute and the conference read it there) and onto the
 * audio sender that has no track yet, by replaceTrack: the SDP already says sendrecv, so nothing
 * is renegotiated and RTP starts at once. A call that ended meanwhile (`gone`) stops it: no
 * microphone outlives its call.
 */
export async function putMicrophoneOnSender(
  pc: RTCPeerConnection | undefined,
  local: MediaStream,
  stream: MediaStream,
  gone: () => boolean,
): Promise<void> {
  const stop = (): void => stream.getTracks().forEach((t) => t.stop());
  const track = stream.getAudioTracks()[0];
  if (!pc || gone() || !track) return stop();
  for (const t of stream.getTracks()) {
    local.addTrack(t);
    // What SIP.js dispatches for its own tracks: the call re-applies mute to a track that came late.
    local.dispatchEvent(new MediaStreamTrackEvent("addtrack", { track: t }));
  }
  // The sender with no track yet, or with the dial pad's microphone (already this one, or closed
  // since the user stopped typing: replaced by the call's).
  const sender = pc
    .getTransceivers()
    .find((t) => t.currentDirection !== "stopped" && t.direction !== "stopped" && t.receiver.track.kind === "audio")?.sender;
  if (sender?.track === track) return;
  try {
    await sender?.replaceTrack(track);
  } catch (e) {
    if (!gone()) throw e;
  }
  if (gone()) stop();
}
