import { Invitation, Inviter, SessionState, UserAgent, type Referral, type Session, type URI } from "sip.js";
import type { SessionDescriptionHandlerFactory } from "sip.js";
import { defaultMediaStreamFactory } from "sip.js/lib/platform/web/index.js";
import type { AccountConfig, PhoneConfig } from "../../config/phone-config.js";
import { validateConfig } from "../../config/phone-config.js";
import { Call } from "./call.js";
import { ConferenceMixer } from "../platform/web/conference-mixer.js";
import { CallState, type CallSnapshot } from "./call-state.js";
import { autoAnswerDelay } from "./auto-answer.js";
import { autoAnswerHeaders, describeClickToCallFailure, type DialMode } from "./click-to-call.js";
import { applyRules } from "../numbers/number-rules.js";
import { SignallingOnlySessionDescriptionHandler } from "../platform/web/signalling-only-sdh.js";
import { readCallStats, type CallStats } from "../platform/web/call-stats.js";
import { Emitter } from "../core/emitter.js";
import { icePolicyFor } from "../platform/web/ice-policy.js";
import { Line, type LineTiming } from "./line.js";
import type { LineSnapshot } from "./line-state.js";
import { getLogger } from "../core/logger.js";
import { browserMediaPlatform, CALL_AUDIO, rtcConfiguration, type MediaPlatform } from "../platform/web/media-platform.js";
import { PhoneSessionDescriptionHandler } from "../platform/web/phone-sdh.js";
import { normalizeTarget, TargetError } from "../numbers/sip-target.js";
import { silentTones, type TonePlayer } from "../platform/web/tones.js";
import { SipTrace } from "../core/sip-trace.js";
import { WarmLeg } from "../platform/web/warm-leg.js";
import { FlowRegistry } from "../platform/web/websocket-flow.js";

const log = getLogger("phone");

/** More calls than this ringing at once are refused with 486 (an INVITE flood rings no one). */
const MAX_RINGING = 8;
/** How long an incoming transfer waits for the user's yes (referPolicy "ask") before it is refused. */
const REFERRAL_ASK_MS = 30_000;
/** 3xx responses followed in a row before giving up (a redirect loop rings nobody forever). */
const MAX_REDIRECTS = 3;

export interface PhoneEvents {
  "line-state": LineSnapshot;
  "call-state": CallSnapshot;
  "incoming-call": CallSnapshot;
}

export interface PhoneOptions {
  media?: MediaPlatform;
  tones?: TonePlayer;
  lineTiming?: Partial<LineTiming>;
  /** Open the microphone while an incoming call rings, so answering starts audio at once. */
  preopenMicrophoneOnRing?: boolean;
  /** Upper bound of the ICE gathering wait before an offer/answer is sent, in ms. */
  iceCapMs?: number;
  /** Resolves true when the device has no network at all (see LineDeps.probeOffline). */
  probeOffline?: () => Promise<boolean>;
}

export interface DialOptions {
  lineId?: string;
  /** Browser call, desk-phone call or reverse call; default: the line's `clickToCall`. */
  mode?: DialMode;
}

export class PhoneError extends Error {
  constructor(
    message: string,
    readonly code: "no-line" | "no-call" | "bad-target" | "bad-state" | "no-desk-phone",
  ) {
    super(message);
    this.name = "PhoneError";
  }
}

/**
 * The phone: holds the lines and calls and is the one object the UI and the embedding API talk
 * to. It knows SIP.js and WebRTC, and nothing of Lit, the DOM or storage.
 */
export class Phone extends Emitter<PhoneEvents> {
  private readonly lineMap = new Map<string, Line>();
  private readonly callMap = new Map<string, Call>();
  private readonly media: MediaPlatform;
  private readonly tones: TonePlayer;
  private readonly warmFor = new WeakMap<Session, WarmLeg>();
  /** Click-to-call legs: their SDP is signalling only (see SignallingOnlySessionDescriptionHandler). */
  private readonly signallingOnly = new WeakSet<Session>();
  /** libphonenumber-js and the location logic, loaded when a line needs them. */
  private phoneNumbers: Promise<typeof import("../numbers/phone-number.js")> | undefined;
  private mixer: ConferenceMixer | undefined;
  /** Incoming transfers waiting for the user's decision, by call id. */
  private readonly pendingReferrals = new Map<string, (follow: boolean) => void>();
  private readonly ringingMic = new WeakMap<Session, Promise<MediaStream>>();
  private warm: { lineId: string; leg: Promise<WarmLeg | undefined> } | undefined;
  private stopRing: (() => void) | undefined;
  private redirectHops = 0;
  private stopRingback: (() => void) | undefined;
  private config: PhoneConfig = { version: 1, accounts: [] };
  /** One WebSocket per server, shared by the lines that use it. */
  private readonly flows = new FlowRegistry();
  /** Every SIP message in and out, per line, credentials redacted (diagnostics view). */
  readonly trace = new SipTrace();

