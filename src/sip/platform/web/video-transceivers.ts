/** The part of a transceiver the video rules look at and change. */
export interface VideoTransceiver {
  readonly mid: string | null;
  direction: RTCRtpTransceiverDirection;
  readonly currentDirection: RTCRtpTransceiverDirection | null;
  readonly stopped?: boolean;
  readonly receiver: { readonly track: { readonly kind: string } };
  readonly sender: { readonly track: MediaStreamTrack | null; replaceTrack(track: MediaStreamTrack | null): Promise<void> };
  stop(): void;
}

export function isVideo(t: VideoTransceiver): boolean {
  return t.receiver.track.kind === "video";
}

export function isStopped(t: VideoTransceiver): boolean {
  return t.stopped === true || t.direction === "stopped" || t.currentDirection === "stopped";
}

/** The video transceivers still in use (not stopped), oldest first. */
export function liveVideo(transceivers: readonly VideoTransceiver[]): VideoTransceiver[] {
  return transceivers.filter((t) => isVideo(t) && !isStopped(t));
}

/**
 * Before an answer is made: a video stream we have no track for (the other side offered video
 * and the user has not turned the camera on) is answered without sending: recvonly where the
 * offer sends to us, inactive where it only wants ours.
 *
 * SIP.js 0.21 gives every transceiver the direction of the offer's first `a=` direction line
 * (its own FIXME in updateDirection): a video stream added to an audio call would be answered
 * sendrecv with no track, telling the other side our camera is on. Receive-only rather than
 * rejected (port 0): nothing of ours leaves the browser, the other party's picture shows at
 * once (theirs to give), and turning our camera on later is a direction change of the same
 * m= line in our re-INVITE, not a new stream in a recycled slot. Returns the mids changed.
 */
export function answerWithoutCamera(transceivers: readonly VideoTransceiver[]): string[] {
  const changed: string[] = [];
  for (const t of liveVideo(transceivers)) {
    if (t.sender.track) continue;
    if (t.direction === "sendrecv") t.direction = "recvonly";
    else if (t.direction === "sendonly") t.direction = "inactive";
    else continue;
    changed.push(t.mid ?? "");
  }
  return changed;
}

/**
 * After a description was applied: the camera (or screen) of a video stream that was stopped,
 * because the other side removed it (port 0 in its offer) or refused it (port 0 in its answer,
 * a desk phone without video), is closed, and the stream stopped. The browser leaves such a
 * track live (the camera light on), and Chromium does not keep it findable: it may leave the
 * transceiver unmarked, take the track off its sender, or drop the stopped transceiver from
 * getTransceivers() altogether. So `rejected` names the mids the other side's description
 * rejects (rejectedMids), and `candidates` are the video tracks that were sent before (and the
 * handler's own camera): each one no longer on a live video stream is stopped. Returns how
 * many tracks were closed.
 */
export function closeStoppedVideo(
  transceivers: readonly VideoTransceiver[],
  rejected: ReadonlySet<string> = new Set(),
  candidates: readonly MediaStreamTrack[] = [],
): number {
  const live = new Set<unknown>();
  const gone = new Set<MediaStreamTrack>(candidates);
  for (const t of transceivers) {
    if (!isVideo(t)) continue;
    const track = t.sender.track;
    if (isStopped(t) || (t.mid !== null && rejected.has(t.mid))) {
      if (!isStopped(t)) t.stop();
      if (track) gone.add(track);
    } else if (track) live.add(track);
  }
  let closed = 0;
  for (const track of gone) {
    if (live.has(track) || track.readyState === "ended") continue;
    track.stop();
    closed++;
  }
  return closed;
}

/**
 * The mids of our m= sections that the other side's description rejects (port 0), sections
 * matched by position (RFC 3264 6); a section without a=mid in ours is skipped.
 */
export function rejectedMids(local: string | undefined, remote: string | undefined): Set<string> {
  const mids = (local ?? "")
    .split(/\r?\n(?=m=)/)
    .slice(1)
    .map((s) => /^a=mid:(\S+)/m.exec(s)?.[1]);
  const ports = (remote ?? "")
    .split(/\r?\n(?=m=)/)
    .slice(1)
    .map((s) => Number(/^m=\S+ (\d+)/.exec(s)?.[1] ?? -1));
  const out = new Set<string>();
  ports.forEach((port, i) => {
    const mid = mids[i];
    if (port === 0 && mid !== undefined) out.add(mid);
  });
  return out;
}

/**
 * Puts `track` on the call's video: in place of the track the video stream sends (no
 * signalling), else on a video stream that sends nothing (its direction widened, so the next
 * offer says so). Returns which it did ("replaced" needs no re-INVITE, "widened" does), or
 * undefined when the call has no video stream to use (a new one must be added).
 */
export async function sendOnVideo(
  transceivers: readonly VideoTransceiver[],
  track: MediaStreamTrack,
): Promise<"replaced" | "widened" | undefined> {
  const live = liveVideo(transceivers);
  const sending = live.find((t) => t.sender.track);
  if (sending) {
    const old = sending.sender.track;
    await sending.sender.replaceTrack(track);
    if (old !== track) old?.stop();
    return "replaced";
  }
  const idle = live.find((t) => !t.sender.track);
  if (!idle) return undefined;
  await idle.sender.replaceTrack(track);
  if (idle.direction === "recvonly") idle.direction = "sendrecv";
  else if (idle.direction === "inactive") idle.direction = "sendonly";
  return "widened";
}

/** Stops every video stream (port 0 in the next offer) and the tracks they sent. */
export function stopVideo(transceivers: readonly VideoTransceiver[]): void {
  for (const t of transceivers) {
    if (!isVideo(t)) continue;
    t.sender.track?.stop();
    if (!isStopped(t)) t.stop();
  }
}

/** The video track sent now, if any. */
export function sentVideo(transceivers: readonly VideoTransceiver[]): MediaStreamTrack | undefined {
  return liveVideo(transceivers).find((t) => t.sender.track?.readyState === "live")?.sender.track ?? undefined;
}
