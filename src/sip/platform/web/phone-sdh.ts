import {
  SessionDescriptionHandler,
  type SessionDescriptionHandlerConfiguration,
  type MediaStreamFactory,
} from "sip.js/lib/platform/web/index.js";
import type { BodyAndContentType } from "sip.js";
import type { Logger as SipLogger } from "sip.js/lib/core/index.js";
import { rebindPeerConnectionHandlers, setLocalStreamConstraints } from "../../core/sipjs-internals.js";
import { NO_RELAY_ERROR } from "../../api/platform.js";
import type { IcePolicy } from "./ice-policy.js";
import type { WarmLeg } from "./warm-leg.js";
import { audioWithoutCodec } from "./answer-codecs.js";
import { preferCodecs } from "./codec-order.js";
import { putMicrophoneOnSender } from "./late-microphone.js";
import { sendOnRecycledAudio } from "./recycled-audio.js";

type GetDescription = SessionDescriptionHandler["getDescription"];
type SetDescription = SessionDescriptionHandler["setDescription"];

/**
 * SIP.js's WebRTC session description handler with these changes:
 * - ICE: stops waiting at the first useful candidate (see ice-policy.ts) instead of up to 5 s,
 *   and refuses to send an SDP a relay-only line cannot use (no relay candidate: NO_RELAY_ERROR);
 * - an optional standby leg (`WarmLeg`: connection, offer and ICE ready, no microphone) replaces
 *   the connection SIP.js creates, so the INVITE leaves at once; the microphone opens meanwhile
 *   and goes on the sender by replaceTrack (`microphoneAttached`);
 * - an answer prepared while the call rings (`prepareAnswer`): answering only sends the 200;
 * - a re-INVITE from the other side that crosses one of ours still gathering ICE is taken, and
 *   ours withdrawn (see setDescription);
 * - the line's codec order (`codecs`) is applied before every offer and answer it creates.
 */
export class PhoneSessionDescriptionHandler extends SessionDescriptionHandler {
  /** The standby leg's offer is still to be sent. */
  private warm = false;
  /** Settles once the microphone opened after a standby leg's offer is on its sender (call-invite.ts watches it). */
  microphoneAttached: Promise<void> | undefined;
  /** An answer being prepared while the call rings, for this offer: resolves true once set. */
  private prepared: { offer: string; ready: Promise<boolean> } | undefined;
  /** An offer of ours is being made (ICE gathering) and not yet handed to SIP.js to send. */
  private offering = false;
  /** The other side's offer came meanwhile and took the connection: ours must not be sent. */
  private offerWithdrawn = false;
  /** The ICE credentials (ufrag) of the local description when gathering last completed. */
  private gatheredFor: string | undefined;
  /** The ICE credentials (ufrag) of the last candidate gathered: which generation a "complete" is for. */
  private lastCandidateFor: string | undefined;

  constructor(
    logger: SipLogger,
    mediaStreamFactory: MediaStreamFactory,
    configuration: SessionDescriptionHandlerConfiguration,
    private readonly icePolicy: IcePolicy,
    warm?: WarmLeg,
    /** The line's codec order (`codecs` of its account); undefined: the browser's. */
    private readonly codecs?: readonly string[],
    /** Whether the microphone opens without asking (microphone-check.ts): else a standby leg's INVITE waits for it. */
    private readonly microphoneLikely: () => boolean = () => false,
  ) {
    super(logger, mediaStreamFactory, configuration);
    if (warm) {
      // SIP.js always creates its own connection in the constructor; swap in the warm one.
      this._peerConnection?.close();
      this._peerConnection = warm.take().pc;
      rebindPeerConnectionHandlers(this);
      this.warm = true;
    }
    this.peerConnectionDelegate = {
      onicecandidate: (event) => {
        const c = event.candidate;
        if (c?.usernameFragment) this.lastCandidateFor = c.usernameFragment;
        // Only a candidate of the current ICE generation: one gathered for an offer that was
        // withdrawn (rollback) is not in the SDP about to be sent.
        const current = !c?.usernameFragment || c.usernameFragment === ufragOf(this._peerConnection?.localDescription?.sdp ?? "");
        if (c && current && this.icePolicy.isEnough(c.candidate)) this.iceGatheringComplete();
      },
      onicegatheringstatechange: () => this.noteGathered(),
    };
    // A warm leg may have finished gathering before this handler existed.
    this.noteGathered();
  }

