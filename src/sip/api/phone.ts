import type { Invitation } from "sip.js";
import type { AudioSettings } from "../../config/audio-settings.js";
import type { AccountConfig, PhoneConfig } from "../../config/phone-config.js";
import { validateConfig } from "../../config/phone-config.js";
import { systemClock, type Clock } from "../core/clock.js";
import { Emitter } from "../core/emitter.js";
import { once } from "../core/load-once.js";
import { SipTrace } from "../core/sip-trace.js";
import type { AudioDeviceList } from "./audio-devices.js";
import type { Call } from "./call.js";
import { CallRegistry } from "./call-registry.js";
import { CallState, type CallSnapshot } from "./call-state.js";
import { CallTones } from "./call-tones.js";
import type { Conference } from "./conference.js";
import type { ForwardOptions } from "./forwarding.js";
import { IncomingCalls } from "./incoming-calls.js";
import { IncomingPolicy } from "./incoming-policy.js";
import { Messaging, type MessageOptions, type WaitingMessage } from "./messaging.js";
import type { Line } from "./line.js";
import { LineRegistry } from "./line-registry.js";
import type { LineSnapshot } from "./line-state.js";
import { PhoneError } from "./phone-errors.js";
import type { AnswerOptions, DialOptions, PhoneInternals } from "./phone-internals.js";
import type { PhoneEvents, PhoneOptions } from "./phone-options.js";
import type { CallStats, PhonePlatform } from "./platform.js";
import type { CallRecordings } from "./call-recordings.js";
import type { RecordingSink, RecordingState } from "./recording-media.js";
import { OutgoingCalls } from "./outgoing-calls.js";
import { tryRegistration, type TrialOutcome } from "./trial-registration.js";
import { StandbyLegs } from "./standby-legs.js";
import { Referrals } from "./referrals.js";
import { TargetResolver } from "./target-resolver.js";
import { park } from "./park.js";
import { Pickup } from "./pickup.js";
import type { Presence } from "./presence.js";
import type { PresenceSnapshot } from "./presence-state.js";
import { Voicemail } from "./voicemail.js";
import type { VideoCalls, VideoMedia } from "./video-calls.js";

export { PhoneError, type AnswerOptions, type DialOptions };
export type { PhoneEvents, PhoneOptions };

export { MAX_REDIRECTS } from "./outgoing-calls.js";

/** How long after a call is up the audio routing loads (when no setting loaded it before). */
const AUDIO_ROUTING_AFTER_MS = 1000;

/**
 * The phone: the one object the UI and the embedding API talk to (its public operations are
 * listed once in commands.ts). A façade: its lines are held by LineRegistry, its calls by
 * CallRegistry, and it composes the parts that do the work: IncomingPolicy, Referrals,
 * AttendedTransfer, Conference, ClickToCall, TargetResolver, CallTones. It knows SIP.js, and
 * nothing of Lit, the DOM or storage; the platform (sockets, WebRTC, audio) comes in through
 * `options.platform`.
 */
export class Phone extends Emitter<PhoneEvents> implements PhoneInternals {
  readonly platform: PhonePlatform;
  readonly clock: Clock;
  /** Every SIP message in and out, per line, credentials redacted (diagnostics view). */
  readonly trace = new SipTrace();
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
  /** Connections with the offer and ICE ready for the lines a call is likely from (standby-legs.ts). */
  private readonly standby: StandbyLegs;
  private readonly lineRegistry: LineRegistry;
  private readonly callRegistry: CallRegistry;
  /** Busy lamps load on the first watch(): most phones never watch anyone (docs/performance.md). */
  private presence: Presence | undefined;
  private readonly loadPresence = once(async () => {
    const { Presence } = await import("./presence.js");
    const presence = new Presence({
      clock: this.clock,
      targets: this.targets,
      line: (id) => this.lineRegistry.pick(id, false),
      changed: (snapshot) => this.emit("presence", snapshot),
      note: (lineId, text) => this.trace.add(lineId, "in", text),
    });
    for (const line of this.lineRegistry.all()) presence.lineAdded(line);
    return (this.presence = presence);
  });
  private readonly pickups: Pickup;
  private readonly voicemail: Voicemail;
  private readonly messaging: Messaging;
  /** Audio devices load when asked for, or with the first call (its microphone is then watched). */
  private readonly loadAudio = once(async () =>
    (await import("./phone-audio.js")).phoneAudio(this, {
      conference: () => this.conferenceCalls,
      outgoing: this.outgoing,
      announce: (notice) => this.emit("audio-device", notice),
    }),
  );

