import { Invitation, Inviter, SessionState, type Referral, type Session } from "sip.js";
import type { DtmfMethod } from "../../config/phone-config.js";
import type { Clock } from "../core/clock.js";
import { Emitter } from "../core/emitter.js";
import { StateMachine } from "../core/state-machine.js";
import { CallEnding } from "./call-ending.js";
import { CallHold } from "./call-hold.js";
import { CallInvite, type CallOutcome } from "./call-invite.js";
import { CallMedia } from "./call-media.js";
import { CALL_MOVES, CallState, type CallDirection, type CallSnapshot, type EndReason } from "./call-state.js";
import { CallTransfer, type TransferOptions } from "./call-transfer.js";
import { COMPLETED_ELSEWHERE } from "./cancel-reason.js";
import type { CallFailure } from "./failures.js";
import type { FollowDecision } from "./follow-policy.js";
import type { RecordingFailure, RecordingState } from "./recording-media.js";
import { InDialogRequests } from "./in-dialog-requests.js";
import { CallSessionTimer, offerTerms, type SessionTerms } from "./session-timer.js";
import type { ReinviteOptions, ReinviteOutcome } from "./call-hold.js";
import type { VideoSnapshot } from "./video-state.js";

export interface CallEvents {
  change: CallSnapshot;
}

export interface CallDeps {
  playRemote(stream: MediaStream): () => void;
  dtmf: DtmfMethod;
  clock: Clock;
}

export type { TransferOptions };

let counter = 0;
function newCallId(): string {
  counter++;
  return `c${Date.now().toString(36)}${counter.toString(36)}`;
}

/**
 * One call: a SIP.js Inviter (outgoing) or Invitation (incoming), its media, and its CallState.
 * What runs inside a call has its own small machine: hold (call-hold.ts), transfer progress
 * (call-transfer.ts), and how it ends (call-ending.ts); what our INVITE came to is
 * call-invite.ts, what the other party asks within the call in-dialog-requests.ts. Every change
 * is one `change` event.
 */
export class Call extends Emitter<CallEvents> {
  readonly id = newCallId();
  private readonly machine: StateMachine<CallState>;
  private readonly ending: CallEnding;
  private readonly holding: CallHold;
  private readonly transferring: CallTransfer;
  private readonly media: CallMedia;
  private readonly inviting: CallInvite;
  private readonly peer: InDialogRequests;
  /** Set by the phone: a consultation call for the held call with this id. */
  consultFor: string | undefined;
  /** Set by the phone: this call replaced the call with this id (INVITE with Replaces). */
  replaces: string | undefined;
  /** Set by the phone while the call is mixed into the conference. */
  inConference = false;
  /** Set by the phone: headers of the incoming INVITE the host page asked for. */
  headers: Record<string, string> | undefined;
  /** Set by the phone: the tone an incoming call rings with (alert-info-tone.ts). */
  ringtone: string | undefined;
  /** Set by the phone while the call is (or was) recorded (call-recordings.ts). */
  recording: { state: RecordingState; failure?: RecordingFailure } | undefined;
  /** Set by the phone while the call is recorded: our microphone moved to another track. */
  onMicrophoneMoved: (() => void) | undefined;
  /** Set by the phone for click-to-call legs. */
  clickToCall: CallSnapshot["clickToCall"];
  /** Set by the phone: how a failed INVITE shows (click-to-call). */
  inviteFailureOf: ((sipCode: number) => CallFailure) | undefined;
  /** Set by the phone while an incoming REFER waits for the user (referPolicy "ask"). */
  referral: { target: string; uri: string } | undefined;
  /** Set by the phone: what to do with an incoming REFER on this call. */
  onReferred: ((referral: Referral) => void) | undefined;
  /** Set by the phone: our INVITE asked for session timers (its 2xx sets the terms). */
  sessionTimers = false;
  /** Set by the phone: what an incoming call's 200 says about session timers, and the terms. */
  sessionAnswer: { headers: string[]; terms?: SessionTerms } | undefined;
  private readonly sessionTimer: CallSessionTimer;
  /** Set by the phone: how many 3xx led to this call (a redirect loop rings nobody for ever). */
  redirectHops = 0;
  /** Set by the phone: whether a 3xx's target is followed by itself (follow-policy.ts). */
  followRedirect: ((contact: string) => FollowDecision) | undefined;
  /** Set by the phone: an offer of the other party's that concerns video (video-calls.ts, loaded then). */
  videoOffer: ((body: string) => void) | undefined;
  /** Set by the video feature: the call's video for its snapshot (video-calls.ts). */
  videoOf: (() => VideoSnapshot) | undefined;
  private reason: EndReason | undefined;
  /** The final response's code and the failure, written by whatever ends the call. */
  private readonly outcome: CallOutcome = { sipCode: undefined, failure: undefined };
  private readonly startedAt: number;
  private answeredAt: number | undefined;
  private endedAt: number | undefined;