  /**
   * The first offer of a standby leg is the one already set on its connection (SIP.js would
   * refuse to make another in state have-local-offer): sent at once, the microphone following.
   * A prepared answer is sent as it is, once the microphone is on its sender.
   */
  override async getDescription(
    options?: Parameters<GetDescription>[0],
    modifiers?: Parameters<GetDescription>[1],
  ): Promise<BodyAndContentType> {
    const pc = this._peerConnection;
    const cap = this.sessionDescriptionHandlerConfiguration?.iceGatheringTimeout ?? 0;
    const prepared = this.prepared;
    this.prepared = undefined;
    if (pc && prepared && (await prepared.ready) && pc.signalingState === "stable" && pc.localDescription?.type === "answer") {
      await this.microphoneNow(options);
      await this.waitForIceGatheringComplete(false, cap);
      return this.usable({ body: pc.localDescription.sdp, contentType: "application/sdp" });
    }
    const offering = pc?.signalingState === "stable";
    if (offering) {
      this.offering = true;
      this.offerWithdrawn = false;
    }
    let description: BodyAndContentType;
    try {
      if (!this.warm || !pc || pc.signalingState !== "have-local-offer") {
        description = await super.getDescription(options, modifiers);
      } else {
        this.warm = false;
        // A permission prompt or no device: the INVITE waits, as without a standby leg, so that
        // nothing is sent for a call that cannot have a sound.
        if (this.microphoneLikely()) this.microphoneLater(options);
        else await this.openMicrophone(options);
        // No second wait for ICE: the leg waited as the policy says before it was handed over.
        description = { body: pc.localDescription!.sdp, contentType: "application/sdp" };
      }
    } finally {
      if (offering) this.offering = false;
    }
    if (offering && this.offerWithdrawn) throw new Error("offer withdrawn: the other side's re-INVITE came first");
    if (!offering) await this.closeStoppedVideo();
    return this.usable(description);
  }

  /**
   * While the call rings: the caller's offer applied, our answer created and set, its ICE
   * gathered, with no track on the sender. Setting the answer starts ICE checks towards the
   * offer's candidates, so the path is known when the 200 leaves; with no track, no RTP leaves
   * before the user answers, and as DTLS server we start no handshake either (docs/performance.md,
   * "Standby legs and prepared answers"). Audio-only offers only: a video call is answered as before.
   */
  prepareAnswer(offer: string): void {
    const pc = this._peerConnection;
    if (!pc) return;
    const ready = (async () => {
      await this.setRemoteSessionDescription({ type: "offer", sdp: offer });
      await this.updateDirection();
      const answer = await this.createLocalOfferOrAnswer();
      // DTLS server (RFC 5763 allows passive): the handshake waits for the caller's ClientHello,
      // sent once it applied the answer that won. A client started now would greet a caller
      // whose INVITE forked to several of our devices with one hello per device, and break the
      // handshake of the one answering (docs/performance.md).
      await this.setLocalSessionDescription({ type: "answer", sdp: answer.sdp?.replace(/^a=setup:active\r?$/gm, "a=setup:passive") });
      await this.waitForIceGatheringComplete(false, this.sessionDescriptionHandlerConfiguration?.iceGatheringTimeout ?? 0);
      return true;
    })().catch(() => false);
    this.prepared = { offer, ready };
  }

  /** Opens the microphone after the standby leg's offer was sent; a failure ends the call (call-invite.ts). */
  private microphoneLater(options?: Parameters<GetDescription>[0]): void {
    const attached = this.openMicrophone(options);
    attached.catch(() => undefined);
    this.microphoneAttached = attached;
  }

  /** The ringing call's microphone (opened already, as a rule) on the prepared answer's sender. */
  private microphoneNow(options?: Parameters<GetDescription>[0]): Promise<void> {
    return this.openMicrophone(options);
  }