  /** Video loads with the first video call, request or camera list (video-calls.ts). */
  private videoCalls: VideoCalls | undefined;
  private readonly loadVideo = once(async () => {
    const platform = await this.platform.loadVideo?.();
    if (!platform) throw new PhoneError("This phone has no video", "no-video");
    const video = new (await import("./video-calls.js")).VideoCalls(platform);
    video.camera = this.camera;
    return (this.videoCalls = video);
  });
  /** The chosen camera (`setAudio({camera})`), until video loads. */
  private camera = "";

  /** Recording loads with the first record(), or the first call of a line with `autoRecord`. */
  private recordings: CallRecordings | undefined;
  private recordingSink: (() => Promise<RecordingSink>) | undefined;
  private readonly loadRecordings = once(
    async () =>
      (this.recordings = new (await import("./call-recordings.js")).CallRecordings({
        clock: this.clock,
        recorder: () => this.platform.loadRecorder?.(),
        sink: () => this.recordingSink?.(),
        call: (id) => this.callRegistry.get(id),
        group: (call) => this.callRegistry.groupOf(call),
        autoRecord: (call) => this.lineRegistry.get(call.lineId)?.account.autoRecord === true,
      })),
  );

  constructor(options: PhoneOptions) {
    super();
    this.platform = options.platform;
    this.clock = options.clock ?? systemClock;
    this.tones = new CallTones(this.platform.tones);
    this.standby = new StandbyLegs({
      clock: this.clock,
      open: (account) => this.platform.openStandby(account),
      lines: () => this.lineRegistry.all(),
    });
    this.platform.onNetworkChange?.(() => this.standby.networkChanged());
    this.outgoing = new OutgoingCalls(this, this.targets, this.clickToCall, this.standby);
    this.incoming = new IncomingCalls(this, this.policy, this.tones, {
      preopenMicrophone: options.preopenMicrophoneOnRing !== false,
      prepareAnswer: options.prepareAnswerOnRing !== false,
      announce: (snapshot) => this.emit("incoming-call", snapshot),
    });
    this.pickups = new Pickup({ get: (target) => this.presence?.get(target) }, this.outgoing, (id) => this.lineRegistry.pick(id, false));
    this.voicemail = new Voicemail(this.clock, (lineId) => this.lineRegistry.announce(lineId));
    this.messaging = new Messaging({
      clock: this.clock,
      pickLine: (lineId) => this.lineRegistry.pick(lineId, true)!,
      line: (id) => this.lineRegistry.get(id),
      resolve: async (target, line) => (await this.targets.resolve(target, line.account, line.domain)).uri,
      announce: (m) => this.emit("message", m),
    });
    this.callRegistry = new CallRegistry({
      platform: this.platform,
      clock: this.clock,
      tones: this.tones,
      referrals: this.referrals,
      outgoing: this.outgoing,
      conference: () => this.conferenceCalls,
      line: (id) => this.lineRegistry.get(id),
      announce: (snapshot) => {
        // The first call loads the audio routing, which then follows every call (phone-audio.ts).
        // A moment after the call is up: its import and device listing must not share the main
        // thread with the call's first packets (the first call of a page, issue 17).
        if (snapshot.state === CallState.Established)
          this.clock.setTimeout(() => this.loadAudio().catch(() => undefined), AUDIO_ROUTING_AFTER_MS);
        // A line with a call keeps a standby leg for a while (the next call is likely from it too).
        if (snapshot.state === CallState.Established && !snapshot.clickToCall) this.standby.use(snapshot.lineId);
        if (snapshot.state === CallState.Ended) this.standby.callEnded(snapshot.lineId);
        this.followRecording(snapshot);
        this.emit("call-state", snapshot);
      },
    });
    this.lineRegistry = new LineRegistry({
      platform: this.platform,
      clock: this.clock,
      transport: this.platform.transport((lineId, direction, text) => this.trace.add(lineId, direction, text)),
      timing: options.lineTiming,
      probeOffline: options.probeOffline,
      incoming: this.incoming,
      voicemail: this.voicemail,
      messaging: this.messaging,
      presence: { lineAdded: (line) => this.presence?.lineAdded(line) },
      policy: this.policy,
      reconnected: (line, networkChanged) => this.callRegistry.lineReconnected(line.id, networkChanged),
      announce: (snapshot) => {
        this.standby.linesChanged();
        this.emit("line-state", snapshot);
      },
    });
  }

