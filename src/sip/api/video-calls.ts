import type { Invitation } from "sip.js";
import { getLogger } from "../core/logger.js";
import type { Call } from "./call.js";
import { CallState } from "./call-state.js";
import { PhoneError } from "./phone-errors.js";
import { CALL_AUDIO, type VideoPlatform } from "./platform.js";
import { offersVideo, videoState } from "./video-sdp.js";
import type { VideoSnapshot } from "./video-state.js";

const log = getLogger("video");

/** What the phone knows of one call's video beyond its descriptions. */
interface CallVideoState {
  /** We send a shared screen (not the camera). */
  screen: MediaStreamTrack | undefined;
  /** The camera was on before the screen was shared: it comes back when sharing stops. */
  cameraBeforeScreen: boolean;
  /** The user said no to the other party's wish for our video (asked again after a new offer without video). */
  declined: boolean;
  /** One change at a time per call (camera on, screen, off): each waits for the one before. */
  queue: Promise<unknown>;
}

/** The media a call's video area shows (tab-local: never crosses to another tab). */
export interface VideoMedia {
  /** What the other party sends (its video track, when there is one; audio plays elsewhere). */
  remote?: MediaStream;
  /** What we send: the camera or the shared screen (self-view). */
  local?: MediaStreamTrack;
}

/**
 * Video in calls, loaded with the first video call or request (most phones never use video):
 * calls dialled or answered with video, video added and removed by re-INVITE, the other
 * party's request for our video (asked, never acted on by itself: our camera stays closed
 * until `accept`), the screen in place of the camera, and the camera choice.
 *
 * Every change is one re-INVITE through the call's hold path (491 glare and transient retries,
 * call-hold.ts). Turning video off removes the video stream for both sides (port 0, RFC 3264
 * 8.2): the camera closes here and on the other side (closeStoppedVideo, video-transceivers.ts).
 * The snapshot is read from the descriptions negotiated last (video-sdp.ts), so it says what
 * flows: a desk phone that refused the video stream (port 0) leaves `local` and `remote` false.
 */
export class VideoCalls {
  /** The chosen camera's device id ("": the default); kept per browser with the audio settings. */
  camera = "";
  private readonly calls = new WeakMap<Call, CallVideoState>();

  constructor(private readonly platform: VideoPlatform) {}

  /** getUserMedia constraints for a call dialled or answered with video. */
  constraints(): MediaStreamConstraints {
    return { ...CALL_AUDIO, video: this.camera ? { deviceId: { ideal: this.camera } } : true };
  }

  /** From now on the call's snapshot has `video` (a video call, or one the other side offered video). */
  follow(call: Call): CallVideoState {
    let state = this.calls.get(call);
    if (state) return state;
    state = { screen: undefined, cameraBeforeScreen: false, declined: false, queue: Promise.resolve() };
    this.calls.set(call, state);
    const s = state;
    call.videoOf = () => this.snapshot(call, s);
    call.changed();
    return state;
  }

  /** The other party offered `body` (INVITE or re-INVITE) that concerns video: the snapshot shows it. */
  offered(call: Call, body: string): void {
    const state = this.follow(call);
    // Video gone from its offer: a later request is a new question.
    if (!offersVideo(body)) state.declined = false;
    call.changed();
  }

  /** Turns our video on (the camera, by re-INVITE where the offer changes) or off (the video stream removed). */
  setVideo(call: Call, on: boolean): Promise<void> {
    return this.serial(call, async (state, pc) => {
      if (on) {
        if (this.platform.sentVideo(pc)) return;
        state.declined = false;
        await this.send(call, pc, await this.platform.openCamera(this.camera || undefined));
        return;
      }
      state.screen = undefined;
      state.cameraBeforeScreen = false;
      if (!pc.getTransceivers().some((t) => t.receiver.track.kind === "video" && t.direction !== "stopped")) return;
      this.platform.removeVideo(pc);
      await this.renegotiate(call);
    });
  }