  constructor(private readonly options: PhoneOptions = {}) {
    super();
    this.flows.onMessage = (lineId, direction, text) => this.trace.add(lineId, direction, text);
    this.media = options.media ?? browserMediaPlatform;
    this.tones = options.tones ?? silentTones;
  }

  get lines(): LineSnapshot[] {
    return [...this.lineMap.values()].map((l) => this.withPolicies(l.snapshot));
  }

  /** A line's snapshot with the call policies that apply to it, visible at a glance. */
  private withPolicies(s: LineSnapshot): LineSnapshot {
    const dnd = this.dnd.has("*") || this.dnd.has(s.id);
    const forwardTo = this.forward
      .get(s.id)
      ?.replace(/^sips?:/, "")
      .split(/[;@]/)[0];
    return { ...s, ...(dnd ? { dnd } : {}), ...(forwardTo ? { forwardTo } : {}) };
  }

  private policiesChanged(): void {
    for (const line of this.lineMap.values()) this.emit("line-state", this.withPolicies(line.snapshot));
  }

  get calls(): CallSnapshot[] {
    return [...this.callMap.values()].map((c) => c.snapshot);
  }

  get currentConfig(): PhoneConfig {
    return this.config;
  }

  /**
   * Applies a configuration: validates it whole first (throws ConfigError, changing nothing),
   * then starts new lines, restarts changed ones and stops removed ones.
   */
  configure(input: unknown): void {
    const config = validateConfig(input);
    const wanted = new Map(config.accounts.map((a) => [a.id, a]));
    for (const [id, line] of this.lineMap) {
      const next = wanted.get(id);
      if (!next || JSON.stringify(next) !== JSON.stringify(line.account)) {
        this.lineMap.delete(id);
        void line.stop();
      }
    }
    const kept = new Map(this.lineMap);
    this.lineMap.clear();
    // Rebuilt in the configuration's order, so a changed line keeps its place in the UI.
    for (const account of config.accounts) {
      const existing = kept.get(account.id);
      if (existing) {
        this.lineMap.set(account.id, existing);
        continue;
      }
      const line = this.createLine(account);
      this.lineMap.set(account.id, line);
      this.emit("line-state", line.snapshot);
      if (account.enabled !== false) line.start();
    }
    this.config = config;
    // Number rules need libphonenumber-js: load it now, not when the user clicks Call.
    if (config.accounts.some((a) => a.location || a.numberRules)) void this.loadPhoneNumbers().catch(() => undefined);
  }

  /** The page is being unloaded: un-REGISTER every line at once (see Line.unregisterNow). */
  pageUnloading(): void {
    for (const line of this.lineMap.values()) line.unregisterNow();
  }

  /** Do-not-disturb: per line, or for all lines under "*"; the code callers receive. */
  private readonly dnd = new Set<string>();
  private dndCode: 486 | 603 = 486;
  /** Unconditional forwarding per line: incoming calls get 302 to this URI. */
  private readonly forward = new Map<string, string>();

  /** Headers of incoming INVITEs that go into the call snapshot (a CRM lookup on the host page). */
  private capture: string[] = [];

  /** Which headers of incoming INVITEs the calls carry (`headers` in CallSnapshot). */
  setCaptureHeaders(names: string[]): void {
    this.capture = names.map((n) => n.trim()).filter((n) => /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(n));
  }

  /** Set by `online`: the path may have changed, so refreshed calls restart ICE too. */
  private networkChanged = false;

  /** Tells every line the network is back (browser `online` event). */
  networkOnline(): void {
    this.networkChanged = true;
    for (const line of this.lineMap.values()) line.reconnectNow();
  }

  /**
   * Goes "off-hook" on a line: opens the microphone and prepares the connection while the user
   * types, so that dial() only sends the INVITE. Safe to call repeatedly; onHook() releases.
   */
  offHook(lineId?: string): void {
    const line = this.pickLine(lineId, false);
    if (!line) return;
    if (this.warm?.lineId === line.id) return;
    this.onHook();
    const rtc = rtcConfiguration(line.account.iceServers as RTCIceServer[] | undefined);
    const leg = WarmLeg.open(this.media, rtc).catch((e: unknown) => {
      log.info("off-hook failed", e);
      return undefined;
    });
    this.warm = { lineId: line.id, leg };
  }

  /** Releases what offHook() opened, if no call took it. */
  onHook(): void {
    const warm = this.warm;
    this.warm = undefined;
    void warm?.leg.then((leg) => leg?.release());
  }