  get lines(): LineSnapshot[] {
    return this.lineRegistry.snapshots;
  }

  get calls(): CallSnapshot[] {
    return this.callRegistry.snapshots;
  }

  /**
   * Registers once with `account`, which need not be among the lines, and unregisters at once
   * (trial-registration.ts): the set-up form's Test. Runs in this tab's phone whichever tab
   * leads, so the password typed never travels to another tab.
   */
  tryRegistration(account: AccountConfig, timeoutMs?: number): Promise<TrialOutcome> {
    return tryRegistration(this.lineRegistry.trialLine(account), this.clock, timeoutMs);
  }

  get currentConfig(): PhoneConfig {
    return this.lineRegistry.config;
  }

  /**
   * Applies a configuration: validates it whole first (throws ConfigError, changing nothing),
   * then starts new lines, restarts changed ones and stops removed ones.
   */
  configure(input: unknown): void {
    const config = validateConfig(input);
    const gone = this.lineRegistry.apply(config);
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
    this.callRegistry.endAllNow();
    this.lineRegistry.unregisterAll();
  }

  /** Tells every line the network is back (browser `online` event). */
  networkOnline(): void {
    this.standby.networkChanged();
    this.lineRegistry.networkOnline();
  }

  /** Which headers of incoming INVITEs the calls carry (`headers` in CallSnapshot). */
  setCaptureHeaders(names: string[]): void {
    this.policy.setCaptureHeaders(names);
  }

  /**
   * Goes "off-hook" on a line: the user types a number on it, so it gets a standby leg
   * (connection, offer, ICE) if it has none, and the microphone opens, as a desk phone's when
   * the handset is lifted. Safe to call repeatedly; onHook() closes the microphone.
   */
  offHook(lineId?: string): void {
    const line = this.lineRegistry.pick(lineId, false);
    if (line) this.outgoing.offHook(line);
  }

  /** The number was cleared or left alone: the microphone offHook() opened closes, if no call took it. */
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
      const line = this.lineRegistry.pick(options.lineId, true)!;
      if (!options.video) return this.outgoing.place(line, target, options);
      return this.loadVideo().then(async (video) => {
        const id = await this.outgoing.place(line, target, options, 0, [], video.constraints());
        const call = this.callRegistry.get(id);
        if (call) video.follow(call);
        return id;
      });
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  /** Answers a ringing call; `{video: true}`: with our camera on (else a video call is answered receive-only). */
  async answer(callId?: string, options: AnswerOptions = {}): Promise<void> {
    const call = this.findCall(callId, (c) => c.state === CallState.Incoming);
    const video = options.video ? await this.loadVideo() : undefined;
    if (video) video.follow(call);
    await this.holdOthers(new Set([call.id]));
    await call.answer(video?.constraints());
  }

  async decline(callId?: string, code: 486 | 603 = 603): Promise<void> {
    await this.findCall(callId, (c) => c.state === CallState.Incoming).decline(code);
  }

  async hangup(callId?: string): Promise<void> {
    await this.findCall(callId, (c) => c.state !== CallState.Ended).hangup();
  }

  /** Puts a call (or its whole conference) on hold, or takes it back (holding the others first). */
  async hold(callId: string, on = true): Promise<void> {
    const group = this.callRegistry.groupOf(this.findCall(callId));
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
    const line = this.lineRegistry.require(call.lineId);
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
    const line = this.lineRegistry.require(call.lineId);
    const { uri } = await this.targets.resolve(target, line.account, line.domain);
    const session = call.session as Invitation;
    if (call.state !== CallState.Incoming || !("reject" in session))
      throw new PhoneError("Only a ringing call can be redirected", "bad-state", { callId });
    await session.reject({ statusCode: 302, extraHeaders: [`Contact: <${uri.toString()}>`] });
  }

