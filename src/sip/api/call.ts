import { Invitation, Inviter, SessionState, type Referral, type Session } from "sip.js";
import type { IncomingResponse } from "sip.js/lib/core/index.js";
import type { DtmfMethod } from "../../config/phone-config.js";
import type { Clock } from "../core/clock.js";
import { Emitter } from "../core/emitter.js";
import { getLogger } from "../core/logger.js";
import { notifyInDialog } from "../core/sipjs-internals.js";
import { StateMachine } from "../core/state-machine.js";
import { CallEnding } from "./call-ending.js";
import { CallHold } from "./call-hold.js";
import { CallMedia } from "./call-media.js";
import { cancelReason } from "./cancel-reason.js";
import { CALL_MOVES, CallState, type CallDirection, type CallSnapshot, type EndReason } from "./call-state.js";
import { CallTransfer, type TransferFailure } from "./call-transfer.js";
import type { CallFailure } from "./failures.js";
import type { FollowDecision } from "./follow-policy.js";
import { NO_RELAY_ERROR } from "./platform.js";
import { isHoldOffer } from "./sdp.js";
import { CallSessionTimer, offerTerms, type SessionTerms } from "./session-timer.js";

const log = getLogger("call");

export interface CallEvents {
  change: CallSnapshot;
}

export interface CallDeps {
  playRemote(stream: MediaStream): () => void;
  dtmf: DtmfMethod;
  clock: Clock;
}

export interface TransferOptions {
  /** The dialog to replace at the target (attended transfer), "callid;to-tag=..;from-tag=..". */
  replaces?: string;
  /** Take the call back from hold when the transfer fails (default true). */
  resumeOnFailure?: boolean;
  /** Hold the call before the REFER (default true; click-to-call legs have no media to hold). */
  hold?: boolean;
  /** End our call when the transfer fails (click-to-call: no leg is left behind). */
  endOnFailure?: boolean;
  /** How a failure shows on the call (click-to-call words it its own way). */
  failureOf?: (failure: TransferFailure) => CallFailure;
}

let counter = 0;
function newCallId(): string {
  counter++;
  return `c${Date.now().toString(36)}${counter.toString(36)}`;
}

const MEDIA_ERRORS = new Set([
  "NotAllowedError",
  "NotFoundError",
  "NotReadableError",
  "OverconstrainedError",
  "SecurityError",
  "AbortError",
]);

/**
 * One call: a SIP.js Inviter (outgoing) or Invitation (incoming), its media, and its CallState.
 * What runs inside a call has its own small machine: hold (call-hold.ts), transfer progress
 * (call-transfer.ts), and how it ends (call-ending.ts). Every change is one `change` event.
 */