  private async openMicrophone(options?: Parameters<GetDescription>[0]): Promise<void> {
    // What SIP.js would ask for (its default when none given), so that no later offer reopens it.
    const constraints = options?.constraints ?? { audio: true };
    setLocalStreamConstraints(this, constraints);
    const stream = await this.mediaStreamFactory(constraints, this, options);
    const pc = this._peerConnection;
    await putMicrophoneOnSender(pc, this._localMediaStream, stream, () => this._peerConnection !== pc || pc?.signalingState === "closed");
  }

  private usable(description: BodyAndContentType): BodyAndContentType {
    if (!this.icePolicy.hasUsableCandidate(description.body)) throw noRelay();
    return description;
  }

  /**
   * Every offer and answer this handler creates (first offer, answer, hold, ICE restart) is made
   * after the line's codec order was set on the audio transceivers: an answer's transceiver only
   * exists once the offer is applied, so this is the one place that sees them all. (A warm leg's
   * first offer was created earlier, with the same order: warm-leg.ts.)
   */
  protected override async createLocalOfferOrAnswer(options?: Parameters<GetDescription>[0]): Promise<RTCSessionDescriptionInit> {
    const pc = this._peerConnection;
    if (pc) {
      if (pc.signalingState === "have-remote-offer") await this.sendOnRecycledAudio(pc, options?.hold === true);
      // A video stream we have no camera on is answered without sending (video-transceivers.ts).
      if (pc.signalingState === "have-remote-offer" && withVideo(pc))
        (await import("./video-transceivers.js")).answerWithoutCamera(pc.getTransceivers());
      preferCodecs(pc.getTransceivers(), this.codecs);
    }
    return super.createLocalOfferOrAnswer(options);
  }

  /**
   * SIP.js stops the tracks still on the senders; a camera the browser took off a stopped
   * video sender (closeStoppedVideo) is stopped here too, so none outlives the call.
   */
  override close(): void {
    for (const t of this._localMediaStream.getVideoTracks()) t.stop();
    super.close();
  }

  /** A video stream the other side removed or refused (port 0): its camera closes (video-transceivers.ts). */
  private async closeStoppedVideo(sentBefore: MediaStreamTrack[] = []): Promise<void> {
    const pc = this._peerConnection;
    const candidates = [...sentBefore, ...this._localMediaStream.getVideoTracks()];
    if (!pc || (!withVideo(pc) && !candidates.length)) return;
    const video = await import("./video-transceivers.js");
    const rejected = video.rejectedMids(pc.localDescription?.sdp, pc.remoteDescription?.sdp);
    video.closeStoppedVideo(pc.getTransceivers(), rejected, candidates);
  }

  /** See recycled-audio.ts: a stream re-added in a slot the peer removed (port 0) sends again. */
  private async sendOnRecycledAudio(pc: RTCPeerConnection, holding: boolean): Promise<void> {
    const track = this._localMediaStream.getAudioTracks().find((t) => t.readyState === "live");
    if (track) await sendOnRecycledAudio(pc.getTransceivers(), track, holding);
  }

  /**
   * Glare inside our own ICE gathering: when both sides restart ICE at once (both saw the path
   * go), the other side's re-INVITE can arrive while our offer is still gathering, before SIP.js
   * has a transaction that would answer it 491. An answer cannot come before our offer was sent,
   * so what arrives is their offer; SIP.js (which picks the SDP type from the signalling state)
   * would apply it as an answer and fail the call with 488. Ours is rolled back and theirs
   * taken: it restarts ICE as well, and our re-INVITE fails and is retried by call-hold.ts.
   *
   * An answer that leaves an audio section without a voice codec is refused here (see
   * answer-codecs.ts): Chrome accepts it and would connect a call without a sound. SIP.js then
   * does what it does for any answer it cannot use: ACK and BYE with 488 (RFC 3261 13.2.2.4).
   */
  override async setDescription(
    sdp: string,
    options?: Parameters<SetDescription>[1],
    modifiers?: Parameters<SetDescription>[2],
  ): Promise<void> {
    const pc = this._peerConnection;
    // The offer the answer was prepared for (prepareAnswer) is applied already.
    if (this.prepared?.offer === sdp && ((await this.prepared.ready) || pc?.signalingState === "have-remote-offer")) return;
    if (this.offering && pc?.signalingState === "have-local-offer") {
      this.offerWithdrawn = true;
      await pc.setLocalDescription({ type: "rollback" });
    }
    // The tracks sent before: the browser may take them off the senders it stops (video-transceivers.ts).
    const sentBefore = pc && withVideo(pc) ? videoSent(pc) : undefined;
    await super.setDescription(sdp, options, modifiers);
    await this.closeStoppedVideo(sentBefore);
    const applied = this._peerConnection;
    if (applied?.remoteDescription?.type !== "answer") return;
    const without = audioWithoutCodec(applied.getTransceivers());
    if (without.length) throw new Error(`the answer has no audio codec in common with our offer (m= section mid ${without.join(", ")})`);
  }