  /**
   * Places a call; resolves with its id as soon as the INVITE is on its way. Numbers go through
   * the line's location and dial rules; `mode` (or the line's `clickToCall`) may make the desk
   * phone dial instead of the browser.
   */
  async dial(target: string, options: DialOptions = {}): Promise<string> {
    const line = this.pickLine(options.lineId, true)!;
    const mode = options.mode ?? line.account.clickToCall ?? "browser";
    const { uri: targetUri, display } = await this.resolveTarget(target, line);
    if (mode !== "browser") return this.clickToCall(line, mode, targetUri, display);
    await this.holdOthers();
    const inviter = new Inviter(line.ua, targetUri, {
      earlyMedia: true,
      sessionDescriptionHandlerOptions: { constraints: CALL_AUDIO },
    });
    const warm = this.warm?.lineId === line.id ? this.warm : undefined;
    this.warm = undefined;
    const leg = warm ? await warm.leg : undefined;
    if (leg?.usable) this.warmFor.set(inviter, leg);
    else leg?.release();
    const call = this.track(
      new Call(
        inviter,
        line.id,
        "out",
        { user: display, uri: targetUri.toString() },
        { media: this.media, dtmf: line.account.dtmf ?? "rfc4733" },
      ),
    );
    await call.invite();
    return call.id;
  }

  /** What the user typed or a link carried, as a request URI for the line (number rules applied). */
  private async resolveTarget(target: string, line: Line): Promise<{ uri: URI; display: string }> {
    let input = target;
    let display: string | undefined;
    try {
      const account = line.account;
      if (account.location || account.numberRules?.dial?.length || account.numberRules?.outgoing?.length) {
        const numbers = await this.loadPhoneNumbers();
        const dialled = numbers.dialNumber(target, account);
        if (dialled) {
          input = dialled.number;
          display = dialled.display;
        }
      }
      const uri = normalizeTarget(input, line.domain);
      const parsed = UserAgent.makeURI(uri.uri);
      if (!parsed) throw new TargetError(`"${target}" is not a valid SIP address`);
      return { uri: parsed, display: display ?? uri.display };
    } catch (e) {
      if (e instanceof TargetError) throw new PhoneError(e.message, "bad-target");
      throw e;
    }
  }

  private loadPhoneNumbers(): Promise<typeof import("../numbers/phone-number.js")> {
    // A failed load (offline before the chunk was cached) is tried again next time.
    return (this.phoneNumbers ??= import("../numbers/phone-number.js").catch((e: unknown) => {
      this.phoneNumbers = undefined;
      throw e;
    }));
  }

  /**
   * Click-to-call through the desk phone (see click-to-call.ts). The leg carries no media; it
   * ends by itself once the REFER's outcome is known, and on every failure (no answer within
   * the line's deskPhoneTimeout, REFER refused, target busy) with the reason as its message.
   */
  private async clickToCall(line: Line, mode: "desk" | "reverse", targetUri: URI, display: string): Promise<string> {
    const account = line.account;
    if (!account.deskPhone) {
      throw new PhoneError(
        `Set the address of your desk phone for ${account.label ?? account.sipUri} first (Lines → Edit → More settings)`,
        "no-desk-phone",
      );
    }
    const deskUri = UserAgent.makeURI(account.deskPhone);
    if (!deskUri) throw new PhoneError(`The desk phone address "${account.deskPhone}" is not a SIP address`, "no-desk-phone");
    const deskShown = deskUri.user ?? account.deskPhone;
    const first = mode === "desk" ? deskUri : targetUri;
    const second = mode === "desk" ? targetUri : deskUri;
    const inviter = new Inviter(line.ua, first, {
      extraHeaders: mode === "desk" ? autoAnswerHeaders(account.deskPhoneAnswer ?? "call-info", line.domain) : [],
    });
    this.signallingOnly.add(inviter);
    const call = new Call(inviter, line.id, "out", { user: display, uri: targetUri.toString() }, { media: this.media, dtmf: "info" });
    call.clickToCall = { mode, target: display, deskPhone: deskShown };
    call.describeInviteFailure = (code) => describeClickToCallFailure(mode, "invite", code, display);
    this.track(call);
    // The desk phone answers by itself (or its user picks up) within the line's timeout; a
    // reverse call waits as long as a person may take to answer.
    const timeoutS = mode === "desk" ? (account.deskPhoneTimeout ?? 20) : 60;
    const timer = setTimeout(() => {
      if (call.state === CallState.Dialing || call.state === CallState.Ringing) {
        void call.giveUp(describeClickToCallFailure(mode, "timeout", undefined, display, timeoutS));
      }
    }, timeoutS * 1000);
    const off = call.on("change", (s) => {
      if (s.state === CallState.Established) {
        clearTimeout(timer);
        off();
        void call
          .transfer(second.toString(), mode === "desk" ? display : deskShown, {
            hold: false,
            resumeOnFailure: false,
            endOnFailure: true,
            describe: (stage, code) => describeClickToCallFailure(mode, stage, code, display),
          })
          .catch((e: Error) => void call.giveUp(`Transfer failed: ${e.message}`));
      } else if (s.state === CallState.Ended) {
        clearTimeout(timer);
        off();
      }
    });
    await call.invite();
    return call.id;
  }

