import type { Session } from "sip.js";
import type { SessionDescriptionHandler } from "sip.js/lib/platform/web/index.js";
import type { DtmfMethod } from "../../config/phone-config.js";
import { validateDtmf } from "../numbers/sip-target.js";

export interface CallMediaDeps {
  playRemote(stream: MediaStream): () => void;
  dtmf: DtmfMethod;
}

/**
 * A call's media as the rest of the phone sees it: the microphone (mute), what is played, the
 * audio sender the conference mixes into, DTMF, and the peer connection for stats. The SIP.js
 * session description handler underneath is created by the platform.
 */
export class CallMedia {
  private muted = false;
  private lateTrackWatched = false;
  private stopPlayback: (() => void) | undefined;
  private dtmfQueue: Promise<void> = Promise.resolve();

  constructor(
    private readonly session: Session,
    private readonly deps: CallMediaDeps,
  ) {}

  private get sdh(): SessionDescriptionHandler | undefined {
    return this.session.sessionDescriptionHandler as SessionDescriptionHandler | undefined;
  }

  get isMuted(): boolean {
    return this.muted;
  }

  /** Mutes the microphone locally; returns whether anything changed. */
  mute(on: boolean): boolean {
    if (this.muted === on) return false;
    this.muted = on;
    this.applyMute();
    return true;
  }

  /**
   * Mute acts on the microphone track, not on what the sender sends: in a conference the sender
   * carries a mix of our microphone and the other parties, and they must still hear each other.
   */
  applyMute(): void {
    for (const t of this.microphone) t.enabled = !this.muted;
    // A microphone that opens after the call started (standby leg) comes muted if the call is.
    const local = this.sdh?.localMediaStream;
    if (local && !this.lateTrackWatched) {
      this.lateTrackWatched = true;
      local.addEventListener("addtrack", () => this.applyMute());
    }
  }

  /** Our microphone tracks in this call (the sender may carry a conference mix instead). */
  get microphone(): MediaStreamTrack[] {
    return this.sdh?.localMediaStream?.getAudioTracks() ?? [];
  }

  /** The audio sender, whose track the conference replaces by a mix. */
  get audioSender(): RTCRtpSender | undefined {
    return this.sdh?.peerConnection?.getSenders().find((x) => x.track?.kind === "audio" || x.track === null);
  }

  /** What the other party sends us (played by the phone, mixed for the conference). */
  get remoteStream(): MediaStream | undefined {
    return this.sdh?.remoteMediaStream;
  }

  /** The senders of the call's live video transceivers (camera or screen, or idle). */
  get videoSenders(): RTCRtpSender[] {
    const pc = this.sdh?.peerConnection;
    return pc
      ? pc
          .getTransceivers()
          .filter((t) => t.currentDirection !== "stopped" && t.receiver.track.kind === "video")
          .map((t) => t.sender)
      : [];
  }

  /** The SDP-negotiated peer connection, for stats. */
  get peerConnection(): RTCPeerConnection | undefined {
    return this.sdh?.peerConnection;
  }

  /** Starts playing what the other side sends (early media or the call), once. */
  play(): void {
    const stream = this.sdh?.remoteMediaStream;
    if (!stream || this.stopPlayback) return;
    this.stopPlayback = this.deps.playRemote(stream);
  }

  stop(): void {
    this.stopPlayback?.();
    this.stopPlayback = undefined;
  }

  /** Sends DTMF, RFC 4733 telephone-events (default) or SIP INFO, as the account says. */
  sendDtmf(digits: string): Promise<void> {
    const tones = validateDtmf(digits);
    if (this.deps.dtmf === "rfc4733") {
      if (!this.sdh?.sendDtmf(tones, { duration: 100, interToneGap: 70 })) {
        // SIP.js inserts into getSenders()[0].dtmf. A sender that exists but cannot insert was
        // given no telephone-event by the answer (seen behind rtpengine 10.5 when the far end
        // answers telephone-event under another payload type than ours): say that, not "no sender".
        const dtmf = this.sdh?.peerConnection?.getSenders()[0]?.dtmf;
        const why = dtmf && !dtmf.canInsertDTMF ? "the other side's answer accepts no RFC 4733 telephone-event" : "no audio sender";
        return Promise.reject(new Error(`This call cannot send DTMF tones (${why})`));
      }
      return Promise.resolve();
    }
    // INFO digits go one at a time, each after the previous one was answered.
    for (const tone of tones) {
      this.dtmfQueue = this.dtmfQueue.then(() =>
        this.session
          .info({
            requestOptions: {
              body: { contentDisposition: "render", contentType: "application/dtmf-relay", content: `Signal=${tone}\r\nDuration=100` },
            },
          })
          .then(() => undefined),
      );
    }
    return this.dtmfQueue;
  }
}