export class Call extends Emitter<CallEvents> {
  readonly id = newCallId();
  private readonly machine: StateMachine<CallState>;
  private readonly ending: CallEnding;
  private readonly holding: CallHold;
  private readonly transferring: CallTransfer;
  private readonly media: CallMedia;
  private heldByRemote = false;
  /** A 1xx brought the far end's media (183 with SDP): it plays, and no ringback does. */
  private earlyMediaPlaying = false;
  /** Set by the phone: a consultation call for the held call with this id. */
  consultFor: string | undefined;
  /** Set by the phone: this call replaced the call with this id (INVITE with Replaces). */
  replaces: string | undefined;
  /** Set by the phone while the call is mixed into the conference. */
  inConference = false;
  /** Set by the phone: headers of the incoming INVITE the host page asked for. */
  headers: Record<string, string> | undefined;
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
  /** Where a 3xx sent this call, when it is followed (the phone places a new call there). */
  redirectTarget: string | undefined;
  /** Set by the phone: whether a 3xx's target is followed by itself (follow-policy.ts). */
  followRedirect: ((contact: string) => FollowDecision) | undefined;
  private sipCode: number | undefined;
  private reason: EndReason | undefined;
  private failure: CallFailure | undefined;
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
    this.transferring = new CallTransfer(this.id, session, deps.clock, changed);
    session.stateChange.addListener((s) => this.onSessionState(s));
    session.delegate = {
      // With a delegate, SIP.js leaves the answer to the BYE to us: without this 200 the other
      // side retransmits its BYE until it times out (found by the sipp auto-answer test).
      onBye: (bye) => {
        this.ending.intend("remote-hangup");
        void bye.accept().catch(() => undefined);
      },
      // A forking registrar CANCELs the other devices of a number once one answers (or
      // declines), and says so in a Reason header (RFC 3326): that is not a missed call.
      onCancel: (cancel) => this.ending.intend(cancelReason(cancel.request.getHeaders("reason"))),
      onRefer: (referral) => this.onReferred?.(referral),
      // Called after SIP.js answered an in-dialog re-INVITE: its offer tells whether the other
      // side holds us.
      onInvite: (request) => {
        this.sessionTimer.theyRefreshed(request.getHeader("session-expires"));
        const body = request.body ?? "";
        if (!body) return;
        const held = isHoldOffer(body);
        if (held !== this.heldByRemote) {
          this.heldByRemote = held;
          this.changed();
        }
      },
    };
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
      heldByRemote: this.heldByRemote,
      ...(this.earlyMediaPlaying ? { earlyMedia: true } : {}),
      ...(transfer ? { transfer } : {}),
      ...(this.consultFor ? { consultFor: this.consultFor } : {}),
      ...(this.replaces ? { replaces: this.replaces } : {}),
      ...(this.inConference ? { conference: true } : {}),
      ...(this.referral ? { referral: this.referral } : {}),
      ...(this.clickToCall ? { clickToCall: this.clickToCall } : {}),
      ...(this.headers ? { headers: this.headers } : {}),
      ...(this.failure ? { failure: this.failure } : {}),
      sipCode: this.sipCode,
      reason: this.reason,
      startedAt: this.startedAt,
      answeredAt: this.answeredAt,
      endedAt: this.endedAt,
    };
  }

  /** Sends the INVITE (outgoing calls). Resolves once it is on its way. */
  invite(): Promise<void> {
    const inviter = this.session as Inviter;
    return this.ending.during(async () => {
      try {
        await inviter.invite({
          requestDelegate: {
            onProgress: (response) => this.onProgress(response),
            onAccept: (response) => {
              if (this.sessionTimers)
                this.sessionTimer.start(offerTerms({ sessionExpires: response.message.getHeader("session-expires") }));
            },
            onReject: (response) => this.onFinalFailure(response),
            onRedirect: (response) => this.onRedirect(response),
          },
        });
      } catch (e) {
        this.failFromError(e);
      }
    });
  }

  /** Answers an incoming call. */
  answer(): Promise<void> {
    const session = this.session;
    if (!(session instanceof Invitation) || this.machine.state !== CallState.Incoming) {
      return Promise.reject(new Error(`Call ${this.id} cannot be answered in state ${this.machine.state}`));
    }
    return this.ending.during(async () => {
      try {
        await session.accept({ extraHeaders: this.sessionAnswer?.headers ?? [] });
        if (this.sessionAnswer?.terms) this.sessionTimer.start(this.sessionAnswer.terms);
      } catch (e) {
        this.failFromError(e);
      }
    });
  }

  /** Refuses an incoming call with 486 Busy Here or 603 Decline. */
  async decline(code: 486 | 603 = 603): Promise<void> {
    if (!(this.session instanceof Invitation) || this.machine.state !== CallState.Incoming) {
      throw new Error(`Call ${this.id} cannot be declined in state ${this.machine.state}`);
    }
    this.ending.intend("declined", true);
    this.sipCode = code;
    await this.session.reject({ statusCode: code });
  }

  /** Ends the call whatever its state: CANCEL, decline or BYE as fits. */
  async hangup(): Promise<void> {
    switch (this.session.state) {
      case SessionState.Initial:
      case SessionState.Establishing:
        if (this.session instanceof Inviter) {
          this.ending.intend("cancelled");
          this.ending.cancelledByUs = true;
          await this.session.cancel();
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
    this.failure = failure;
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
  async refresh({ iceRestart = false, attempts = 4 } = {}): Promise<void> {
    if ((await this.holding.reinvite({ iceRestart, attempts })) === "gone") await this.dialogGone();
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
    this.failure = { kind: "session-expired" };
    this.ending.intend("failed", true);
    await this.session.bye().catch(() => undefined);
  }

  private async dialogGone(): Promise<void> {
    this.failure = { kind: "dialog-gone" };
    this.ending.intend("failed", true);
    await this.session.bye().catch(() => undefined);
  }

  /**
   * Transfer: REFER the other party to `target` (see call-transfer.ts). On success our leg
   * ends; on failure the call comes back from hold, unless `resumeOnFailure` is false (a
   * consultation is still up), or it ends (`endOnFailure`, click-to-call).
   */
  async transfer(targetUri: string, display: string, options: TransferOptions = {}): Promise<void> {
    const { replaces, resumeOnFailure = true, hold = true, endOnFailure = false, failureOf } = options;
    if (this.machine.state !== CallState.Established) throw new Error("Only a connected call can be transferred");
    if (hold && !this.holding.onHold) await this.hold(true).catch(() => undefined);
    await this.transferring.start(targetUri, display, replaces, (outcome) => {
      if (outcome.ok) {
        this.ending.intend("transferred", true);
        void this.session.bye().catch(() => undefined);
        return;
      }
      this.failure = failureOf?.(outcome.failure) ?? { kind: "transfer", target: display, failure: outcome.failure };
      this.changed();
      if (endOnFailure) {
        // No leg is left behind: ours ends too, with the reason on it.
        this.ending.intend("failed", true);
        void this.session.bye().catch(() => undefined);
      } else if (resumeOnFailure) void this.hold(false).catch(() => undefined);
    });
  }

  /** The Replaces value that names this call's dialog to its other party (RFC 3891). */
  get replacesValue(): string | undefined {
    const d = this.session.dialog;
    return d ? `${d.callId};to-tag=${d.remoteTag};from-tag=${d.localTag}` : undefined;
  }

  /** Reports the progress of a transfer we follow to the party that asked for it (RFC 3515). */
  notifyReferrer(statusLine: string, final: boolean): void {
    try {
      notifyInDialog(
        this.session,
        ["Event: refer", `Subscription-State: ${final ? "terminated;reason=noresource" : "active;expires=60"}`],
        {
          contentType: "message/sipfrag;version=2.0",
          content: statusLine,
        },
      );
    } catch (e) {
      log.info(this.id, "NOTIFY not sent", (e as Error).message);
    }
  }

  /** Whether the far end's early media plays (then the phone plays no ringback of its own). */
  get earlyMedia(): boolean {
    return this.earlyMediaPlaying;
  }

  /**
   * Any 1xx but 100 means the far end rings. A 1xx with SDP (183, or a 180 with SDP) brings its
   * media: announcements or its own ringback play at once, instead of ours, and keep playing
   * through a later 180 without SDP. A forked INVITE's branches may each send early media:
   * SIP.js (patched) plays the latest one, and the 2xx's answer wins over any of them.
   */
  private onProgress(response: IncomingResponse): void {
    const code = response.message.statusCode ?? 0;
    if (code <= 100) return;
    const early = !!response.message.body && /^application\/sdp/i.test(response.message.getHeader("content-type") ?? "");
    const startsEarlyMedia = early && !this.earlyMediaPlaying;
    if (startsEarlyMedia) {
      this.earlyMediaPlaying = true;
      this.media.play();
    }
    if (this.machine.state === CallState.Dialing) this.machine.transition(CallState.Ringing);
    else if (startsEarlyMedia) this.changed();
  }

  private onRedirect(response: IncomingResponse): void {
    const header = response.message.getHeader("contact");
    const contact = /<([^>]+)>/.exec(header ?? "")?.[1] ?? header?.trim();
    if (!contact) return this.onFinalFailure(response);
    this.sipCode = response.message.statusCode;
    this.ending.intend("redirected", true);
    // Shown to the user: the address without parameters, bounded.
    const target = (contact.replace(/^sips?:/i, "").split(/[;?]/)[0] ?? contact).slice(0, 200);
    const decision = this.followRedirect?.(contact) ?? ({ action: "refuse", problem: "scheme" } as const);
    if (decision.action === "follow") {
      this.redirectTarget = decision.uri;
      this.failure = { kind: "redirected", target, uri: decision.uri };
    } else {
      const notFollowed = decision.action === "ask" ? decision.why : decision.problem;
      this.failure = { kind: "redirected", target, notFollowed, ...(decision.action === "ask" ? { uri: decision.uri } : {}) };
    }
  }

  private onFinalFailure(response: IncomingResponse): void {
    const code = response.message.statusCode ?? 0;
    this.sipCode = code;
    if (this.ending.cancelledByUs && code === 487) return;
    this.ending.intend("rejected", true);
    this.failure = this.inviteFailureOf?.(code) ?? { kind: "rejected", sipCode: code, reasonPhrase: response.message.reasonPhrase ?? "" };
  }

  private failFromError(e: unknown): void {
    const name = (e as { name?: string } | null)?.name ?? "";
    if (MEDIA_ERRORS.has(name)) {
      this.ending.intend("no-microphone", true);
      this.failure = { kind: "microphone", error: name };
    } else if (name === NO_RELAY_ERROR) {
      this.ending.intend("failed", true);
      this.failure = { kind: "no-relay" };
    } else {
      this.ending.intend("failed");
      this.failure ??= { kind: "error", detail: (e as Error)?.message ?? String(e) };
    }
    log.warn(this.id, this.failure);
    if (this.session.state !== SessionState.Terminated) void this.session.dispose().catch(() => undefined);
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
        this.noteRefusedAnswer();
        this.ending.terminated();
        break;
      default:
        break;
    }
  }

  /**
   * An outgoing call whose 2xx came (SIP.js holds its dialog) but that never got established:
   * SIP.js could not use the answer (no codec in common: BYE with Reason 488; no SDP at all:
   * 400) and sent ACK and BYE (RFC 3261 13.2.2.4). Said as such, not as an unknown error.
   */
  private noteRefusedAnswer(): void {
    if (this.direction !== "out" || this.answeredAt !== undefined || this.failure || !this.session.dialog) return;
    if (this.ending.cancelledByUs) return;
    this.failure = { kind: "answer-refused" };
    this.ending.intend("failed", true);
  }

  private finish(intent: EndReason | undefined): void {
    if (this.machine.state === CallState.Ended) return;
    this.media.stop();
    this.holding.release();
    this.sessionTimer.stop();
    this.transferring.dispose();
    this.reason = intent ?? (this.answeredAt ? "remote-hangup" : this.direction === "in" ? "missed" : "failed");
    if (this.reason === "failed") this.failure ??= { kind: "error", detail: "" };
    this.machine.transition(CallState.Ended);
  }
}