  async answer(callId?: string): Promise<void> {
    const call = this.findCall(callId, (c) => c.state === CallState.Incoming);
    await this.holdOthers(new Set([call.id]));
    await call.answer();
  }

  /** Puts a call on hold, or takes it back (holding whatever else is active first). */
  async hold(callId: string, on = true): Promise<void> {
    const call = this.findCall(callId);
    // A conference is held and taken back as a whole.
    const group = this.mixer?.has(call.id) ? this.mixer.memberIds.map((id) => this.callMap.get(id)).filter((c): c is Call => !!c) : [call];
    const ids = new Set(group.map((c) => c.id));
    if (!on) await this.holdOthers(ids);
    await Promise.all(group.map((c) => c.hold(on)));
  }

  /** Takes `callId` back and holds the call that was active: one action, as on a desk phone. */
  async swap(callId: string): Promise<void> {
    await this.hold(callId, false);
  }

  /** Blind transfer of the other party of `callId` to `target` (REFER). */
  async transfer(callId: string, target: string): Promise<void> {
    const call = this.findCall(callId);
    const line = this.lineMap.get(call.lineId);
    if (!line) throw new PhoneError(`No line "${call.lineId}"`, "no-line");
    const { uri, display } = await this.resolveTarget(target, line);
    await call.transfer(uri.toString(), display);
  }

  /**
   * Consultation (attended) transfer, step 1: holds `callId` and calls `target` on the same
   * line. Returns the consultation call's id; then completeTransfer() or cancelConsultation().
   */
  async startConsultation(callId: string, target: string): Promise<string> {
    const call = this.findCall(callId, (c) => c.state === CallState.Established);
    if (call.state !== CallState.Established) throw new PhoneError("Only a connected call can be transferred", "bad-state");
    const consultId = await this.dial(target, { lineId: call.lineId });
    const consult = this.callMap.get(consultId);
    if (consult) {
      consult.consultFor = call.id;
      consult.changed();
    }
    return consultId;
  }

  /**
   * Consultation transfer, step 2: the held party is REFERred to the consulted one with
   * Replaces, so the two talk and both our calls end. On failure both calls stay (the first one
   * on hold) and the failure shows on the first call.
   */
  async completeTransfer(consultCallId: string): Promise<void> {
    const consult = this.findCall(consultCallId);
    const original = consult.consultFor ? this.callMap.get(consult.consultFor) : undefined;
    if (!original) throw new PhoneError("This call is not a consultation, or the call to transfer has ended", "bad-state");
    await this.joinByTransfer(original, consult);
  }

  /** Consultation transfer, cancelled: hangs up the consultation and takes the first call back. */
  async cancelConsultation(consultCallId: string): Promise<void> {
    const consult = this.findCall(consultCallId);
    const originalId = consult.consultFor;
    await consult.hangup();
    if (originalId && this.callMap.has(originalId)) await this.hold(originalId, false);
  }

  /**
   * Connects the parties of two of our calls to each other and leaves: `from`'s party is
   * REFERred to `to`'s party with Replaces of our dialog with it (RFC 5589 attended transfer).
   */
  private async joinByTransfer(from: Call, to: Call): Promise<void> {
    if (to.state !== CallState.Established) throw new PhoneError("The consulted party has not answered yet", "bad-state");
    const replaces = to.replacesValue;
    if (!replaces) throw new PhoneError("The consulted call has no dialog to replace", "bad-state");
    // The consulted party's address of record (To of our call to them, From of theirs to us).
    const target = to.session.remoteIdentity.uri.clone();
    target.clearHeaders();
    for (const p of Object.keys(target.parameters)) target.deleteParam(p);
    const off = from.on("change", (s) => {
      if (s.transfer?.state === "answered") {
        off();
        // The target ends our call with it when the transferred party replaces it; if it
        // does not within a few seconds, we do.
        to.expectEnd("transferred");
        setTimeout(() => void to.hangup().catch(() => undefined), 5000);
      } else if (s.transfer?.state === "failed" || s.state === CallState.Ended) off();
    });
    await from.transfer(target.toString(), to.snapshot.remote, { replaces, resumeOnFailure: false });
  }

