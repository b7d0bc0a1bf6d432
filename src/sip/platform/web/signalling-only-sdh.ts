import type { BodyAndContentType, SessionDescriptionHandler } from "sip.js";

/**
 * A session description handler with no media at all, for the desk-phone leg of click-to-call:
 * the INVITE must look like a plain SIP phone's (RTP/AVP, G.711, no ICE, no DTLS fingerprint,
 * nothing a desk phone could refuse), and nothing is sent or received because the leg only
 * lives until the REFER hands the call over. No microphone is opened. Not for the reverse leg:
 * a WebRTC target refuses an offer without a DTLS fingerprint (see listen-only-sdh.ts).
 *
 * The offer is `a=inactive` on the discard port with a null address (RFC 3264 8.4: a stream
 * that is on hold both ways). Whatever the other side answers is accepted and ignored.
 */
export class SignallingOnlySessionDescriptionHandler implements SessionDescriptionHandler {
  private readonly sessionId = String(Math.floor(Math.random() * 1e9));
  private version = 0;

  close(): void {
    // Nothing was opened.
  }

  getDescription(): Promise<BodyAndContentType> {
    this.version++;
    const body = [
      "v=0",
      `o=- ${this.sessionId} ${this.version} IN IP4 0.0.0.0`,
      "s=-",
      "c=IN IP4 0.0.0.0",
      "t=0 0",
      "m=audio 9 RTP/AVP 0 8 101",
      "a=rtpmap:0 PCMU/8000",
      "a=rtpmap:8 PCMA/8000",
      "a=rtpmap:101 telephone-event/8000",
      "a=fmtp:101 0-15",
      "a=inactive",
      "",
    ].join("\r\n");
    return Promise.resolve({ body, contentType: "application/sdp" });
  }

  hasDescription(contentType: string): boolean {
    return contentType === "application/sdp";
  }

  setDescription(): Promise<void> {
    return Promise.resolve();
  }

  sendDtmf(): boolean {
    return false;
  }

  rollbackDescription(): Promise<void> {
    return Promise.resolve();
  }
}