  /** Shares a screen in place of the camera (asked of the user by the browser), or stops sharing. */
  shareScreen(call: Call, on: boolean): Promise<void> {
    return this.serial(call, async (state, pc) => {
      if (on) {
        if (state.screen) return;
        const track = await this.platform.openScreen();
        state.cameraBeforeScreen = !!this.platform.sentVideo(pc);
        state.screen = track;
        // Stopped from the browser's own "Stop sharing" bar: back to the camera, or no video.
        track.addEventListener("ended", () => {
          if (state.screen === track)
            void this.shareScreen(call, false).catch((e: Error) => log.warn("screen share not ended:", e.message));
        });
        await this.send(call, pc, track);
        return;
      }
      const screen = state.screen;
      if (!screen) return;
      state.screen = undefined;
      if (state.cameraBeforeScreen) {
        // The camera again on the same stream: replaceTrack, no re-INVITE; the screen capture stops.
        await this.send(call, pc, await this.platform.openCamera(this.camera || undefined));
      } else {
        this.platform.removeVideo(pc);
        await this.renegotiate(call);
      }
    });
  }

  /** The other party's request for our video: yes (our camera on, by re-INVITE). */
  accept(call: Call): Promise<void> {
    return this.setVideo(call, true);
  }

  /** The other party's request for our video: no. Their video still shows; ours stays off. */
  decline(call: Call): void {
    this.follow(call).declined = true;
    call.changed();
  }

  /**
   * The camera chosen (`setAudio({camera})`); when it is another one, calls sending the camera
   * (not a screen) move to it by replaceTrack, without a re-INVITE.
   */
  async cameraChosen(camera: string, calls: readonly Call[]): Promise<void> {
    if (camera === this.camera) return;
    this.camera = camera;
    for (const call of calls) {
      const state = this.calls.get(call);
      const pc = call.peerConnection;
      if (!state || state.screen || !pc || !this.platform.sentVideo(pc)) continue;
      await this.setVideoTrack(call, state);
    }
  }

  /** What the call's video area shows. */
  media(call: Call): VideoMedia {
    const pc = call.peerConnection;
    return { remote: call.remoteStream, local: pc ? this.platform.sentVideo(pc) : undefined };
  }

  /** The cameras, for the choice in the settings. */
  cameras(): Promise<{ id: string; label: string }[]> {
    return this.platform.cameras();
  }

  private setVideoTrack(call: Call, state: CallVideoState): Promise<void> {
    return this.serial(call, async (_s, pc) => {
      if (state.screen || !this.platform.sentVideo(pc)) return;
      await this.send(call, pc, await this.platform.openCamera(this.camera || undefined));
    });
  }

  private snapshot(call: Call, state: CallVideoState): VideoSnapshot {
    const pc = call.peerConnection;
    const local = pc?.currentLocalDescription?.sdp;
    // A call that rings has no connection yet: its INVITE's offer says what the caller wants.
    const remote = pc?.currentRemoteDescription?.sdp ?? (call.direction === "in" ? (call.session as Invitation).body : undefined);
    return videoState(local, remote, !!state.screen, state.declined);
  }

  /** `track` becomes what the call sends as video; a re-INVITE where the offer changes. */
  private async send(call: Call, pc: RTCPeerConnection, track: MediaStreamTrack): Promise<void> {
    if (call.state !== CallState.Established) {
      track.stop();
      return;
    }
    if ((await this.platform.sendVideo(pc, track)) === "none") return;
    await this.renegotiate(call, true);
  }

  /**
   * The re-INVITE. `adding`: refused (the other side wants no video, or never answered), the
   * video we tried to add is removed again, its camera closed, and the caller told.
   */
  private async renegotiate(call: Call, adding = false): Promise<void> {
    const outcome = await call.renegotiate();
    if (outcome === "accepted" || !adding) return;
    const pc = call.peerConnection;
    if (pc && call.state === CallState.Established) this.platform.removeVideo(pc);
    throw new PhoneError("The other side did not accept the video", "no-video", { callId: call.id, outcome });
  }

  /** Runs `change` after the call's previous video change, on its connection; the snapshot is sent after. */
  private serial(call: Call, change: (state: CallVideoState, pc: RTCPeerConnection) => Promise<void>): Promise<void> {
    if (call.state !== CallState.Established) {
      return Promise.reject(new PhoneError("Video can be changed only in a connected call", "bad-state", { callId: call.id }));
    }
    const state = this.follow(call);
    const run = state.queue.then(async () => {
      const pc = call.peerConnection;
      if (!pc || call.state !== CallState.Established) throw new PhoneError("The call has ended", "bad-state", { callId: call.id });
      try {
        await change(state, pc);
      } finally {
        call.changed();
      }
    });
    state.queue = run.catch(() => undefined);
    return run;
  }
}