  /** Do-not-disturb for one line, or for all lines when `lineId` is undefined. */
  setDnd(on: boolean, lineId?: string, code?: 486 | 603): void {
    this.policy.setDnd(on, lineId, code);
    this.lineRegistry.announceAll();
  }

  /**
   * Forwarding of one line's calls to `target` (302), in `options.mode` (default "always",
   * unconditional; also "busy", "no-answer" after `options.after` s, "internal", "external":
   * forwarding.ts). No target clears that mode, or every mode when no mode is named.
   */
  setForward(lineId: string, target: string | undefined, options: ForwardOptions = {}): void {
    const line = this.lineRegistry.get(lineId);
    if (target && !line) throw new PhoneError(`No line "${lineId}"`, "no-line", { lineId });
    this.policy.setForward(lineId, target, line?.domain ?? "", options, line?.account);
    this.lineRegistry.announceAll();
  }

  /**
   * Sends a text message (RFC 3428 MESSAGE) to `target` on a line; resolves with its id on the
   * peer's 2xx, rejects with a PhoneError otherwise. While the line is down it waits and goes
   * when the line is back (messaging.ts). Every status change is a `message` event.
   */
  sendMessage(target: string, text: string, options: MessageOptions = {}): Promise<string> {
    return this.messaging.send(target, text, options);
  }

  /** Sends again messages still queued when the page that held them closed (the app keeps them). */
  resumeMessages(waiting: readonly WaitingMessage[]): void {
    for (const m of waiting) this.messaging.resume(m).catch(() => undefined);
  }

  /** Busy lamp: SUBSCRIBEs to `target`'s dialog state (or presence) and reports it in `presence` events. */
  watch(target: string, options: { lineId?: string } = {}): Promise<void> {
    return this.loadPresence().then((p) => p.watch(target, options.lineId));
  }

  /** Stops watching `target` (un-SUBSCRIBE). */
  unwatch(target: string): void {
    this.presence?.unwatch(target);
  }

  /** The watched parties and their states. */
  get watched(): PresenceSnapshot[] {
    return this.presence?.snapshots ?? [];
  }

  /** Picks up the call ringing at `target` (a watched party), or the group's with no target (pickup.ts). */
  pickup(target?: string, options: { lineId?: string } = {}): Promise<string> {
    return this.pickups.pickup(target || undefined, options.lineId);
  }

  /** Parks the other party of `callId` at the line's park extension (park.ts); the call here ends. */
  async park(callId: string): Promise<void> {
    const call = this.findCall(callId);
    await park(call, this.lineRegistry.require(call.lineId), (id, target) => this.transfer(id, target));
  }

  /** Takes back the call parked at `slot`: Replaces where the watched slot named it, else dials the slot (pickup.ts). */
  retrieve(slot: string, options: { lineId?: string } = {}): Promise<string> {
    return this.pickups.retrieve(slot, options.lineId);
  }

  mute(callId: string, on: boolean): void {
    // One microphone: muting in a conference mutes it towards every member.
    for (const c of this.callRegistry.groupOf(this.findCall(callId))) c.mute(on);
  }

  sendDtmf(callId: string, digits: string): Promise<void> {
    return this.findCall(callId).sendDtmf(digits);
  }

  /**
   * Turns our video on in a connected call (the camera, by re-INVITE: the other party is asked)
   * or off (the video stream removed for both sides, cameras closed). See video-calls.ts.
   */
  setVideo(callId: string, on: boolean): Promise<void> {
    return this.video(callId, (v, c) => v.setVideo(c, on));
  }

  /** Shares a screen in place of the camera (the browser asks which), or stops sharing. */
  shareScreen(callId: string, on: boolean): Promise<void> {
    return this.video(callId, (v, c) => v.shareScreen(c, on));
  }

  /** The other party asks for our video (`video.requested`): our camera on. */
  acceptVideo(callId: string): Promise<void> {
    return this.video(callId, (v, c) => v.accept(c));
  }

  /** The other party asks for our video: no (their video still shows, ours stays off). */
  declineVideo(callId: string): Promise<void> {
    return this.video(callId, (v, c) => v.decline(c));
  }

