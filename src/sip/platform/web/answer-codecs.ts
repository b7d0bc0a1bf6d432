/**
 * Payload formats that carry no voice: an answer offering only these has no codec to talk with
 * (RFC 4733 events, RFC 3389 comfort noise, RFC 2198 redundancy, RFC 4588 retransmission).
 */
const NOT_VOICE = new Set(["audio/telephone-event", "audio/cn", "audio/red", "audio/rtx"]);

/** The part of a transceiver this check reads. */
export interface AudioTransceiverView {
  readonly mid: string | null;
  readonly stopped?: boolean;
  readonly currentDirection: RTCRtpTransceiverDirection | null;
  readonly receiver: { readonly track: { readonly kind: string } };
  readonly sender: { getParameters(): { codecs?: readonly { mimeType: string }[] } };
}

/**
 * The audio sections of an applied answer that the browser accepted without a voice codec to
 * send with: Chrome takes an answer whose codecs it does not know (a gateway answering G.729
 * only) and connects a call that cannot carry a sound, where RFC 3264 6.1 has the answerer pick
 * from the offer's codecs. Returns the mids of such sections (empty: every audio section has one).
 * Only sections that send are looked at: a rejected one (port 0: stopped) and one we do not
 * send on (held by both sides: no send codec needed, none reported) are not failures here.
 */
export function audioWithoutCodec(transceivers: readonly AudioTransceiverView[]): string[] {
  const bad: string[] = [];
  transceivers.forEach((t, i) => {
    const sends = t.currentDirection === "sendrecv" || t.currentDirection === "sendonly";
    if (t.receiver.track.kind !== "audio" || t.stopped || !sends) return;
    const codecs = t.sender.getParameters().codecs ?? [];
    if (!codecs.some((c) => !NOT_VOICE.has(c.mimeType.toLowerCase()))) bad.push(t.mid ?? String(i));
  });
  return bad;
}
