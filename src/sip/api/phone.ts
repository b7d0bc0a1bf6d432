import type { Invitation, Session } from "sip.js";
import type { AccountConfig, DtmfMethod, PhoneConfig } from "../../config/phone-config.js";
import { validateConfig } from "../../config/phone-config.js";
import { systemClock, type Clock } from "../core/clock.js";
import { Emitter } from "../core/emitter.js";
import { getLogger } from "../core/logger.js";
import { SipTrace } from "../core/sip-trace.js";
import { Call } from "./call.js";
import { CallState, type CallDirection, type CallSnapshot } from "./call-state.js";
import { CallTones } from "./call-tones.js";
import type { Conference } from "./conference.js";
import { IncomingCalls } from "./incoming-calls.js";
import { IncomingPolicy } from "./incoming-policy.js";
import { Messaging, type MessageOptions } from "./messaging.js";
import { Line, type LineTiming } from "./line.js";
import type { LineSnapshot } from "./line-state.js";
import { PhoneError } from "./phone-errors.js";
import type { DialOptions, PhoneInternals } from "./phone-internals.js";
import type { CallStats, PhonePlatform, TransportConstructor } from "./platform.js";
import { OutgoingCalls } from "./outgoing-calls.js";
import { Referrals } from "./referrals.js";
import { DEFAULT_RTP_TIMEOUT_S, RtpWatch } from "./rtp-watch.js";
import { TargetResolver } from "./target-resolver.js";
import { park } from "./park.js";
import { Pickup } from "./pickup.js";
import { Presence } from "./presence.js";
import type { PresenceSnapshot } from "./presence-state.js";
import type { MessageSnapshot } from "./text-message.js";
import { Voicemail } from "./voicemail.js";

export { PhoneError, type DialOptions };

const log = getLogger("phone");

export { MAX_REDIRECTS } from "./outgoing-calls.js";

export interface PhoneEvents {
  "line-state": LineSnapshot;
  "call-state": CallSnapshot;
  "incoming-call": CallSnapshot;
  /** A watched party's lamp changed, or a watch began (presence.ts). */
  presence: PresenceSnapshot;
  /** A text message sent, received, or whose delivery status changed (text-message.ts). */
  message: MessageSnapshot;
}

export interface PhoneOptions {
  /** Sockets, media, tones: `webPlatform()` in a browser, a test platform in unit tests. */
  platform: PhonePlatform;
  clock?: Clock;
  lineTiming?: Partial<LineTiming>;
  /** Open the microphone while an incoming call rings, so answering starts audio at once. */
  preopenMicrophoneOnRing?: boolean;
  /** Resolves true when the device has no network at all (see LineDeps.probeOffline). */
  probeOffline?: () => Promise<boolean>;
}

/**
 * The phone: the one object the UI and the embedding API talk to (its public operations are
 * listed once in commands.ts). A façade: it holds the lines and calls and composes the parts
 * that do the work: IncomingPolicy, Referrals, AttendedTransfer, Conference, ClickToCall,
 * TargetResolver, CallTones. It knows SIP.js, and nothing of Lit, the DOM or storage; the
 * platform (sockets, WebRTC, audio) comes in through `options.platform`.
 */
export class Phone extends Emitter<PhoneEvents> implements PhoneInternals {
  private readonly lineMap = new Map<string, Line>();
  private callMap = new Map<string, Call>();
  readonly platform: PhonePlatform;
  readonly clock: Clock;
  /** Every SIP message in and out, per line, credentials redacted (diagnostics view). */
  readonly trace = new SipTrace();
  private readonly transport: TransportConstructor;
  private readonly policy = new IncomingPolicy();
  private readonly referrals = new Referrals(this);
  // Consultation transfer and click-to-call load on first use: they are not part of what the
  // phone needs to start, register and ring (docs/performance.md, initial JS).
  private readonly transfers = once(async () => new (await import("./attended-transfer.js")).AttendedTransfer(this));
  private readonly loadConference = once(
    async () => (this.conferenceCalls = new (await import("./conference.js")).Conference(this, this.transfers)),
  );
  /** Set once a conference was first asked for. */
  private conferenceCalls: Conference | undefined;
  private readonly clickToCall = once(async () => new (await import("./click-to-call.js")).ClickToCall(this));
  private readonly targets = new TargetResolver();
  private readonly tones: CallTones;
  private readonly incoming: IncomingCalls;
  private readonly outgoing: OutgoingCalls;
  private readonly presence: Presence;
  private readonly pickups: Pickup;
  private readonly voicemail: Voicemail;
  private readonly messaging: Messaging;
  private config: PhoneConfig = { version: 1, accounts: [] };
  /** Set by `online`: the path may have changed, so refreshed calls restart ICE too. */
  private networkChanged = false;