  /** Runs a video change on call `callId` once video is loaded. */
  private async video(callId: string, act: (video: VideoCalls, call: Call) => unknown): Promise<void> {
    const call = this.findCall(callId);
    await act(await this.loadVideo(), call);
  }

  /** The cameras, for the choice (`setAudio({camera: id})`, kept per browser). */
  async cameras(): Promise<{ id: string; label: string }[]> {
    return (await this.loadVideo()).cameras();
  }

  /** What a call's video area shows (this tab only: media never crosses tabs); undefined before video loaded. */
  videoMedia(callId: string): VideoMedia | undefined {
    const call = this.callRegistry.get(callId);
    return call && this.videoCalls?.media(call);
  }

  /** Media statistics of a call (packets, audio level), for the call screen and diagnostics. */
  async callStats(callId: string): Promise<CallStats | undefined> {
    const pc = this.callRegistry.get(callId)?.peerConnection;
    return pc ? this.platform.readStats(pc) : undefined;
  }

  /**
   * Records a call, both sides mixed into one file kept with its history entry, or pauses its
   * recording (`on` false: switched on again, the same file goes on); the file is finished when
   * the call ends. Resolves with the recording's state: "on", "paused", or "failed" with the
   * reason in the call's `recordingFailure`. The call goes on whatever happens to its recording.
   */
  async record(callId: string, on = true): Promise<RecordingState> {
    const call = this.findCall(callId);
    return (await this.loadRecordings()).record(call, on);
  }

  /** Where recordings are kept (the app's storage, loaded when a recording starts). */
  keepRecordingsWith(sink: () => Promise<RecordingSink>): void {
    this.recordingSink = sink;
  }

  /** A call changed: its recording follows; a call of an `autoRecord` line loads the recordings. */
  private followRecording(s: CallSnapshot): void {
    if (this.recordings) return this.recordings.callChanged(s);
    if (s.state === CallState.Established && !s.clickToCall && this.lineRegistry.get(s.lineId)?.account.autoRecord)
      this.loadRecordings().then(
        (r) => r.callChanged(s),
        () => undefined,
      );
  }

  /**
   * Chooses the microphone, the call's and the ringtone's outputs, voice processing and volumes
   * (a key left out stays): calls move at once, without a re-INVITE (audio-routing.ts).
   * Resolves with all the settings in force.
   */
  async setAudio(settings: AudioSettings): Promise<AudioSettings> {
    const applied = await (await this.loadAudio()).set(settings);
    // The camera is chosen here too (kept per browser with the audio devices); calls move to it.
    this.camera = applied.camera ?? "";
    await this.videoCalls?.cameraChosen(this.camera, this.callRegistry.live());
    return applied;
  }

  /** The audio devices, what this browser lets the phone choose, and the settings in force. */
  async audioDevices(): Promise<AudioDeviceList> {
    return (await this.loadAudio()).list();
  }

  /** Stops every line and call; the phone can be configured again afterwards. */
  async dispose(): Promise<void> {
    this.onHook();
    this.standby.releaseAll();
    await this.callRegistry.hangupAll();
    this.presence?.dispose();
    await this.lineRegistry.stopAll();
  }

  // ---- PhoneInternals: what the composed parts use ----

  line(id: string): Line | undefined {
    return this.lineRegistry.get(id);
  }

  call(id: string): Call | undefined {
    return this.callRegistry.get(id);
  }

  liveCalls(): Call[] {
    return this.callRegistry.live();
  }

  findCall(callId: string | undefined, match?: (c: Call) => boolean): Call {
    return this.callRegistry.find(callId, match);
  }

  newCall(...args: Parameters<CallRegistry["create"]>): Call {
    const call = this.callRegistry.create(...args);
    call.videoOffer = (body) => {
      this.loadVideo().then(
        (video) => video.offered(call, body),
        // No video here: the offer is answered receive-only (phone-sdh.ts) or refused by the platform.
        () => undefined,
      );
    };
    if (call.direction === "in") call.offered((call.session as Invitation).body);
    return call;
  }

  /** Holds every established call except `keep` (answering or dialing while in a call). */
  holdOthers(keep?: ReadonlySet<string>): Promise<void> {
    return this.callRegistry.holdOthers(keep);
  }

  track(call: Call, options?: { replaces?: Call }): Call {
    return this.callRegistry.track(call, options);
  }
}
