import type { BodyAndContentType, SessionDescriptionHandler } from "sip.js";
import { getLogger } from "../../core/logger.js";
import type { IcePolicy } from "./ice-policy.js";

const log = getLogger("listen-only");

/**
 * The session description handler of a reverse click-to-call leg (click-to-call.ts): a real
 * WebRTC offer (ICE, DTLS-SRTP, the browser's codecs) whose one audio stream is `a=recvonly`,
 * with no track to send. Any WebRTC phone accepts it (the plain RTP/AVP offer of the desk leg
 * made a browser target fail with "Called with SDP without DTLS fingerprint", issue 13), and a
 * proxy bridges it to a plain SIP phone exactly as it bridges our ordinary browser calls.
 *
 * Why recvonly and not inactive: `a=inactive` and `a=sendonly` are how SIP says "on hold"
 * (RFC 3264 8.4): a desk phone would show the call as held and a PBX would play its music on
 * hold to the person who just answered. `a=recvonly` only says that we listen.
 *
 * No microphone is ever asked for: there is no media stream factory here at all. What the
 * target sends is never played either: this handler has no `remoteMediaStream`, so the call
 * has nothing to give the player (call-media.ts), and no element or audio node is ever given
 * the receiver's track.
 */
export class ListenOnlySessionDescriptionHandler implements SessionDescriptionHandler {
  private readonly pc: RTCPeerConnection;

  constructor(
    createPeerConnection: () => RTCPeerConnection,
    private readonly icePolicy: IcePolicy,
  ) {
    this.pc = createPeerConnection();
    this.pc.addTransceiver("audio", { direction: "recvonly" });
  }

  /** For the call's statistics (CallMedia reads `peerConnection`, as on SIP.js's handler). */
  get peerConnection(): RTCPeerConnection {
    return this.pc;
  }

  close(): void {
    this.pc.close();
  }

  /** Our offer, or our answer to a re-INVITE's offer, once ICE has gathered enough. */
  async getDescription(): Promise<BodyAndContentType> {
    const pc = this.pc;
    const description = pc.signalingState === "have-remote-offer" ? await pc.createAnswer() : await pc.createOffer();
    await pc.setLocalDescription(description);
    await this.iceGathered();
    const sdp = pc.localDescription?.sdp ?? description.sdp ?? "";
    return { body: sdp, contentType: "application/sdp" };
  }

  hasDescription(contentType: string): boolean {
    return contentType === "application/sdp";
  }

  /**
   * An answer the browser refuses (a gateway that answered plain RTP to our WebRTC offer, say)
   * does not end the leg: no media was ever to flow on it, and the REFER still hands the call
   * over. The connection goes back to stable so that later offers work. An offer we cannot take
   * (a re-INVITE) is refused: SIP.js answers it 488 and the dialog goes on.
   */
  async setDescription(sdp: string): Promise<void> {
    const pc = this.pc;
    if (pc.signalingState !== "have-local-offer") {
      await pc.setRemoteDescription({ type: "offer", sdp });
      return;
    }
    try {
      await pc.setRemoteDescription({ type: "answer", sdp });
    } catch (e) {
      log.warn("answer not usable by the browser, ignored (the leg carries no media):", (e as Error).message);
      await this.rollbackDescription();
    }
  }

  sendDtmf(): boolean {
    return false;
  }

  async rollbackDescription(): Promise<void> {
    const pc = this.pc;
    if (pc.signalingState === "have-local-offer" || pc.signalingState === "have-remote-offer") {
      await pc.setLocalDescription({ type: "rollback" });
    }
  }

  /**
   * SIP carries no trickle ICE, so the SDP waits for candidates: until the policy's first useful
   * one, the end of gathering, or the cap (ice-policy.ts), as for the phone's other calls.
   */
  private iceGathered(): Promise<void> {
    const pc = this.pc;
    if (pc.iceGatheringState === "complete") return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        pc.removeEventListener("icecandidate", onCandidate);
        pc.removeEventListener("icegatheringstatechange", onState);
        resolve();
      };
      const onCandidate = (e: RTCPeerConnectionIceEvent) => {
        if (!e.candidate || this.icePolicy.isEnough(e.candidate.candidate)) done();
      };
      const onState = () => {
        if (pc.iceGatheringState === "complete") done();
      };
      const timer = setTimeout(done, this.icePolicy.capMs);
      pc.addEventListener("icecandidate", onCandidate);
      pc.addEventListener("icegatheringstatechange", onState);
    });
  }
}