  constructor(
    readonly session: Session,
    readonly lineId: string,
    readonly direction: CallDirection,
    private readonly remote: { user: string; name?: string; uri: string },
    private readonly deps: CallDeps,
  ) {
    super();
    this.startedAt = deps.clock.now();
    this.media = new CallMedia(session, deps);
    const changed = () => this.changed();
    const initial = direction === "in" ? CallState.Incoming : CallState.Dialing;
    this.machine = new StateMachine(`call ${this.id}`, initial, CALL_MOVES, (to) => {
      if (to === CallState.Ended) this.endedAt = deps.clock.now();
      this.changed();
    });
    this.ending = new CallEnding(this.id, (intent) => this.finish(intent));
    this.holding = new CallHold(
      this.id,
      session,
      direction === "out",
      deps.clock,
      () => this.audioSender,
      () => this.machine.state === CallState.Established,
      changed,
      {
        headers: () => this.sessionTimer.headers(),
        accepted: () => this.sessionTimer.refreshed(),
      },
      () => this.media.videoSenders,
    );
    this.sessionTimer = new CallSessionTimer(deps.clock, direction, {
      refresh: () => {
        void this.holding.reinvite({ attempts: 2 }).then((outcome) => {
          if (outcome === "gone") return this.dialogGone();
          // No 2xx to our refresh: the session is over (RFC 4028 10).
          if (outcome === "refused") return this.sessionExpired();
        });
      },
      expire: () => void this.sessionExpired(),
    });
    this.transferring = new CallTransfer(this.id, session, deps.clock, changed, {
      held: () => this.holding.onHold,
      hold: (on) => this.hold(on),
      end: (reason) => {
        this.ending.intend(reason, true);
        void this.session.bye().catch(() => undefined);
      },
      failed: (failure) => {
        this.outcome.failure = failure;
        this.changed();
      },
    });
    this.inviting = new CallInvite(this.id, session, direction === "out", this.ending, this.outcome, {
      state: () => this.machine.state,
      ring: () => this.machine.transition(CallState.Ringing),
      playEarly: () => this.media.play(),
      changed,
      answered: () => this.answeredAt !== undefined,
      followRedirect: (contact) => this.followRedirect?.(contact),
      failureOf: (sipCode) => this.inviteFailureOf?.(sipCode),
    });
    session.stateChange.addListener((s) => this.onSessionState(s));
    this.peer = new InDialogRequests(this.id, session, {
      ending: this.ending,
      referred: (referral) => this.onReferred?.(referral),
      refreshed: (sessionExpires) => this.sessionTimer.theyRefreshed(sessionExpires),
      changed,
      offered: (body) => this.offered(body),
    });
  }

  get state(): CallState {
    return this.machine.state;
  }

  get snapshot(): CallSnapshot {
    const transfer = this.transferring.progress;
    return {
      id: this.id,
      lineId: this.lineId,
      direction: this.direction,
      remote: this.remote.user,
      remoteName: this.remote.name,
      remoteUri: this.remote.uri,
      state: this.machine.state,
      muted: this.media.isMuted,
      held: this.holding.onHold,
      hold: this.holding.state,
      heldByRemote: this.peer.heldByRemote,
      ...(this.inviting.earlyMedia ? { earlyMedia: true } : {}),
      ...(transfer ? { transfer } : {}),
      ...(this.consultFor ? { consultFor: this.consultFor } : {}),
      ...(this.replaces ? { replaces: this.replaces } : {}),
      ...(this.inConference ? { conference: true } : {}),
      ...(this.referral ? { referral: this.referral } : {}),
      ...(this.clickToCall ? { clickToCall: this.clickToCall } : {}),
      ...(this.headers ? { headers: this.headers } : {}),
      ...(this.videoOf ? { video: this.videoOf() } : {}),
      ...(this.recording ? { recording: this.recording.state } : {}),
      ...(this.recording?.failure ? { recordingFailure: this.recording.failure } : {}),
      ...(this.outcome.failure ? { failure: this.outcome.failure } : {}),
      sipCode: this.outcome.sipCode,
      reason: this.reason,
      startedAt: this.startedAt,
      answeredAt: this.answeredAt,
      endedAt: this.endedAt,
    };
  }

