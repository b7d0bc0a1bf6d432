import type { StandbyLeg } from "../../api/platform.js";
import type { MediaPlatform } from "./media-platform.js";
import { preferCodecs } from "./codec-order.js";

/**
 * An "off-hook" leg: microphone open, peer connection created, offer set and ICE gathered while
 * the user is still typing the number, as a desk phone goes off-hook when the handset is lifted.
 * Dialing then only has to send the INVITE. A leg that is not used is released.
 */
export class WarmLeg implements StandbyLeg {
  private constructor(
    readonly stream: MediaStream,
    readonly pc: RTCPeerConnection,
    readonly rtcConfig: RTCConfiguration,
    readonly codecs: readonly string[] | undefined,
  ) {}

  private taken = false;

  /**
   * `codecs`: the line's codec order, set before the offer is made (its first offer is this one).
   * `microphone`: opens it with the audio settings in force (the chosen device).
   */
  static async open(
    platform: MediaPlatform,
    rtcConfig: RTCConfiguration,
    codecs: readonly string[] | undefined,
    microphone: () => Promise<MediaStream>,
  ): Promise<WarmLeg> {
    const stream = await microphone();
    const pc = platform.createPeerConnection(rtcConfig);
    try {
      for (const track of stream.getTracks()) pc.addTrack(track, stream);
      preferCodecs(pc.getTransceivers(), codecs);
      await pc.setLocalDescription(await pc.createOffer());
    } catch (e) {
      pc.close();
      for (const t of stream.getTracks()) t.stop();
      throw e;
    }
    return new WarmLeg(stream, pc, rtcConfig, codecs);
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

  /** True when the microphone is still live and the connection usable. */
  get usable(): boolean {
    return (
      !this.taken && this.pc.signalingState === "have-local-offer" && this.stream.getAudioTracks().every((t) => t.readyState === "live")
    );
  }

  release(): void {
    if (this.taken) return;
    this.taken = true;
    this.pc.close();
    for (const t of this.stream.getTracks()) t.stop();
  }
}