  /**
   * 3-way conference: takes the given calls (at least two connected calls) off hold and mixes
   * them in the browser, so that every party hears all the others. Hanging up a member takes it
   * out; splitConference() goes back to separate calls.
   */
  async conference(callIds: string[]): Promise<void> {
    const calls = [...new Set(callIds)].map((id) => this.findCall(id));
    if (calls.length < 2) throw new PhoneError("A conference needs at least two calls", "bad-state");
    const notUp = calls.find((c) => c.state !== CallState.Established);
    if (notUp) throw new PhoneError(`The call with ${notUp.snapshot.remote} is not connected`, "bad-state");
    await Promise.all(calls.filter((c) => c.snapshot.held).map((c) => c.hold(false)));
    const mixer = (this.mixer ??= new ConferenceMixer());
    const muted = calls.some((c) => c.snapshot.muted);
    for (const call of calls) {
      const sender = call.audioSender;
      const microphone = call.microphone[0];
      const remote = call.remoteStream;
      if (!sender || !microphone || !remote) throw new PhoneError(`The call with ${call.snapshot.remote} has no audio to mix`, "bad-state");
      await mixer.add({ id: call.id, sender, microphone, remote });
      call.inConference = true;
      call.changed();
    }
    // One microphone for the user: muted in one member means muted in all.
    if (muted) for (const c of calls) c.mute(true);
  }

  /** Back to separate calls: each gets its own microphone again, all but the last one held. */
  async splitConference(): Promise<void> {
    const mixer = this.mixer;
    if (!mixer) throw new PhoneError("There is no conference", "bad-state");
    const members = mixer.memberIds.map((id) => this.callMap.get(id)).filter((c): c is Call => !!c);
    this.mixer = undefined;
    await mixer.close();
    for (const c of members) {
      c.inConference = false;
      c.changed();
    }
    const [keep, ...rest] = members.reverse();
    await Promise.all(rest.map((c) => c.hold(true).catch((e: Error) => log.warn("hold failed", e.message))));
    if (keep) log.info("conference split; active:", keep.id);
  }

  /** Leaves a two-party conference so the other two stay connected (attended transfer). */
  async leaveConference(): Promise<void> {
    const members = (this.mixer?.memberIds ?? []).map((id) => this.callMap.get(id)).filter((c): c is Call => !!c);
    if (members.length !== 2) throw new PhoneError("Leaving keeps the others connected only with exactly two other parties", "bad-state");
    await this.splitConference();
    await this.joinByTransfer(members[0]!, members[1]!);
  }

  /** An incoming transfer waiting for the user (referPolicy "ask"): follow it. */
  acceptReferral(callId: string): void {
    const pending = this.pendingReferrals.get(callId);
    if (!pending) throw new PhoneError("No transfer is waiting on this call", "bad-state");
    pending(true);
  }

  /** An incoming transfer waiting for the user: refuse it (the transferor hears 603). */
  declineReferral(callId: string): void {
    const pending = this.pendingReferrals.get(callId);
    if (!pending) throw new PhoneError("No transfer is waiting on this call", "bad-state");
    pending(false);
  }

  /** Sends a ringing incoming call elsewhere (302 Moved Temporarily with the new Contact). */
  async redirect(callId: string, target: string): Promise<void> {
    const call = this.findCall(callId, (c) => c.state === CallState.Incoming);
    const line = this.lineMap.get(call.lineId)!;
    const { uri } = await this.resolveTarget(target, line);
    if (!(call.session instanceof Invitation) || call.state !== CallState.Incoming)
      throw new PhoneError("Only a ringing call can be redirected", "bad-state");
    await call.session.reject({ statusCode: 302, extraHeaders: [`Contact: <${uri.toString()}>`] });
  }

  /** Do-not-disturb for one line, or for all lines when `lineId` is undefined. */
  setDnd(on: boolean, lineId?: string, code?: 486 | 603): void {
    const key = lineId ?? "*";
    if (on) this.dnd.add(key);
    else this.dnd.delete(key);
    if (code) this.dndCode = code;
    this.policiesChanged();
  }

  /** Unconditional forwarding of one line's calls to `target`; undefined turns it off. */
  setForward(lineId: string, target: string | undefined): void {
    const line = this.lineMap.get(lineId);
    if (!target) {
      this.forward.delete(lineId);
      this.policiesChanged();
      return;
    }
    if (!line) throw new PhoneError(`No line "${lineId}"`, "no-line");
    try {
      this.forward.set(lineId, normalizeTarget(target, line.domain).uri);
    } catch (e) {
      throw new PhoneError((e as Error).message, "bad-target");
    }
    this.policiesChanged();
  }

  /** Holds every established call except `keep` (answering or dialing while in a call). */
  private async holdOthers(keep: ReadonlySet<string> = new Set()): Promise<void> {
    const active = [...this.callMap.values()].filter((c) => !keep.has(c.id) && c.state === CallState.Established && !c.snapshot.held);
    await Promise.all(active.map((c) => c.hold(true).catch((e: Error) => log.warn("hold failed", e.message))));
  }

