import { Invitation, Inviter, SessionState, UserAgent, type Notification, type Referral, type Session } from "sip.js";
import type { IncomingResponse } from "sip.js/lib/core/index.js";
import type { SessionDescriptionHandler } from "sip.js/lib/platform/web/index.js";
import { CALL_MOVES, CallState, type CallDirection, type CallSnapshot, type EndReason } from "./call-state.js";
import { Emitter } from "../core/emitter.js";
import { getLogger } from "../core/logger.js";
import type { MediaPlatform } from "../platform/web/media-platform.js";
import { describeCallFailure, describeMediaError } from "./sip-errors.js";
import { StateMachine } from "../core/state-machine.js";
import { validateDtmf } from "../numbers/sip-target.js";
import type { DtmfMethod } from "../../config/phone-config.js";

const log = getLogger("call");

export interface CallEvents {
  change: CallSnapshot;
}

export interface CallDeps {
  media: MediaPlatform;
  dtmf: DtmfMethod;
}

let counter = 0;
function newCallId(): string {
  counter++;
  return `c${Date.now().toString(36)}${counter.toString(36)}`;
}

/** How long a transfer may go without a final NOTIFY before it counts as failed. */
const TRANSFER_NOTIFY_TIMEOUT_MS = 90_000;

export interface TransferOptions {
  /** The dialog to replace at the target (attended transfer), "callid;to-tag=..;from-tag=..". */
  replaces?: string;
  /** Take the call back from hold when the transfer fails (default true). */
  resumeOnFailure?: boolean;
  /** Hold the call before the REFER (default true; click-to-call legs have no media to hold). */
  hold?: boolean;
  /** End our call when the transfer fails (click-to-call: no leg is left behind). */
  endOnFailure?: boolean;
  /** Words for a refused REFER or a failing NOTIFY. */
  describe?: (stage: "refer" | "notify", code: number) => string;
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
 * Everything the UI may do to a call is a method here; every change is one `change` event.
 */
export class Call extends Emitter<CallEvents> {
  readonly id = newCallId();
  private readonly machine: StateMachine<CallState>;
  private muted = false;
  private held = false;
  private heldByRemote = false;
  private transferState: CallSnapshot["transfer"];
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
  /** Set by the phone: its own words for a failed INVITE (click-to-call). */
  describeInviteFailure: ((code: number) => string) | undefined;
  private gaveUp = false;
  /** Set by the phone while an incoming REFER waits for the user (referPolicy "ask"). */
  referral: { target: string } | undefined;
  /** Set by the phone: what to do with an incoming REFER on this call. */
  onReferred: ((referral: Referral) => void) | undefined;

  /** Reports the progress of a transfer we follow to the party that asked for it (RFC 3515). */
  notifyReferrer(statusLine: string, final: boolean): void {
    const dialog = (this.session as unknown as { dialog?: { notify(d: undefined, o: object): unknown } }).dialog;
    try {
      dialog?.notify(undefined, {
        extraHeaders: ["Event: refer", `Subscription-State: ${final ? "terminated;reason=noresource" : "active;expires=60"}`],
        body: { contentDisposition: "render", contentType: "message/sipfrag;version=2.0", content: statusLine },
      });
    } catch (e) {
      log.info(this.id, "NOTIFY not sent", (e as Error).message);
    }
  }

  /** Where a 3xx sent this call (the phone places a new call there). */
  redirectTarget: string | undefined;
  private sipCode: number | undefined;
  private reason: EndReason | undefined;
  private message: string | undefined;
  private readonly startedAt = Date.now();
  private answeredAt: number | undefined;
  private endedAt: number | undefined;
  private stopPlayback: (() => void) | undefined;
  private endIntent: EndReason | undefined;
  private dtmfQueue: Promise<void> = Promise.resolve();
  /** invite()/answer() still running: their outcome decides why the call ended. */
  private pending = 0;
  private terminated = false;

