import type { StandbyLeg } from "../../api/platform.js";
import type { IcePolicy } from "./ice-policy.js";
import type { MediaPlatform } from "./media-platform.js";
import { preferCodecs } from "./codec-order.js";

/**
 * A standby leg: a peer connection with one audio transceiver (sendrecv, no track yet), the
 * line's codec order, the offer created and set and its ICE candidates gathered, so that a call
 * only has to send the INVITE. It holds no microphone: the call opens it while the INVITE is on
 * its way and puts it on the sender with replaceTrack (no renegotiation: the offer already says
 * sendrecv). Until then the sender has no track and nothing is sent. standby-legs.ts decides
 * when legs are made and dropped.
 */
export class WarmLeg implements StandbyLeg {
  private constructor(
    readonly pc: RTCPeerConnection,
    readonly rtcConfig: RTCConfiguration,
    readonly codecs: readonly string[] | undefined,
  ) {}

  private taken = false;

  /** `codecs`: the line's codec order, set before the offer is made (its first offer is this one). */
  static async open(
    platform: MediaPlatform,
    rtcConfig: RTCConfiguration,
    codecs: readonly string[] | undefined,
    policy: IcePolicy,
  ): Promise<WarmLeg> {
    const pc = platform.createPeerConnection(rtcConfig);
    try {
      const audio = pc.addTransceiver("audio", { direction: "sendrecv" });
      preferCodecs([audio], codecs);
      await pc.setLocalDescription(await pc.createOffer());
      await gathered(pc, policy);
    } catch (e) {
      pc.close();
      throw e;
    }
    return new WarmLeg(pc, rtcConfig, codecs);
  }

  /**
   * True when the leg was made for this configuration: a line changed meanwhile (another TURN
   * server, relay-only) must not send the candidates gathered under the old one, nor an offer
   * in the old codec order.
   */
  suits(rtcConfig: RTCConfiguration, codecs?: readonly string[]): boolean {
    return JSON.stringify([this.rtcConfig, this.codecs ?? []]) === JSON.stringify([rtcConfig, codecs ?? []]);
  }

  /** Hands the leg to a call: from now on the call's session description handler owns it. */
  take(): this {
    this.taken = true;
    return this;
  }

  /** The dial pad's microphone on the sender while the user types (see StandbyLeg.holdMicrophone). */
  holdMicrophone(microphone: MediaStream): void {
    const track = microphone.getAudioTracks()[0];
    const sender = this.pc.getTransceivers().find((t) => t.receiver.track.kind === "audio")?.sender;
    if (track && sender && this.usable) void sender.replaceTrack(track).catch(() => undefined);
  }

  /** True while no call took it and the connection still holds its offer. */
  get usable(): boolean {
    return !this.taken && this.pc.signalingState === "have-local-offer";
  }

  release(): void {
    if (this.taken) return;
    this.taken = true;
    this.pc.close();
  }
}

/**
 * Resolves once the offer's SDP holds a candidate the policy finds enough, gathering is
 * complete, or the policy's cap has passed: what a call would otherwise wait for itself.
 */
function gathered(pc: RTCPeerConnection, policy: IcePolicy): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      pc.removeEventListener("icegatheringstatechange", check);
      pc.removeEventListener("icecandidate", check);
      resolve();
    };
    const check = (): void => {
      const sdp = pc.localDescription?.sdp ?? "";
      const enough = sdp.split(/\r?\n/).some((l) => l.startsWith("a=candidate:") && policy.isEnough(l));
      if (enough || pc.iceGatheringState === "complete" || pc.signalingState === "closed") done();
    };
    const timer = setTimeout(done, policy.capMs);
    pc.addEventListener("icegatheringstatechange", check);
    pc.addEventListener("icecandidate", check);
    check();
  });
}