  async decline(callId?: string, code: 486 | 603 = 603): Promise<void> {
    const call = this.findCall(callId, (c) => c.state === CallState.Incoming);
    await call.decline(code);
  }

  async hangup(callId?: string): Promise<void> {
    const call = this.findCall(callId, (c) => c.state !== CallState.Ended);
    await call.hangup();
  }

  mute(callId: string, on: boolean): void {
    const call = this.findCall(callId);
    // One microphone: muting in a conference mutes it towards every member.
    if (this.mixer?.has(call.id)) for (const id of this.mixer.memberIds) this.callMap.get(id)?.mute(on);
    else call.mute(on);
  }

  sendDtmf(callId: string, digits: string): Promise<void> {
    return this.findCall(callId).sendDtmf(digits);
  }

  /** Media statistics of a call (packets, audio level), for the call screen and diagnostics. */
  async callStats(callId: string): Promise<CallStats | undefined> {
    const pc = this.callMap.get(callId)?.peerConnection;
    return pc ? readCallStats(pc) : undefined;
  }

  /** Stops every line and call; the phone can be configured again afterwards. */
  async dispose(): Promise<void> {
    this.onHook();
    await Promise.all([...this.callMap.values()].map((c) => c.hangup().catch(() => undefined)));
    await Promise.all([...this.lineMap.values()].map((l) => l.stop()));
    this.lineMap.clear();
  }

  private pickLine(lineId: string | undefined, required: boolean): Line | undefined {
    if (lineId) {
      const line = this.lineMap.get(lineId);
      if (!line && required) throw new PhoneError(`No line "${lineId}"`, "no-line");
      return line;
    }
    const line = [...this.lineMap.values()].find((l) => l.account.enabled !== false);
    if (!line && required) throw new PhoneError("No account is set up: add one first", "no-line");
    return line;
  }

  private findCall(callId: string | undefined, match: (c: Call) => boolean = () => true): Call {
    if (callId) {
      const call = this.callMap.get(callId);
      if (!call) throw new PhoneError(`No call "${callId}"`, "no-call");
      return call;
    }
    const call = [...this.callMap.values()].reverse().find(match);
    if (!call) throw new PhoneError("There is no call to act on", "no-call");
    return call;
  }

  private createLine(account: AccountConfig): Line {
    const line = new Line(account, {
      sdhFactory: this.sdhFactory(account),
      onInvite: (l, invitation) => this.onInvite(l, invitation),
      timing: this.options.lineTiming,
      transportConstructor: this.flows.transportClass() as never,
      probeOffline: this.options.probeOffline,
    });
    line.on("change", (s) => this.emit("line-state", this.withPolicies(s)));
    line.on("reconnected", () => {
      for (const call of this.callMap.values()) {
        if (call.lineId === line.id && call.state === CallState.Established) void call.refresh({ iceRestart: this.networkChanged });
      }
      this.networkChanged = false;
    });
    return line;
  }

  private sdhFactory(account: AccountConfig): SessionDescriptionHandlerFactory {
    const iceServers = (account.iceServers ?? []) as RTCIceServer[];
    const policy = icePolicyFor(iceServers, this.options.iceCapMs);
    const plainFactory = defaultMediaStreamFactory();
    return (session) => {
      if (this.signallingOnly.has(session)) return new SignallingOnlySessionDescriptionHandler();
      const warm = this.warmFor.get(session);
      this.warmFor.delete(session);
      const ringing = this.ringingMic.get(session);
      this.ringingMic.delete(session);
      const mediaStreamFactory = ringing
        ? () => ringing
        : this.media === browserMediaPlatform
          ? plainFactory
          : (constraints: MediaStreamConstraints) => this.media.getUserMedia(constraints);
      const logger = session.userAgent.getLogger("sip.SessionDescriptionHandler");
      return new PhoneSessionDescriptionHandler(
        logger,
        mediaStreamFactory,
        { iceGatheringTimeout: policy.capMs, peerConnectionConfiguration: rtcConfiguration(iceServers) },
        policy,
        warm,
      );
    };
  }