  constructor(
    readonly session: Session,
    readonly lineId: string,
    readonly direction: CallDirection,
    private readonly remote: { user: string; name?: string; uri: string },
    private readonly deps: CallDeps,
  ) {
    super();
    const initial = direction === "in" ? CallState.Incoming : CallState.Dialing;
    this.machine = new StateMachine(`call ${this.id}`, initial, CALL_MOVES, (to) => {
      if (to === CallState.Ended) this.endedAt = Date.now();
      this.emit("change", this.snapshot);
    });
    session.stateChange.addListener((s) => this.onSessionState(s));
    session.delegate = {
      // With a delegate, SIP.js leaves the answer to the BYE to us: without this 200 the other
      // side retransmits its BYE until it times out (found by the sipp auto-answer test).
      onBye: (bye) => {
        this.endIntent ??= "remote-hangup";
        void bye.accept().catch(() => undefined);
      },
      onCancel: () => {
        this.endIntent ??= "missed";
      },
      // Being transferred (REFER): the phone follows it (the default policy; per-line policies
      // come with the call-control work) and reports progress back with NOTIFYs.
      onRefer: (referral) => this.onReferred?.(referral),
      // Called after SIP.js answered an in-dialog re-INVITE: its offer tells whether the other
      // side holds us (sendonly/inactive, or the RFC 2543 c=0.0.0.0).
      onInvite: (request) => {
        const body = request.body ?? "";
        if (!body) return;
        const held = /^a=(sendonly|inactive)\s*$/m.test(body) || /^c=IN IP4 0\.0\.0\.0\s*$/m.test(body);
        if (held !== this.heldByRemote) {
          this.heldByRemote = held;
          this.emit("change", this.snapshot);
        }
      },
    };
  }

  get state(): CallState {
    return this.machine.state;
  }

  get snapshot(): CallSnapshot {
    return {
      id: this.id,
      lineId: this.lineId,
      direction: this.direction,
      remote: this.remote.user,
      remoteName: this.remote.name,
      remoteUri: this.remote.uri,
      state: this.machine.state,
      muted: this.muted,
      held: this.held,
      heldByRemote: this.heldByRemote,
      ...(this.transferState ? { transfer: this.transferState } : {}),
      ...(this.consultFor ? { consultFor: this.consultFor } : {}),
      ...(this.replaces ? { replaces: this.replaces } : {}),
      ...(this.inConference ? { conference: true } : {}),
      ...(this.referral ? { referral: this.referral } : {}),
      ...(this.clickToCall ? { clickToCall: this.clickToCall } : {}),
      ...(this.headers ? { headers: this.headers } : {}),
      sipCode: this.sipCode,
      reason: this.reason,
      message: this.message,
      startedAt: this.startedAt,
      answeredAt: this.answeredAt,
      endedAt: this.endedAt,
    };
  }

  private get sdh(): SessionDescriptionHandler | undefined {
    return this.session.sessionDescriptionHandler as SessionDescriptionHandler | undefined;
  }

  /** Sends the INVITE (outgoing calls). Resolves once it is on its way. */
  async invite(): Promise<void> {
    const inviter = this.session as Inviter;
    this.pending++;
    try {
      await inviter.invite({
        requestDelegate: {
          onProgress: (response) => this.onProgress(response),
          onReject: (response) => this.onFinalFailure(response),
          onRedirect: (response) => this.onRedirect(response),
        },
      });
    } catch (e) {
      this.failFromError(e);
    } finally {
      this.pending--;
      this.maybeFinish();
    }
  }

  /** Answers an incoming call. */
  async answer(): Promise<void> {
    if (!(this.session instanceof Invitation) || this.machine.state !== CallState.Incoming) {
      throw new Error(`Call ${this.id} cannot be answered in state ${this.machine.state}`);
    }
    this.pending++;
    try {
      await this.session.accept();
    } catch (e) {
      this.failFromError(e);
    } finally {
      this.pending--;
      this.maybeFinish();
    }
  }

  /** Refuses an incoming call with 486 Busy Here or 603 Decline. */
  async decline(code: 486 | 603 = 603): Promise<void> {
    if (!(this.session instanceof Invitation) || this.machine.state !== CallState.Incoming) {
      throw new Error(`Call ${this.id} cannot be declined in state ${this.machine.state}`);
    }
    this.endIntent = "declined";
    this.sipCode = code;
    await this.session.reject({ statusCode: code });
  }

  /** Ends the call whatever its state: CANCEL, decline or BYE as fits. */
  async hangup(): Promise<void> {
    switch (this.session.state) {
      case SessionState.Initial:
      case SessionState.Establishing:
        if (this.session instanceof Inviter) {
          this.endIntent ??= "cancelled";
          await this.session.cancel();
        } else {
          await this.decline(603);
        }
        return;
      case SessionState.Established:
        this.endIntent = "hangup";
        await this.session.bye();
        return;
      default:
        return;
    }
  }