  /** Sends the INVITE (outgoing calls). Resolves once it is on its way. */
  invite(): Promise<void> {
    return this.ending.during(() =>
      this.inviting.send((response) => {
        if (this.sessionTimers) this.sessionTimer.start(offerTerms({ sessionExpires: response.message.getHeader("session-expires") }));
      }),
    );
  }

  /** Where a 3xx sent this call, when it is followed (the phone places a new call there). */
  get redirectTarget(): string | undefined {
    return this.inviting.redirectTarget;
  }

  /**
   * The other party offered `body` (its INVITE or a re-INVITE): the video feature hears of it
   * when it has video, or when the call already has some (video removed).
   */
  offered(body: string | undefined): void {
    if (body && (this.videoOf || /^m=video [1-9]/m.test(body))) this.videoOffer?.(body);
  }

  /** Sends a re-INVITE with the media as they are now (video added or removed: video-calls.ts). */
  async renegotiate(): Promise<ReinviteOutcome> {
    const outcome = await this.holding.reinvite({ attempts: 3 });
    if (outcome === "gone") await this.dialogGone();
    return outcome;
  }

  /** Answers an incoming call; `media`: getUserMedia constraints (a video answer's camera). */
  answer(media?: MediaStreamConstraints): Promise<void> {
    const session = this.session;
    if (!(session instanceof Invitation) || this.machine.state !== CallState.Incoming) {
      return Promise.reject(new Error(`Call ${this.id} cannot be answered in state ${this.machine.state}`));
    }
    return this.ending.during(async () => {
      try {
        await session.accept({
          extraHeaders: this.sessionAnswer?.headers ?? [],
          ...(media ? { sessionDescriptionHandlerOptions: { constraints: media } } : {}),
        });
        if (this.sessionAnswer?.terms) this.sessionTimer.start(this.sessionAnswer.terms);
      } catch (e) {
        this.inviting.failed(e);
      }
    });
  }

  /** Refuses an incoming call with 486 Busy Here or 603 Decline. */
  async decline(code: 486 | 603 = 603): Promise<void> {
    if (!(this.session instanceof Invitation) || this.machine.state !== CallState.Incoming) {
      throw new Error(`Call ${this.id} cannot be declined in state ${this.machine.state}`);
    }
    this.ending.intend("declined", true);
    this.outcome.sipCode = code;
    await this.session.reject({ statusCode: code });
  }

  /**
   * Ends the call whatever its state: CANCEL, decline or BYE as fits. `completedElsewhere`: a
   * CANCEL says why (RFC 3326 `cause=200`), so the phone that rang records no missed call.
   */
  async hangup(how: { completedElsewhere?: boolean } = {}): Promise<void> {
    switch (this.session.state) {
      case SessionState.Initial:
      case SessionState.Establishing:
        if (this.session instanceof Inviter) {
          this.ending.intend("cancelled");
          this.ending.cancelledByUs = true;
          await this.session.cancel(how.completedElsewhere ? { extraHeaders: [COMPLETED_ELSEWHERE] } : {});
        } else {
          await this.decline(603);
        }
        return;
      case SessionState.Established:
        this.ending.intend("hangup", true);
        await this.session.bye();
        return;
      default:
        return;
    }
  }

  /** Ends the call as failed (a timeout of the phone's own, for example). */
  async giveUp(failure: CallFailure): Promise<void> {
    this.outcome.failure = failure;
    this.ending.intend("failed", true);
    this.ending.cancelledByUs = true;
    await this.hangup().catch(() => undefined);
  }

  /** Sets why the call will end, unless something already said (a transfer that completed). */
  expectEnd(reason: EndReason): void {
    this.ending.intend(reason);
  }

  /** Mutes the microphone locally (no signalling: the other side only hears silence). */
  mute(on: boolean): void {
    if (this.media.mute(on)) this.changed();
  }

  /** Our microphone tracks in this call (the sender may carry a conference mix instead). */
  get microphone(): MediaStreamTrack[] {
    return this.media.microphone;
  }

  /** Our microphone moved from `old` to `next` (phone-audio.ts): a held call resumes with the new one. */
  microphoneMoved(old: MediaStreamTrack, next: MediaStreamTrack): void {
    this.holding.microphoneReplaced(old, next);
    this.onMicrophoneMoved?.();
  }

  /** The audio sender, whose track the conference replaces by a mix. */
  get audioSender(): RTCRtpSender | undefined {
    return this.media.audioSender;
  }

