import type { Session } from "sip.js";
import { delay, type Clock } from "../core/clock.js";
import { getLogger } from "../core/logger.js";
import { StateMachine } from "../core/state-machine.js";

const log = getLogger("call");

/**
 * Our side of hold, with the re-INVITE in flight as a state of its own:
 *
 * ```
 *            hold()            2xx                resume()          2xx
 *  active ──────────▶ holding ─────▶ held ───────────────▶ resuming ─────▶ active
 *    ▲                  │ refused                ▲            │ refused
 *    └──────────────────┘                        └────────────┘
 * ```
 * The offer of every re-INVITE (hold, resume, dialog refresh) says sendonly while we are
 * `holding` or `held`.
 */
export enum HoldState {
  Active = "active",
  Holding = "holding",
  Held = "held",
  Resuming = "resuming",
}

const MOVES: Readonly<Record<HoldState, readonly HoldState[]>> = {
  [HoldState.Active]: [HoldState.Holding],
  [HoldState.Holding]: [HoldState.Held, HoldState.Active],
  [HoldState.Held]: [HoldState.Resuming],
  [HoldState.Resuming]: [HoldState.Active, HoldState.Held],
};

/** Outcome of a re-INVITE after its retries: accepted, refused, or the dialog is gone (481). */
export type ReinviteOutcome = "accepted" | "refused" | "gone";

export interface ReinviteOptions {
  iceRestart?: boolean;
  attempts?: number;
  /** Checked before each attempt: false when the re-INVITE is no longer wanted (outcome "refused"). */
  stillNeeded?: () => boolean;
}

/**
 * Hold/resume and dialog refresh of one call: every re-INVITE goes through `reinvite()`, which
 * retries a crossing re-INVITE (491) after the RFC 3261 14.1 delay (2.1-4 s when we own the
 * Call-ID, else 0-2 s) and a transient failure after 1-2 s.
 */
export class CallHold {
  private readonly machine: StateMachine<HoldState>;
  /** The microphone track taken off the sender while held (nothing reaches the held party). */
  private heldTrack: MediaStreamTrack | undefined;

  constructor(
    id: string,
    private readonly session: Session,
    /** We placed the call, so we own its Call-ID (RFC 3261 14.1 glare timing). */
    private readonly ownsCallId: boolean,
    private readonly clock: Clock,
    private readonly sender: () => RTCRtpSender | undefined,
    /** Still worth re-INVITing (the call is up). */
    private readonly alive: () => boolean,
    onChange: () => void,
    /** Every re-INVITE is also a session refresh (RFC 4028): its headers, and news of its 2xx. */
    private readonly refreshing: { headers(): string[]; accepted(): void } = { headers: () => [], accepted: () => undefined },
    /** The call's video senders: paused while held (see pauseVideo). */
    private readonly videoSenders: () => RTCRtpSender[] = () => [],
  ) {
    this.machine = new StateMachine(`call ${id} hold`, HoldState.Active, MOVES, onChange);
  }

  get state(): HoldState {
    return this.machine.state;
  }

  /** True while the offer we send says sendonly. */
  get onHold(): boolean {
    return this.machine.state === HoldState.Holding || this.machine.state === HoldState.Held;
  }

  /** Puts the call on hold (`on`) or takes it back. Resolves with the outcome. */
  async set(on: boolean): Promise<ReinviteOutcome | "unchanged"> {
    const state = this.machine.state;
    if (on ? state !== HoldState.Active : state !== HoldState.Held) return "unchanged";
    const sender = this.sender();
    if (on) {
      this.heldTrack = sender?.track ?? this.heldTrack;
      await sender?.replaceTrack(null);
      await this.pauseVideo(true);
    }
    this.machine.transition(on ? HoldState.Holding : HoldState.Resuming);
    const outcome = await this.reinvite({ attempts: 3 });
    const accepted = outcome === "accepted";
    // A refused hold gives the microphone back; a refused retrieve stays on hold.
    if ((!on && accepted) || (on && !accepted)) {
      if (this.heldTrack) await sender?.replaceTrack(this.heldTrack);
      this.heldTrack = undefined;
      await this.pauseVideo(false);
    }
    this.machine.transition(on === accepted ? HoldState.Held : HoldState.Active);
    return outcome;
  }

  /**
   * Our camera (or shared screen) stops reaching the held party, as the microphone does. The
   * sendonly offer alone would let video flow on. Not by taking the track off the sender as for
   * audio: the video code keeps the camera on its sender (video-transceivers.ts) and may switch
   * it while held. The sender's encodings are made inactive instead (RTCRtpSender.setParameters):
   * no RTP, the track and the local preview stay, and the resume turns them on again.
   */
  private async pauseVideo(paused: boolean): Promise<void> {
    for (const sender of this.videoSenders()) {
      try {
        const parameters = sender.getParameters();
        if (!parameters.encodings?.length || parameters.encodings.every((e) => e.active !== paused)) continue;
        for (const e of parameters.encodings) e.active = !paused;
        await sender.setParameters(parameters);
      } catch (e) {
        log.warn("video not", paused ? "paused" : "resumed", "for hold:", (e as Error).message);
      }
    }
  }

  /** Our microphone moved to another track while held: the resume sends the new one. */
  microphoneReplaced(old: MediaStreamTrack, next: MediaStreamTrack): void {
    if (this.heldTrack === old) this.heldTrack = next;
  }

  /**
   * The call ended: the microphone track taken off the sender for the hold is stopped. SIP.js
   * stops only the tracks still on its senders when it closes, so a call hung up while on hold
   * left the microphone open (the browser's recording indicator stayed on).
   */
  release(): void {
    this.heldTrack?.stop();
    this.heldTrack = undefined;
  }

  /** Sends a re-INVITE (keeping the hold state) with glare and transient-failure retries. */
  async reinvite({ iceRestart = false, attempts = 4, stillNeeded = () => true }: ReinviteOptions = {}): Promise<ReinviteOutcome> {
    for (let attempt = 0; attempt < attempts && this.alive() && stillNeeded(); attempt++) {
      const code = await new Promise<number>((resolve) => {
        this.session
          .invite({
            sessionDescriptionHandlerOptions: { hold: this.onHold, offerOptions: { iceRestart } } as object,
            requestOptions: { extraHeaders: this.refreshing.headers() },
            requestDelegate: {
              onAccept: () => resolve(200),
              onReject: (response) => resolve(response.message.statusCode ?? 500),
            },
          })
          .catch(() => resolve(0));
      });
      if (code === 200) {
        this.refreshing.accepted();
        return "accepted";
      }
      if (code === 481) return "gone";
      // No wait after the last attempt: a refused hold is said at once.
      if (attempt + 1 >= attempts) break;
      const ms = code === 491 ? (this.ownsCallId ? 2100 + Math.random() * 1900 : Math.random() * 2000) : 1000 + Math.random() * 1000;
      log.info(`re-INVITE got ${code || "no answer"}, retrying in ${Math.round(ms)} ms`);
      await delay(this.clock, ms);
    }
    return "refused";
  }
}