  constructor(private readonly options: PhoneOptions) {
    super();
    this.platform = options.platform;
    this.clock = options.clock ?? systemClock;
    this.tones = new CallTones(this.platform.tones);
    this.outgoing = new OutgoingCalls(this, this.targets, this.clickToCall);
    this.incoming = new IncomingCalls(this, this.policy, this.tones, {
      preopenMicrophone: options.preopenMicrophoneOnRing !== false,
      announce: (snapshot) => this.emit("incoming-call", snapshot),
    });
    this.transport = this.platform.transport((lineId, direction, text) => this.trace.add(lineId, direction, text));
    this.presence = new Presence({
      clock: this.clock,
      targets: this.targets,
      line: (id) => this.pickLine(id, false),
      changed: (snapshot) => this.emit("presence", snapshot),
      note: (lineId, text) => this.trace.add(lineId, "in", text),
    });
    this.pickups = new Pickup(this.presence, this.outgoing, (id) => this.pickLine(id, false));
    this.voicemail = new Voicemail(this.clock, (lineId) => {
      const line = this.lineMap.get(lineId);
      if (line) this.emit("line-state", this.lineSnapshot(line));
    });
    this.messaging = new Messaging({
      clock: this.clock,
      pickLine: (lineId) => this.pickLine(lineId, true)!,
      line: (id) => this.lineMap.get(id),
      resolve: async (target, line) => (await this.targets.resolve(target, line.account, line.domain)).uri,
      announce: (m) => this.emit("message", m),
    });
  }

  get lines(): LineSnapshot[] {
    return [...this.lineMap.values()].map((l) => this.lineSnapshot(l));
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
    const gone = [...this.lineMap.keys()].filter((id) => !wanted.has(id));
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
    this.targets.preload(config);
    this.voicemail.linesRemoved(gone);
    this.messaging.linesGone([...gone, ...config.accounts.filter((a) => a.enabled === false).map((a) => a.id)]);
  }

  /**
   * The page is being unloaded (`pagehide`): nothing after this handler is sure to run, so each
   * call's ending leaves now, within this call (SIP.js hands a CANCEL, BYE or final response to
   * the socket before its promise settles): CANCEL while our call rings, BYE once connected, 480
   * Temporarily Unavailable to a caller still ringing here (not 603: a decline would stop the
   * caller's PBX from trying the user's other phones). Each call is reported ended at once, so
   * that its history entry is completed and other tabs drop it. Then every line un-REGISTERs
   * (see Line.unregisterNow). A CANCEL before any provisional response waits for one (RFC 3261
   * 9.1), so a call dialled a moment ago may not be cancelled: best effort.
   */
  pageUnloading(): void {
    const now = this.clock.now();
    for (const call of [...this.callMap.values()]) {
      const { state, answeredAt, direction } = call.snapshot;
      if (state === CallState.Ended) continue;
      const ending: Pick<CallSnapshot, "reason" | "sipCode"> = answeredAt
        ? { reason: "hangup" }
        : direction === "in"
          ? { reason: "missed", sipCode: 480 }
          : { reason: "cancelled" };
      try {
        const sent = state === CallState.Incoming ? (call.session as Invitation).reject({ statusCode: 480 }) : call.hangup();
        sent.catch((e: Error) => log.info(call.id, "not ended on unload:", e.message));
      } catch (e) {
        log.info(call.id, "not ended on unload:", (e as Error).message);
      }
      this.emit("call-state", { ...call.snapshot, ...ending, state: CallState.Ended, endedAt: now });
    }
    for (const line of this.lineMap.values()) line.unregisterNow();
  }

  /** Tells every line the network is back (browser `online` event). */
  networkOnline(): void {
    this.networkChanged = true;
    for (const line of this.lineMap.values()) line.reconnectNow();
  }

  /** Which headers of incoming INVITEs the calls carry (`headers` in CallSnapshot). */
  setCaptureHeaders(names: string[]): void {
    this.policy.setCaptureHeaders(names);
  }

