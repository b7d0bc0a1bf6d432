import { getLogger } from "../../core/logger.js";

const log = getLogger("codec-order");

/** A codec as `RTCRtpReceiver.getCapabilities("audio")` lists it: what setCodecPreferences takes. */
export type CodecCapability = RTCRtpCodec;

/** The part of a transceiver the ordering touches. */
export interface OrderedTransceiver {
  readonly direction: RTCRtpTransceiverDirection;
  readonly receiver: { readonly track: { readonly kind: string } };
  setCodecPreferences?(codecs: CodecCapability[]): void;
}

/**
 * The browser's codecs with the line's listed ones first, in the line's order (names as in
 * `a=rtpmap`, any case; every clock rate of a name), and all the others after them in the
 * browser's own order. Nothing is left out: a codec the line does not list may still be the
 * only one the other side has, and telephone-event (RFC 4733 DTMF), CN and RED must stay
 * offered. A listed name the browser lacks is skipped.
 */
export function orderCodecs<C extends { readonly mimeType: string }>(available: readonly C[], preferred: readonly string[]): C[] {
  const nameOf = (c: C): string => c.mimeType.replace(/^audio\//i, "").toLowerCase();
  const first: C[] = [];
  for (const name of preferred) {
    for (const c of available) if (nameOf(c) === name.toLowerCase() && !first.includes(c)) first.push(c);
  }
  return [...first, ...available.filter((c) => !first.includes(c))];
}

/**
 * Applies a line's codec order (`codecs` of its account) to the audio transceivers of a
 * connection, before an offer or an answer is created: the m= line then lists them first, and
 * an answer picks among the offered codecs in this order (JSEP, RFC 8829 5.3.1).
 *
 * The entries are the browser's own capability objects, so Opus keeps its `sdpFmtpLine`
 * "minptime=10;useinbandfec=1": Chrome's offer still carries `a=fmtp:111 minptime=10;useinbandfec=1`
 * (in-band FEC asked for), checked in e2e/media.test.mjs; no SDP munging is needed.
 *
 * A browser without setCodecPreferences, or one that refuses the list, keeps its own order: the
 * call still works, only with the browser's choice of codec (logged).
 */
export function preferCodecs(
  transceivers: readonly OrderedTransceiver[],
  preferred: readonly string[] | undefined,
  capabilities: readonly CodecCapability[] | undefined = receiverAudioCodecs(),
): void {
  if (!preferred?.length || !capabilities?.length) return;
  const order = orderCodecs(capabilities, preferred);
  for (const t of transceivers) {
    if (t.receiver.track.kind !== "audio" || t.direction === "stopped" || !t.setCodecPreferences) continue;
    try {
      t.setCodecPreferences(order);
    } catch (e) {
      log.warn("codec order not applied, the browser's order is used:", (e as Error).message);
    }
  }
}

/** What this browser can receive, in its own order (undefined where the API is missing). */
function receiverAudioCodecs(): CodecCapability[] | undefined {
  return globalThis.RTCRtpReceiver?.getCapabilities?.("audio")?.codecs;
}
