/**
 * What we read from a peer's SDP (we never edit SDP text ourselves: the session description
 * handlers and the browser write it).
 */

/**
 * True when an offer puts us on hold. Phones say it four ways (the sipsorcery C# phone lists
 * them; RFC 3264 8.4 and, before it, RFC 2543): `a=sendonly` or `a=inactive`, the null
 * connection address `c=IN IP4 0.0.0.0`, or the audio stream's port set to 0. The audio
 * section's own attributes win over the session-level ones (RFC 4566 5.7, 6), so a session
 * `a=sendonly` with an audio `a=sendrecv` is not a hold.
 */
export function isHoldOffer(sdp: string): boolean {
  const lines = sdp.split(/\r?\n/).map((l) => l.trim());
  const firstMedia = lines.findIndex((l) => l.startsWith("m="));
  const session = firstMedia < 0 ? lines : lines.slice(0, firstMedia);
  const audioAt = lines.findIndex((l) => l.startsWith("m=audio "));
  if (audioAt < 0) return false;
  const nextMedia = lines.findIndex((l, i) => i > audioAt && l.startsWith("m="));
  const audio = lines.slice(audioAt, nextMedia < 0 ? undefined : nextMedia);
  const direction = (section: string[]) => section.find((l) => /^a=(sendrecv|sendonly|recvonly|inactive)$/.test(l))?.slice(2);
  const connection = (section: string[]) => section.find((l) => l.startsWith("c="));
  const dir = direction(audio) ?? direction(session) ?? "sendrecv";
  const c = connection(audio) ?? connection(session) ?? "";
  const port = Number(audio[0]!.split(/\s+/)[1]);
  return dir === "sendonly" || dir === "inactive" || /^c=IN IP4 0\.0\.0\.0$/.test(c) || port === 0;
}

/** True when a body is an SDP offer with an audio stream (anything else is refused with 488). */
export function isAudioOffer(body: string): boolean {
  return /^v=0\r?\n[\s\S]*^m=audio /m.test(body);
}
