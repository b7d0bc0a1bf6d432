import {
  SessionDescriptionHandler,
  type SessionDescriptionHandlerConfiguration,
  type MediaStreamFactory,
} from "sip.js/lib/platform/web/index.js";
import type { BodyAndContentType } from "sip.js";
import type { Logger as SipLogger } from "sip.js/lib/core/index.js";
import { rebindPeerConnectionHandlers } from "../../core/sipjs-internals.js";
import type { IcePolicy } from "./ice-policy.js";
import type { WarmLeg } from "./warm-leg.js";

/**
 * SIP.js's WebRTC session description handler with two changes:
 * - ICE: stops waiting at the first useful candidate (see ice-policy.ts) instead of up to 5 s;
 * - an optional pre-opened `WarmLeg` (microphone + peer connection with ICE gathered) replaces
 *   the connection SIP.js creates, so the INVITE leaves as soon as the user presses Call.
 */
export class PhoneSessionDescriptionHandler extends SessionDescriptionHandler {
  private enoughCandidates = false;
  private warmTracks: MediaStream | undefined;

  constructor(
    logger: SipLogger,
    mediaStreamFactory: MediaStreamFactory,
    configuration: SessionDescriptionHandlerConfiguration,
    private readonly icePolicy: IcePolicy,
    warm?: WarmLeg,
  ) {
    super(logger, mediaStreamFactory, configuration);
    if (warm) {
      // SIP.js always creates its own connection in the constructor; swap in the warm one.
      this._peerConnection?.close();
      this._peerConnection = warm.take().pc;
      rebindPeerConnectionHandlers(this);
      this.warmTracks = warm.stream;
    }
    this.peerConnectionDelegate = {
      onicecandidate: (event) => {
        if (event.candidate && this.icePolicy.isEnough(event.candidate.candidate)) {
          this.enoughCandidates = true;
          this.iceGatheringComplete();
        }
      },
    };
  }

  /**
   * The first offer of a warm leg is the one already set on its connection (SIP.js would refuse
   * to make another in state have-local-offer): wait for ICE as usual, then send it.
   */
  override async getDescription(
    options?: Parameters<SessionDescriptionHandler["getDescription"]>[0],
    modifiers?: Parameters<SessionDescriptionHandler["getDescription"]>[1],
  ): Promise<BodyAndContentType> {
    const warm = this.warmTracks;
    const pc = this._peerConnection;
    if (!warm || !pc || pc.signalingState !== "have-local-offer") return super.getDescription(options, modifiers);
    this.warmTracks = undefined;
    for (const t of warm.getTracks()) this._localMediaStream.addTrack(t);
    await this.waitForIceGatheringComplete(false, this.sessionDescriptionHandlerConfiguration?.iceGatheringTimeout ?? 0);
    return { body: pc.localDescription!.sdp, contentType: "application/sdp" };
  }

  /**
   * SIP.js calls this when a re-INVITE we sent fails (491, 408...). Its own handler has none,
   * which leaves the connection in have-local-offer and every later re-INVITE failing.
   */
  async rollbackDescription(): Promise<void> {
    const pc = this._peerConnection;
    if (pc && pc.signalingState === "have-local-offer") await pc.setLocalDescription({ type: "rollback" });
  }

  protected override waitForIceGatheringComplete(restart = false, timeout = 0): Promise<void> {
    if (restart) this.enoughCandidates = false;
    if (this.enoughCandidates) return Promise.resolve();
    return super.waitForIceGatheringComplete(restart, timeout);
  }
}