  /**
   * SIP.js calls this when a re-INVITE we sent fails (491, 408...), and when one we received
   * could not be answered (488). Its own handler has none, which leaves the connection in
   * have-local-offer (or have-remote-offer) and every later re-INVITE failing: our next offer
   * cannot even be created, and an ICE restart could only come from the other side.
   */
  async rollbackDescription(): Promise<void> {
    const pc = this._peerConnection;
    if (pc?.signalingState === "have-local-offer") await pc.setLocalDescription({ type: "rollback" });
    else if (pc?.signalingState === "have-remote-offer") await pc.setRemoteDescription({ type: "rollback" });
  }

  /**
   * Done as soon as the local SDP holds a candidate the policy finds enough, or gathering of
   * this SDP's ICE generation (its ufrag) is complete, or at `timeout`. By generation, not by
   * SIP.js's "complete" alone: after an ICE restart (ours, or the other side's offer) the SDP
   * starts again without candidates while gathering may still say "complete" from before, and
   * a withdrawn offer's gathering can complete after the answer began to wait; either way an
   * SDP without a single candidate would be sent.
   */
  protected override async waitForIceGatheringComplete(restart = false, timeout = 0): Promise<void> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const pc = this._peerConnection;
      const sdp = pc?.localDescription?.sdp ?? "";
      if (sdp.split(/\r?\n/).some((l) => l.startsWith("a=candidate:") && this.icePolicy.isEnough(l))) return;
      const gathered = pc?.iceGatheringState === "complete" && ufragOf(sdp) === this.gatheredFor;
      if (!pc || (gathered && !restart)) return;
      const left = deadline - Date.now();
      if (timeout > 0 && left <= 0) return;
      // Woken by an enough candidate, the end of a gathering or the timeout: look again.
      await super.waitForIceGatheringComplete(true, timeout > 0 ? left : 0);
      if (timeout <= 0) return;
      restart = false;
    }
  }

  /**
   * Gathering completed: for the local description's generation, unless its last candidate was
   * of another. The gathering of an offer withdrawn on glare (rolled back, the other side's
   * offer answered instead) can complete after the answer was set: taken for the answer's, it
   * ended the wait at once and the answer left without a candidate (a relay-only line then
   * refused the other side's ICE restart with 488). A generation that gathers nothing at all
   * is then waited for until the cap.
   */
  private noteGathered(): void {
    const pc = this._peerConnection;
    if (pc?.iceGatheringState !== "complete") return;
    const ufrag = ufragOf(pc.localDescription?.sdp ?? "");
    if (this.lastCandidateFor === undefined || this.lastCandidateFor === ufrag) this.gatheredFor = ufrag;
  }
}

/** The video tracks the connection sends now. */
function videoSent(pc: RTCPeerConnection): MediaStreamTrack[] {
  return pc.getSenders().flatMap((s) => (s.track?.kind === "video" ? [s.track] : []));
}

/** Whether the connection has any video stream: audio-only calls never load the video code. */
function withVideo(pc: RTCPeerConnection): boolean {
  return pc.getTransceivers().some((t) => t.receiver.track.kind === "video");
}

function ufragOf(sdp: string): string | undefined {
  return /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1];
}

/** Relay-only and no relay candidate: the call would connect without a sound (see NO_RELAY_ERROR). */
function noRelay(): Error {
  const e = new Error("relay-only line: no TURN relay candidate was gathered");
  e.name = NO_RELAY_ERROR;
  return e;
}