  private onInvite(line: Line, invitation: Invitation): void {
    const id = invitation.remoteIdentity;
    // An INVITE with Replaces naming one of our calls (SIP.js matched the dialog, or answered
    // 481 itself): the other party of that call was transferred to us by a consultation
    // transfer. It takes the call's place at once, with no ringing and no DND/forwarding,
    // because it continues a conversation we are already in.
    const replaced = invitation.replacee ? [...this.callMap.values()].find((c) => c.session === invitation.replacee) : undefined;
    if (replaced) {
      const call = this.track(
        new Call(
          invitation,
          line.id,
          "in",
          { user: id.uri.user ?? id.uri.toString(), name: id.displayName || undefined, uri: id.uri.toString() },
          { media: this.media, dtmf: line.account.dtmf ?? "rfc4733" },
        ),
        { replaces: replaced },
      );
      // SIP.js sends our BYE on the replaced dialog once the new call is accepted.
      replaced.expectEnd("replaced");
      void call.answer().catch((e: Error) => log.warn("replacing call not answered:", e.message));
      return;
    }
    // Hostile or broken peers: a flood of INVITEs is refused beyond a few ringing calls, and
    // an offer that is not SDP with audio is refused at once instead of failing on answer.
    const ringing = [...this.callMap.values()].filter((c) => c.state === CallState.Incoming).length;
    if (ringing >= MAX_RINGING) {
      void invitation.reject({ statusCode: 486 }).catch(() => undefined);
      return;
    }
    if (this.dnd.has("*") || this.dnd.has(line.id)) {
      void invitation.reject({ statusCode: this.dndCode }).catch(() => undefined);
      return;
    }
    const forwardTo = this.forward.get(line.id);
    if (forwardTo) {
      void invitation.reject({ statusCode: 302, extraHeaders: [`Contact: <${forwardTo}>`] }).catch(() => undefined);
      return;
    }
    const body = invitation.request.body;
    if (body && !/^v=0\r?\n[\s\S]*^m=audio /m.test(body)) {
      void invitation.reject({ statusCode: 488 }).catch(() => undefined);
      return;
    }
    if (this.options.preopenMicrophoneOnRing !== false) {
      const mic = this.media.getUserMedia(CALL_AUDIO);
      mic.catch(() => undefined);
      this.ringingMic.set(invitation, mic);
      invitation.stateChange.addListener((s) => {
        if (s === SessionState.Terminated && this.ringingMic.has(invitation)) {
          this.ringingMic.delete(invitation);
          void mic.then(
            (m) => m.getTracks().forEach((t) => t.stop()),
            () => undefined,
          );
        }
      });
    }
    const caller = id.uri.user ?? id.uri.toString();
    const call = this.track(
      new Call(
        invitation,
        line.id,
        "in",
        {
          user: applyRules(line.account.numberRules?.incoming, caller).number || "withheld",
          name: id.displayName || undefined,
          uri: id.uri.toString(),
        },
        { media: this.media, dtmf: line.account.dtmf ?? "rfc4733" },
      ),
    );
    if (this.capture.length) {
      const headers: Record<string, string> = {};
      for (const name of this.capture) {
        const value = invitation.request.getHeader(name);
        // Bounded: a hostile peer's header does not travel to the host page whole.
        if (value !== undefined) headers[name] = value.slice(0, 1024);
      }
      call.headers = headers;
    }
    this.emit("incoming-call", call.snapshot);
    if (line.account.autoAnswer) {
      const request = invitation.request;
      const delay = autoAnswerDelay({ callInfo: request.getHeaders("call-info"), alertInfo: request.getHeaders("alert-info") });
      if (delay !== undefined) {
        setTimeout(() => {
          if (call.state !== CallState.Incoming) return;
          const stop = this.tones.play("autoanswer");
          setTimeout(stop, 400);
          void this.answer(call.id).catch((e: Error) => log.warn("auto-answer failed:", e.message));
        }, delay * 1000);
      }
    }
  }

  /**
   * The other party transfers us (REFER): accept, call the target on the same line, tell the
   * transferor how it goes (NOTIFY with sipfrag), and end the old call once the new one is up.
   */
  private followReferral(call: Call, referral: Referral): void {
    const line = this.lineMap.get(call.lineId);
    if (!line) return;
    const policy = line.account.referPolicy ?? "always";
    if (policy === "never") {
      void referral.reject({ statusCode: 603 }).catch(() => undefined);
      return;
    }
    void referral
      .accept()
      .then(async () => {
        call.notifyReferrer("SIP/2.0 100 Trying", false);
        if (policy === "ask" && !(await this.askReferral(call, referral))) {
          call.notifyReferrer("SIP/2.0 603 Declined", true);
          return;
        }
        // SIP.js builds the INVITE from the Refer-To, including a Replaces header (attended
        // transfer) when the URI carries one.
        // SIP.js reads Replaces from the parsed Refer-To URI, which loses it when the URI also
        // carries a proxy's alias parameter; take it from the header text instead.
        const extraHeaders: string[] = [];
        const raw = referral.request.getHeader("refer-to") ?? "";
        const replaces = /[?&]Replaces=([^&>]+)/i.exec(raw)?.[1];
        if (replaces && !referral.replaces) extraHeaders.push(`Replaces: ${decodeURIComponent(replaces)}`);
        const inviter = referral.makeInviter({
          earlyMedia: true,
          extraHeaders,
          sessionDescriptionHandlerOptions: { constraints: CALL_AUDIO },
        });
        const to = referral.referTo;
        const user = to.uri.user ?? to.uri.toString();
        const next = this.track(
          new Call(
            inviter,
            line.id,
            "out",
            { user, name: to.displayName || undefined, uri: to.uri.toString() },
            { media: this.media, dtmf: line.account.dtmf ?? "rfc4733" },
          ),
        );
        const off = next.on("change", (s) => {
          if (s.state === CallState.Ringing) call.notifyReferrer("SIP/2.0 180 Ringing", false);
          if (s.state === CallState.Established) {
            call.notifyReferrer("SIP/2.0 200 OK", true);
            off();
            void call.hangup().catch(() => undefined);
          }
          if (s.state === CallState.Ended) {
            call.notifyReferrer(`SIP/2.0 ${s.sipCode ?? 500} ${s.message ?? "Failed"}`, true);
            off();
          }
        });
        await next.invite();
      })
      .catch((e: Error) => log.warn("transfer not followed:", e.message));
  }