  /** Mutes the microphone locally (no signalling: the other side only hears silence). */
  mute(on: boolean): void {
    if (this.muted !== on) {
      this.muted = on;
      this.applyMute();
      this.emit("change", this.snapshot);
    }
  }

  /**
   * Mute acts on the microphone track, not on what the sender sends: in a conference the sender
   * carries a mix of our microphone and the other parties, and they must still hear each other.
   */
  private applyMute(): void {
    for (const t of this.microphone) t.enabled = !this.muted;
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

  /** Ends the call as failed with `message` (a timeout of the phone's own, for example). */
  async giveUp(message: string): Promise<void> {
    this.gaveUp = true;
    this.endIntent = "failed";
    this.message = message;
    await this.hangup().catch(() => undefined);
  }

  /** Sets why the call will end, unless something already said (a transfer that completed). */
  expectEnd(reason: EndReason): void {
    this.endIntent ??= reason;
  }

  /** Something the phone changed on this call (conference, consultation): tell the listeners. */
  changed(): void {
    this.emit("change", this.snapshot);
  }

  /** Sends DTMF, RFC 4733 telephone-events (default) or SIP INFO, as the account says. */
  sendDtmf(digits: string): Promise<void> {
    const tones = validateDtmf(digits);
    if (this.machine.state !== CallState.Established) {
      return Promise.reject(new Error("DTMF can only be sent in an established call"));
    }
    if (this.deps.dtmf === "rfc4733") {
      if (!this.sdh?.sendDtmf(tones, { duration: 100, interToneGap: 70 })) {
        return Promise.reject(new Error("This call cannot send DTMF tones (no audio sender)"));
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

  /**
   * Refreshes the dialog after the signalling connection was re-established: a re-INVITE from
   * the new connection gives the other side (and every proxy) our current route, so that its
   * BYE reaches us again. With `iceRestart` (the network changed) media gets new candidates too.
   * A crossing re-INVITE (491) is retried after the RFC 3261 14.1 random delay; a transient
   * failure (the peer's own connection is not back yet) a few times more; 481 means the other
   * side has forgotten the call, which then ends.
   */
  async refresh({ iceRestart = false, attempts = 4 } = {}): Promise<void> {
    await this.reinvite({ iceRestart, attempts });
  }

  /**
   * Puts the call on hold (re-INVITE offering a=sendonly, and nothing sent meanwhile: no
   * packets reach the held party) or takes it back (sendrecv).
   */
  async hold(on: boolean): Promise<void> {
    if (this.machine.state !== CallState.Established) throw new Error("Only a connected call can be put on hold");
    if (this.held === on) return;
    const sender = this.sdh?.peerConnection?.getSenders().find((x) => x.track?.kind === "audio" || x.track === null);
    if (on) {
      this.heldTrack = sender?.track ?? this.heldTrack;
      await sender?.replaceTrack(null);
    }
    this.held = on;
    const ok = await this.reinvite({ attempts: 3 });
    if (!ok) {
      // The hold was refused: give the microphone back (a refused retrieve stays on hold).
      this.held = !on;
      if (on && this.heldTrack) {
        await sender?.replaceTrack(this.heldTrack);
        this.heldTrack = undefined;
      }
      this.emit("change", this.snapshot);
      throw new Error(on ? "The other side did not accept the hold" : "The other side did not accept the retrieve");
    }
    if (!on && this.heldTrack) {
      await sender?.replaceTrack(this.heldTrack);
      this.heldTrack = undefined;
    }
    this.emit("change", this.snapshot);
  }

  private heldTrack: MediaStreamTrack | undefined;

  /**
   * Transfer: REFER the other party to `target`. Blind by default; with `replaces` (the dialog
   * of our consultation call with the target, "callid;to-tag=..;from-tag=..") the Refer-To
   * carries it, so the target's phone swaps our call for the transferred party (RFC 5589).
   * Progress comes from the NOTIFYs (message/sipfrag); on success our leg ends, on failure the
   * call comes back from hold, unless `resumeOnFailure` is false (a consultation is still up).
   */
  async transfer(targetUri: string, display: string, options: TransferOptions = {}): Promise<void> {
    const { replaces, resumeOnFailure = true, hold = true, endOnFailure = false, describe } = options;
    if (this.machine.state !== CallState.Established) throw new Error("Only a connected call can be transferred");
    const uri = UserAgent.makeURI(targetUri);
    if (!uri) throw new Error(`"${display}" is not a valid transfer target`);
    if (hold && !this.held) await this.hold(true).catch(() => undefined);
    this.transferState = { target: display, state: "trying" };
    this.emit("change", this.snapshot);
    let finalSeen = false;
    const fail = async (code: number | undefined, text: string) => {
      finalSeen = true;
      this.transferState = { target: display, state: "failed", code };
      this.message = text;
      this.emit("change", this.snapshot);
      if (endOnFailure) {
        // No leg is left behind: ours ends too, with the reason on it.
        this.endIntent = "failed";
        await this.session.bye().catch(() => undefined);
      } else if (resumeOnFailure) await this.hold(false).catch(() => undefined);
    };
    const onNotify = (notification: Notification) => {
      notification.accept().catch(() => undefined);
      const frag = /SIP\/2\.0\s+(\d{3})/.exec(notification.request.body ?? "");
      const code = frag ? Number(frag[1]) : 0;
      if (code >= 100 && code < 180) this.transferState = { target: display, state: "trying", code };
      else if (code >= 180 && code < 200) this.transferState = { target: display, state: "ringing", code };
      else if (code >= 200 && code < 300) {
        finalSeen = true;
        this.transferState = { target: display, state: "answered", code };
        this.endIntent = "transferred";
        this.emit("change", this.snapshot);
        void this.session.bye().catch(() => undefined);
        return;
      } else if (code >= 300) {
        void fail(code, describe?.("notify", code) ?? `Transfer to ${display} failed (${code})`);
        return;
      }
      this.emit("change", this.snapshot);
    };
    await new Promise<void>((resolve) => {
      const requestDelegate = {
        onAccept: () => {
          // A transfer whose outcome never comes (a peer that sends no final NOTIFY) must not
          // leave the call hanging in "trying" for ever.
          setTimeout(() => {
            if (!finalSeen && this.machine.state === CallState.Established)
              void fail(undefined, `No news of the transfer to ${display} for ${TRANSFER_NOTIFY_TIMEOUT_MS / 1000} s`);
          }, TRANSFER_NOTIFY_TIMEOUT_MS);
          resolve();
        },
        onReject: (response: IncomingResponse) => {
          const code = response.message.statusCode ?? 0;
          const text =
            describe?.("refer", code) ??
            (code === 403 || code === 405 || code === 501
              ? `Transfer refused (${code}): the other side or your PBX does not allow call transfer by REFER`
              : `Transfer refused (${code})`);
          void fail(code, text);
          resolve();
        },
      };
      let sent: Promise<unknown>;
      if (replaces) {
        // SIP.js's own attended transfer puts the target's Contact in Refer-To. A WebRTC
        // contact (`*.invalid`) is only reachable through the proxy that holds its flow, so we
        // send the target's address of record instead: every proxy and PBX routes that, and
        // the Replaces header picks the right dialog among the target's registrations.
        const session = this.session as unknown as {
          referExtraHeaders(referTo: string): string[];
          _refer(onNotify: (n: Notification) => void, delegate: object, options: object): Promise<unknown>;
        };
        const referTo = `<${uri.toString()}?Replaces=${encodeURIComponent(replaces)}>`;
        sent = session._refer(onNotify, requestDelegate, { extraHeaders: session.referExtraHeaders(referTo) });
      } else {
        sent = this.session.refer(uri, { requestDelegate, onNotify });
      }
      sent.catch((e: Error) => {
        void fail(undefined, `Transfer failed: ${e.message}`);
        resolve();
      });
    });
  }

  /** The Replaces value that names this call's dialog to its other party (RFC 3891). */
  get replacesValue(): string | undefined {
    const d = this.session.dialog;
    return d ? `${d.callId};to-tag=${d.remoteTag};from-tag=${d.localTag}` : undefined;
  }

  /** Sends a re-INVITE (keeping the hold state) with glare and transient-failure retries. */
  private async reinvite({ iceRestart = false, attempts = 4 } = {}): Promise<boolean> {
    for (let attempt = 0; attempt < attempts && this.machine.state === CallState.Established; attempt++) {
      const code = await new Promise<number>((resolve) => {
        this.session
          .invite({
            sessionDescriptionHandlerOptions: { hold: this.held, offerOptions: { iceRestart } } as object,
            requestDelegate: {
              onAccept: () => resolve(200),
              onReject: (response) => resolve(response.message.statusCode ?? 500),
            },
          })
          .catch(() => resolve(0));
      });
      if (code === 200) return true;
      if (code === 481) {
        this.endIntent = "failed";
        this.message = "The other side no longer knows this call (481)";
        await this.session.bye().catch(() => undefined);
        return false;
      }
      // 491: 2.1-4 s if we own the Call-ID (we placed the call), else 0-2 s; other failures 1-2 s.
      const owner = this.direction === "out";
      const delay = code === 491 ? (owner ? 2100 + Math.random() * 1900 : Math.random() * 2000) : 1000 + Math.random() * 1000;
      log.info(this.id, `re-INVITE got ${code || "no answer"}, retrying in ${Math.round(delay)} ms`);
      await new Promise((r) => setTimeout(r, delay));
    }
    return false;
  }

  /** The SDP-negotiated peer connection, for stats. */
  get peerConnection(): RTCPeerConnection | undefined {
    return this.sdh?.peerConnection;
  }

  private onProgress(response: IncomingResponse): void {
    const code = response.message.statusCode ?? 0;
    if (code > 100 && this.machine.state === CallState.Dialing) this.machine.transition(CallState.Ringing);
    // 183 with SDP: early media (announcements, the far end's ringback) plays at once.
    if (response.message.body) this.playRemote();
  }

  private onRedirect(response: IncomingResponse): void {
    const contact = /<([^>]+)>/.exec(response.message.getHeader("contact") ?? "")?.[1] ?? response.message.getHeader("contact")?.trim();
    if (!contact) return this.onFinalFailure(response);
    this.sipCode = response.message.statusCode;
    this.endIntent = "redirected";
    this.redirectTarget = contact;
    this.message = `Redirected to ${contact.replace(/^sips?:/, "").split(";")[0]}`;
  }

  private onFinalFailure(response: IncomingResponse): void {
    const code = response.message.statusCode ?? 0;
    this.sipCode = code;
    if ((this.endIntent === "cancelled" || this.gaveUp) && code === 487) return;
    this.endIntent = "rejected";
    this.message = this.describeInviteFailure?.(code) ?? describeCallFailure(code, response.message.reasonPhrase ?? "");
  }

  private failFromError(e: unknown): void {
    const name = (e as { name?: string } | null)?.name ?? "";
    if (MEDIA_ERRORS.has(name)) {
      this.endIntent = "no-microphone";
      this.message = describeMediaError(e);
    } else {
      this.endIntent ??= "failed";
      this.message ??= `Call failed: ${(e as Error)?.message ?? String(e)}`;
    }
    log.warn(this.id, this.message);
    if (this.session.state !== SessionState.Terminated) void this.session.dispose().catch(() => undefined);
  }

  private playRemote(): void {
    const stream = this.sdh?.remoteMediaStream;
    if (!stream || this.stopPlayback) return;
    this.stopPlayback = this.deps.media.playRemote(stream);
  }

  private onSessionState(state: SessionState): void {
    switch (state) {
      case SessionState.Established:
        this.answeredAt = Date.now();
        this.playRemote();
        if (this.muted) this.applyMute();
        this.machine.transition(CallState.Established);
        break;
      case SessionState.Terminating:
        if (this.machine.can(CallState.Terminating)) this.machine.transition(CallState.Terminating);
        break;
      case SessionState.Terminated:
        // SIP.js moves to Terminated before it calls the request delegate with the final
        // response; wait for that (and for a failing invite()/answer()) to know why.
        this.terminated = true;
        queueMicrotask(() => this.maybeFinish());
        break;
      default:
        break;
    }
  }

  private maybeFinish(): void {
    if (this.terminated && this.pending === 0) this.finish();
  }

  private finish(): void {
    if (this.machine.state === CallState.Ended) return;
    this.stopPlayback?.();
    this.stopPlayback = undefined;
    this.reason = this.endIntent ?? (this.answeredAt ? "remote-hangup" : this.direction === "in" ? "missed" : "failed");
    if (this.reason === "failed") this.message ??= "Call failed";
    this.machine.transition(CallState.Ended);
  }
}