  /**
   * Goes "off-hook" on a line: prepares a standby leg (microphone, connection, offer, ICE) while
   * the user types, so that dial() only sends the INVITE. Safe to call repeatedly; onHook() releases.
   */
  offHook(lineId?: string): void {
    const line = this.pickLine(lineId, false);
    if (line) this.outgoing.offHook(line);
  }

  /** Releases what offHook() opened, if no call took it. */
  onHook(): void {
    this.outgoing.onHook();
  }

  /**
   * Places a call; resolves with its id as soon as the INVITE is on its way. Numbers go through
   * the line's location and dial rules; `mode` (or the line's `clickToCall`) may make the desk
   * phone dial instead of the browser.
   */
  dial(target: string, options: DialOptions = {}): Promise<string> {
    try {
      return this.outgoing.place(this.pickLine(options.lineId, true)!, target, options);
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  async answer(callId?: string): Promise<void> {
    const call = this.findCall(callId, (c) => c.state === CallState.Incoming);
    await this.holdOthers(new Set([call.id]));
    await call.answer();
  }

  async decline(callId?: string, code: 486 | 603 = 603): Promise<void> {
    await this.findCall(callId, (c) => c.state === CallState.Incoming).decline(code);
  }

  async hangup(callId?: string): Promise<void> {
    await this.findCall(callId, (c) => c.state !== CallState.Ended).hangup();
  }

  /** Puts a call (or its whole conference) on hold, or takes it back (holding the others first). */
  async hold(callId: string, on = true): Promise<void> {
    const group = this.groupOf(this.findCall(callId));
    if (!on) await this.holdOthers(new Set(group.map((c) => c.id)));
    await Promise.all(group.map((c) => c.hold(on)));
  }

  /** Takes `callId` back and holds the call that was active: one action, as on a desk phone. */
  async swap(callId: string): Promise<void> {
    await this.hold(callId, false);
  }

  /** Blind transfer of the other party of `callId` to `target` (REFER). */
  async transfer(callId: string, target: string): Promise<void> {
    const call = this.findCall(callId);
    const line = this.requireLine(call.lineId);
    const { uri, display } = await this.targets.resolve(target, line.account, line.domain);
    await call.transfer(uri.toString(), display);
  }

  /** Consultation transfer, step 1: holds `callId` and calls `target`; returns the new call's id. */
  startConsultation(callId: string, target: string): Promise<string> {
    return this.transfers().then((t) => t.start(callId, target));
  }

  /** Consultation transfer, step 2: the held party is REFERred to the consulted one (Replaces). */
  completeTransfer(consultCallId: string): Promise<void> {
    return this.transfers().then((t) => t.complete(consultCallId));
  }

  /** Consultation cancelled: hangs up the consultation and takes the first call back. */
  cancelConsultation(consultCallId: string): Promise<void> {
    return this.transfers().then((t) => t.cancel(consultCallId));
  }

  /** 3-way conference of connected calls, mixed in the browser. */
  conference(callIds: string[]): Promise<void> {
    return this.loadConference().then((c) => c.start(callIds));
  }

  splitConference(): Promise<void> {
    return this.loadConference().then((c) => c.split());
  }

  leaveConference(): Promise<void> {
    return this.loadConference().then((c) => c.leave());
  }

  /** An incoming transfer waiting for the user (referPolicy "ask"): follow it. */
  acceptReferral(callId: string): void {
    this.referrals.decide(callId, true);
  }

  /** An incoming transfer waiting for the user: refuse it (the transferor hears 603). */
  declineReferral(callId: string): void {
    this.referrals.decide(callId, false);
  }

  /** Sends a ringing incoming call elsewhere (302 Moved Temporarily with the new Contact). */
  async redirect(callId: string, target: string): Promise<void> {
    const call = this.findCall(callId, (c) => c.state === CallState.Incoming);
    const line = this.requireLine(call.lineId);
    const { uri } = await this.targets.resolve(target, line.account, line.domain);
    const session = call.session as Invitation;
    if (call.state !== CallState.Incoming || !("reject" in session))
      throw new PhoneError("Only a ringing call can be redirected", "bad-state", { callId });
    await session.reject({ statusCode: 302, extraHeaders: [`Contact: <${uri.toString()}>`] });
  }

  /** Do-not-disturb for one line, or for all lines when `lineId` is undefined. */
  setDnd(on: boolean, lineId?: string, code?: 486 | 603): void {
    this.policy.setDnd(on, lineId, code);
    this.policiesChanged();
  }

  /** Unconditional forwarding of one line's calls to `target`; undefined turns it off. */
  setForward(lineId: string, target: string | undefined): void {
    const line = this.lineMap.get(lineId);
    if (target && !line) throw new PhoneError(`No line "${lineId}"`, "no-line", { lineId });
    this.policy.setForward(lineId, target, line?.domain ?? "");
    this.policiesChanged();
  }

  /**
   * Sends a text message (RFC 3428 MESSAGE) to `target` on a line; resolves with its id on the
   * peer's 2xx, rejects with a PhoneError otherwise. While the line is down it waits and goes
   * when the line is back (messaging.ts). Every status change is a `message` event.
   */
  sendMessage(target: string, text: string, options: MessageOptions = {}): Promise<string> {
    return this.messaging.send(target, text, options);
  }

  /** Busy lamp: SUBSCRIBEs to `target`'s dialog state (or presence) and reports it in `presence` events. */
  watch(target: string, options: { lineId?: string } = {}): Promise<void> {
    return this.presence.watch(target, options.lineId);
  }

  /** Stops watching `target` (un-SUBSCRIBE). */
  unwatch(target: string): void {
    this.presence.unwatch(target);
  }

  /** The watched parties and their states. */
  get watched(): PresenceSnapshot[] {
    return this.presence.snapshots;
  }

  /** Picks up the call ringing at `target` (a watched party), or the group's with no target (pickup.ts). */
  pickup(target?: string, options: { lineId?: string } = {}): Promise<string> {
    return this.pickups.pickup(target || undefined, options.lineId);
  }

  /** Parks the other party of `callId` at the line's park extension (park.ts); the call here ends. */
  async park(callId: string): Promise<void> {
    const call = this.findCall(callId);
    await park(call, this.requireLine(call.lineId), (id, target) => this.transfer(id, target));
  }

  mute(callId: string, on: boolean): void {
    // One microphone: muting in a conference mutes it towards every member.
    for (const c of this.groupOf(this.findCall(callId))) c.mute(on);
  }

  sendDtmf(callId: string, digits: string): Promise<void> {
    return this.findCall(callId).sendDtmf(digits);
  }

  /** Media statistics of a call (packets, audio level), for the call screen and diagnostics. */
  async callStats(callId: string): Promise<CallStats | undefined> {
    const pc = this.callMap.get(callId)?.peerConnection;
    return pc ? this.platform.readStats(pc) : undefined;
  }

  /** Stops every line and call; the phone can be configured again afterwards. */
  async dispose(): Promise<void> {
    this.onHook();
    await Promise.all([...this.callMap.values()].map((c) => c.hangup().catch(() => undefined)));
    this.presence.dispose();
    await Promise.all([...this.lineMap.values()].map((l) => l.stop()));
    this.lineMap.clear();
  }

  // ---- PhoneInternals: what the composed parts use ----

  line(id: string): Line | undefined {
    return this.lineMap.get(id);
  }

  call(id: string): Call | undefined {
    return this.callMap.get(id);
  }

  liveCalls(): Call[] {
    return [...this.callMap.values()];
  }

  findCall(callId: string | undefined, match: (c: Call) => boolean = () => true): Call {
    if (callId) {
      const call = this.callMap.get(callId);
      if (!call) throw new PhoneError(`No call "${callId}"`, "no-call", { callId });
      return call;
    }
    const call = [...this.callMap.values()].reverse().find(match);
    if (!call) throw new PhoneError("There is no call to act on", "no-call");
    return call;
  }

  newCall(
    session: Session,
    line: Line,
    direction: CallDirection,
    remote: { user: string; name?: string; uri: string },
    dtmf?: DtmfMethod,
  ): Call {
    return new Call(session, line.id, direction, remote, {
      playRemote: (stream) => this.platform.playRemote(stream),
      dtmf: dtmf ?? line.account.dtmf ?? "rfc4733",
      clock: this.clock,
    });
  }

  /** Holds every established call except `keep` (answering or dialing while in a call). */
  async holdOthers(keep: ReadonlySet<string> = new Set()): Promise<void> {
    const active = [...this.callMap.values()].filter((c) => !keep.has(c.id) && c.state === CallState.Established && !c.snapshot.held);
    await Promise.all(active.map((c) => c.hold(true).catch((e: Error) => log.warn("hold failed", e.message))));
  }

  track(call: Call, { replaces }: { replaces?: Call } = {}): Call {
    if (replaces) {
      call.replaces = replaces.id;
      // The new call takes the replaced one's place in the list (the UI keeps its order).
      const entries = [...this.callMap];
      entries.splice(entries.findIndex(([id]) => id === replaces.id) + 1, 0, [call.id, call]);
      this.callMap = new Map(entries);
    } else {
      this.callMap.set(call.id, call);
    }
    call.onReferred = (referral) => this.referrals.follow(call, referral);
    const line = this.lineMap.get(call.lineId);
    const rtp = new RtpWatch(call, line?.account.rtpTimeout ?? DEFAULT_RTP_TIMEOUT_S, this.clock, (pc) => this.platform.readStats(pc));
    // A lost media path is renewed by a re-INVITE with ICE restart; the platform decides when.
    let unwatchIce: (() => void) | undefined;
    call.on("change", (s) => {
      if (s.state === CallState.Established) rtp.start();
      const pc = s.state === CallState.Established ? call.peerConnection : undefined;
      if (pc) unwatchIce ??= this.platform.watchConnection?.(pc, () => call.refresh({ iceRestart: true, attempts: 2 }));
      if (s.state === CallState.Ended) rtp.stop();
      if (s.state === CallState.Ended) unwatchIce?.();
      this.tones.update(this.liveCalls());
      this.emit("call-state", s);
      if (s.state === CallState.Ended) this.callEnded(call);
    });
    this.tones.update(this.liveCalls());
    this.emit("call-state", call.snapshot);
    return call;
  }

  // ---- inside ----

  private callEnded(call: Call): void {
    this.callMap.delete(call.id);
    this.referrals.callEnded(call.id);
    void this.conferenceCalls?.memberEnded(call.id);
    this.tones.update(this.liveCalls());
    this.outgoing.callEnded(call);
  }

  /** The calls that act as one with `call`: its conference, or itself. */
  private groupOf(call: Call): Call[] {
    return this.conferenceCalls?.group(call) ?? [call];
  }

  private lineSnapshot(line: Line): LineSnapshot {
    return { ...line.snapshot, ...this.policy.flags(line.id), ...this.voicemail.snapshotOf(line) };
  }

  private policiesChanged(): void {
    for (const line of this.lineMap.values()) this.emit("line-state", this.lineSnapshot(line));
  }

  private requireLine(lineId: string): Line {
    const line = this.lineMap.get(lineId);
    if (!line) throw new PhoneError(`No line "${lineId}"`, "no-line", { lineId });
    return line;
  }

  private pickLine(lineId: string | undefined, required: boolean): Line | undefined {
    if (lineId) {
      const line = this.lineMap.get(lineId);
      if (!line && required) throw new PhoneError(`No line "${lineId}"`, "no-line", { lineId });
      return line;
    }
    const line = [...this.lineMap.values()].find((l) => l.account.enabled !== false);
    if (!line && required) throw new PhoneError("No account is set up: add one first", "no-line");
    return line;
  }

  private createLine(account: AccountConfig): Line {
    const line = new Line(account, {
      sdhFactory: this.platform.sdhFactory(account),
      onInvite: (l, invitation) => this.incoming.receive(l, invitation),
      onNotify: (l, notification) => this.voicemail.unsolicited(l, notification),
      onMessage: (l, message) => this.messaging.receive(l, message),
      transportConstructor: this.transport,
      timing: this.options.lineTiming,
      clock: this.clock,
      probeOffline: this.options.probeOffline,
    });
    line.on("change", () => {
      this.voicemail.lineChanged(line);
      this.messaging.lineChanged(line);
      this.emit("line-state", this.lineSnapshot(line));
    });
    line.on("reconnected", () => {
      for (const call of this.callMap.values()) {
        if (call.lineId === line.id && call.state === CallState.Established) void call.refresh({ iceRestart: this.networkChanged });
      }
      this.networkChanged = false;
    });
    this.presence.lineAdded(line);
    return line;
  }
}

/**
 * The value of `load()`, loaded on the first call and shared by every later one. A failed load
 * (the chunk could not be fetched) is tried again next time rather than remembered.
 */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () =>
    (value ??= load().catch((e: unknown) => {
      value = undefined;
      throw e;
    }));
}