  /**
   * Asks the user whether to follow a transfer (the REFER is already accepted with 202, so the
   * transferor waits on NOTIFYs rather than on a transaction that would time out).
   */
  private askReferral(call: Call, referral: Referral): Promise<boolean> {
    const to = referral.referTo;
    return new Promise<boolean>((resolve) => {
      const done = (follow: boolean) => {
        clearTimeout(timer);
        this.pendingReferrals.delete(call.id);
        call.referral = undefined;
        if (call.state !== CallState.Ended) call.changed();
        resolve(follow);
      };
      const timer = setTimeout(() => done(false), REFERRAL_ASK_MS);
      this.pendingReferrals.set(call.id, done);
      call.referral = { target: to.displayName || to.uri.user || to.uri.toString() };
      call.changed();
    });
  }

  private track(call: Call, { replaces }: { replaces?: Call } = {}): Call {
    if (replaces) {
      call.replaces = replaces.id;
      // The new call takes the replaced one's place in the list (the UI keeps its order).
      const entries = [...this.callMap];
      entries.splice(entries.findIndex(([id]) => id === replaces.id) + 1, 0, [call.id, call]);
      this.callMap.clear();
      for (const [id, c] of entries) this.callMap.set(id, c);
    } else {
      this.callMap.set(call.id, call);
    }
    call.onReferred = (referral) => this.followReferral(call, referral);
    call.on("change", (s) => {
      this.updateTones();
      this.emit("call-state", s);
      if (s.state === CallState.Ended) {
        this.callMap.delete(call.id);
        this.pendingReferrals.get(call.id)?.(false);
        void this.leaveMixer(call.id);
        this.updateTones();
        // A 3xx sent the call elsewhere: follow it, as a desk phone does (a few hops at most).
        if (s.reason === "redirected" && call.redirectTarget && this.redirectHops < MAX_REDIRECTS) {
          this.redirectHops++;
          void this.dial(call.redirectTarget, { lineId: call.lineId })
            .catch((e: Error) => log.warn("redirect not followed:", e.message))
            .finally(() => (this.redirectHops = 0));
        }
      }
    });
    this.updateTones();
    this.emit("call-state", call.snapshot);
    return call;
  }

  /** A conference member ended: take it out; one member left is a plain call again. */
  private async leaveMixer(callId: string): Promise<void> {
    const mixer = this.mixer;
    if (!mixer?.has(callId)) return;
    await mixer.remove(callId);
    if (mixer.memberIds.length >= 2) return;
    const last = mixer.memberIds.map((id) => this.callMap.get(id));
    this.mixer = undefined;
    await mixer.close();
    for (const c of last) {
      if (!c) continue;
      c.inConference = false;
      c.changed();
    }
  }

  /** Ringtone while any call rings in; ringback while an outgoing call rings without early media. */
  private updateTones(): void {
    const calls = [...this.callMap.values()].filter((c) => c.state !== CallState.Ended);
    // During a call, an incoming call gets the quieter call-waiting tone instead of the ringtone.
    const busy = calls.some((c) => c.state === CallState.Established);
    const ringingIn = calls.some((c) => c.state === CallState.Incoming);
    const ringingOut = calls.some((c) => c.state === CallState.Ringing);
    if (ringingIn && !this.stopRing) this.stopRing = this.tones.play(busy ? "callwaiting" : "ringtone");
    if (!ringingIn && this.stopRing) {
      this.stopRing();
      this.stopRing = undefined;
    }
    if (ringingOut && !this.stopRingback) this.stopRingback = this.tones.play("ringback");
    if (!ringingOut && this.stopRingback) {
      this.stopRingback();
      this.stopRingback = undefined;
    }
  }
}