  /** What the other party sends us (played by the phone, mixed for the conference). */
  get remoteStream(): MediaStream | undefined {
    return this.media.remoteStream;
  }

  /** The SDP-negotiated peer connection, for stats. */
  get peerConnection(): RTCPeerConnection | undefined {
    return this.media.peerConnection;
  }

  /** Something the phone changed on this call (conference, consultation): tell the listeners. */
  changed(): void {
    this.emit("change", this.snapshot);
  }

  /** Sends DTMF, RFC 4733 telephone-events (default) or SIP INFO, as the account says. */
  sendDtmf(digits: string): Promise<void> {
    if (this.machine.state !== CallState.Established) {
      return Promise.reject(new Error("DTMF can only be sent in an established call"));
    }
    return this.media.sendDtmf(digits);
  }

  /**
   * Refreshes the dialog after the signalling connection was re-established: a re-INVITE from
   * the new connection gives the other side (and every proxy) our current route, so that its
   * BYE reaches us again. With `iceRestart` (the network changed) media gets new candidates too.
   * 481 means the other side has forgotten the call, which then ends.
   */
  async refresh(options: ReinviteOptions = {}): Promise<void> {
    if ((await this.holding.reinvite(options)) === "gone") await this.dialogGone();
  }

  /**
   * Puts the call on hold (re-INVITE offering a=sendonly, and nothing sent meanwhile: no
   * packets reach the held party) or takes it back (sendrecv).
   */
  async hold(on: boolean): Promise<void> {
    if (this.machine.state !== CallState.Established) throw new Error("Only a connected call can be put on hold");
    const outcome = await this.holding.set(on);
    if (outcome === "gone") await this.dialogGone();
    if (outcome === "gone" || outcome === "refused") {
      throw new Error(on ? "The other side did not accept the hold" : "The other side did not accept the retrieve");
    }
  }

  private async sessionExpired(): Promise<void> {
    if (this.machine.state !== CallState.Established) return;
    this.outcome.failure = { kind: "session-expired" };
    this.ending.intend("failed", true);
    await this.session.bye().catch(() => undefined);
  }

  private async dialogGone(): Promise<void> {
    this.outcome.failure = { kind: "dialog-gone" };
    this.ending.intend("failed", true);
    await this.session.bye().catch(() => undefined);
  }

  /**
   * Transfer: REFER the other party to `target` (see call-transfer.ts). On success our leg
   * ends; on failure the call comes back from hold, unless `resumeOnFailure` is false (a
   * consultation is still up), or it ends (`endOnFailure`, click-to-call).
   */
  async transfer(targetUri: string, display: string, options: TransferOptions = {}): Promise<void> {
    if (this.machine.state !== CallState.Established) throw new Error("Only a connected call can be transferred");
    await this.transferring.transfer(targetUri, display, options);
  }

  /** The Replaces value that names this call's dialog to its other party (RFC 3891). */
  get replacesValue(): string | undefined {
    const d = this.session.dialog;
    return d ? `${d.callId};to-tag=${d.remoteTag};from-tag=${d.localTag}` : undefined;
  }

  /** Reports the progress of a transfer we follow to the party that asked for it (RFC 3515). */
  notifyReferrer(statusLine: string, final: boolean): void {
    this.peer.notifyReferrer(statusLine, final);
  }

  /** Whether the far end's early media plays (then the phone plays no ringback of its own). */
  get earlyMedia(): boolean {
    return this.inviting.earlyMedia;
  }

  private onSessionState(state: SessionState): void {
    switch (state) {
      case SessionState.Established:
        this.answeredAt = this.deps.clock.now();
        this.media.play();
        if (this.media.isMuted) this.media.applyMute();
        this.machine.transition(CallState.Established);
        break;
      case SessionState.Terminating:
        if (this.machine.can(CallState.Terminating)) this.machine.transition(CallState.Terminating);
        break;
      case SessionState.Terminated:
        this.inviting.noteRefusedAnswer();
        this.ending.terminated();
        break;
      default:
        break;
    }
  }

  private finish(intent: EndReason | undefined): void {
    if (this.machine.state === CallState.Ended) return;
    this.media.stop();
    this.holding.release();
    this.sessionTimer.stop();
    this.transferring.dispose();
    this.reason = intent ?? (this.answeredAt ? "remote-hangup" : this.direction === "in" ? "missed" : "failed");
    if (this.reason === "failed") this.outcome.failure ??= { kind: "error", detail: "" };
    this.machine.transition(CallState.Ended);
  }
}
