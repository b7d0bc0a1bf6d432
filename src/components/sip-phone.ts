import { LitElement, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { wordedPhone } from "./worded-phone.js";
import type { AudioSettings } from "../config/audio-settings.js";
import type { PhoneConfig } from "../config/phone-config.js";
import type { AudioDeviceList } from "../sip/api/audio-devices.js";
import type { CallSnapshot } from "../sip/api/call-state.js";
import type { LineSnapshot } from "../sip/api/line-state.js";
import type { ForwardOptions } from "../sip/api/forwarding.js";
import type { PresenceSnapshot } from "../sip/api/presence-state.js";
import { getLogger } from "../sip/core/logger.js";
import type { CallStats } from "../sip/api/platform.js";
import type { RecordingState } from "../sip/api/recording-media.js";
import { createApp } from "./app-factory.js";
import { AppLoadError } from "./deferred-app.js";
import { emit } from "./events.js";
import { appContext } from "./app-context.js";
import { appServiceFor, phoneServiceFor } from "./app-service.js";
import { phoneContext } from "./phone-context.js";
import type { PhoneService } from "./phone-service.js";
import { endedNotice, wordedError } from "./messages.js";
import { AppBadge } from "./app-badge.js";
import { MissedCalls } from "./missed-calls.js";
import { UnreadMessages } from "./unread-messages.js";
import { UpdateBanner } from "./update-banner.js";
import { AccountEditing } from "./account-editing.js";
import { PhoneViews, type View } from "./phone-views.js";
import { RequestsFromOutside } from "./requests-from-outside.js";
import { provideInside } from "./shadow-context.js";
import { sipPhoneStyles } from "./sip-phone-styles.js";
import { LanguageController } from "./language-controller.js";
import { ShortcutKeys } from "./shortcut-keys.js";
import { CallFocus } from "./call-focus.js";
import { applyLanguage, applyTheme } from "./theme.js";
import { WideLayout } from "./wide-layout.js";
import { HeadsetButtons } from "./headset-buttons.js";
import { CallPip } from "./call-pip.js";
import { openWindow, ScreenPopper } from "../app/screen-pop.js";
import { screenPopLink } from "./screen-pop-link.js";
import type { SipCallPanel } from "./call-panel.js";
import "./dial-pad.js";
import "./line-status.js";
import { CallCards } from "./call-cards.js";

const log = getLogger("sip-phone");

/**
 * The whole phone as one element. Its public methods are the embedding API
 * (docs/embedding.md); they are thin calls into the phone.
 */
@customElement("sip-phone")
export class SipPhone extends LitElement {
  static override styles = sipPhoneStyles;

  /**
   * A JS-private field, and contexts provided without a property: nothing reachable from the
   * element (`el.anything`) leads to the configuration and its passwords. Host pages get
   * snapshots (lines, calls) and methods, never secrets. The app comes from the factory the
   * entry point set (app-factory.ts): the real one in a page, a fake in tests. The views get
   * narrow services (app-service.ts), and only views inside this shadow tree get them.
   */
  readonly #app = createApp();
  /** The language it speaks (its `lang`, its ancestors', the browser's), for it and its views. */
  readonly #language = new LanguageController(this);
  /** The phone with sentences on its snapshots: what components and the host page see. */
  readonly #phone = wordedPhone(this.#app.phone, () => this.#language.words);
  /** Links that dial and provisioning links, asked about before they act. */
  readonly #outside = new RequestsFromOutside(this, {
    config: () => this.#app.config,
    // Straight to the app: the public configure() waits for `ready`, which waits for config-url.
    configure: (c) => this.#app.configure(c),
    lines: () => this.#phone.lines,
    preferredLines: (lineId) => [lineId, this.line, this.#app.settings.defaultLineId],
    dial: (target, options) => this.dial(target, options),
    applied: () => (this.#form.editing = false),
    notice: (text, kind) => this.showNotice(text, kind),
  });
  readonly #form = new AccountEditing(this, (account) => this.#app.saveAccount(account));
  readonly #views = new PhoneViews(this, () => {
    this.#form.editing = false;
    // "Call ended" and the like were news on the view they came up on, not on every view after.
    if (this.notice?.kind === "info") this.notice = undefined;
    void this.refreshMissed();
  });
  readonly #update = new UpdateBanner(this, () => this.callList.some((c) => c.state !== "ended"));
  /** The installed app's icon: missed calls, unread messages and new voicemails together. */
  readonly #badge = new AppBadge();
  readonly #missed = new MissedCalls(this, () => this.#app.missedCount(), this.#badge);
  readonly #unread = new UnreadMessages(this, () => this.#app.unreadMessages(), this.#badge);
  /** Keyboard shortcuts (keyboard-shortcuts.ts), where the `keyboard-shortcuts` attribute says. */
  readonly #keys = new ShortcutKeys(this, {
    calls: () => this.#phone.calls,
    run: (s) => {
      if (s.action === "tone") return this.#phone.sendDtmf(s.callId, s.key);
      if (s.action === "mute" || s.action === "hold") return this.#phone[s.action](s.callId, s.on);
      if (s.action === "decline") return this.#phone.decline(s.callId, 603);
      return s.action === "answer" ? this.#phone.answer(s.callId) : this.#phone.hangup(s.callId);
    },
    openTransfer: (callId) => void this.callPanel(callId)?.openTransfer(),
    dialKey: (key) => {
      // With two panes the dialpad is always there: the other pane stays as it is.
      if (!this.#layout.wide) this.#views.open("phone");
      void this.updateComplete.then(() => this.renderRoot.querySelector("sip-dialpad")?.typeKey(key));
    },
    help: () => void this.showShortcuts(),
    failed: (message) => this.showNotice(message, "error"),
  });
  /** The caller's CRM page for lines with a `screenPop` (app/screen-pop.ts): one window per call, from the tab that holds the connection. */
  readonly #screenPop = new ScreenPopper({
    lineOf: (lineId) => {
      const account = this.#app.config.accounts.find((a) => a.id === lineId);
      return account && { screenPop: account.screenPop, label: this.#phone.lines.find((l) => l.id === lineId)?.label ?? lineId };
    },
    open: openWindow,
    opens: () => this.#phone.isLeader,
  });
  /** Two panes when the element is wide enough (wide-layout.ts). */
  readonly #layout = new WideLayout(this);
  /** The call cards' code, loaded with the first call (call-cards.ts). */
  readonly #cards = new CallCards(this, () => this.#language.words);
  /** The focus goes to a ringing call's Answer button and back (call-focus.ts). */
  readonly #focus = new CallFocus({
    updated: async () => {
      await this.updateComplete;
      // The cards are rendered once their code is here (call-cards.ts), each then renders itself.
      await this.#cards.ready;
      await this.updateComplete;
      await Promise.all([...this.renderRoot.querySelectorAll("sip-call-panel")].map((p) => p.updateComplete));
    },
    focusCall: (callId) => this.callPanel(callId)?.focusAction() ?? false,
  });

  /** A configuration to fetch and apply at start (same JSON as configure()). */
  @property({ attribute: "config-url" }) configUrl?: string;
  @state() private callList: CallSnapshot[] = [];
  @state() private loaded = false;
  @state() private notice: { text: string; kind: "info" | "error" } | undefined;
  /**
   * Headers of incoming INVITEs to pass on in `incoming-call` and `call-state` events (`detail.headers`),
   * comma-separated: `headers="X-Customer-Id, Subject"`.
   */
  @property() headers = "";
  /** Line used for calls from the dialpad and dial() without a lineId. */
  @property() line?: string;
  /**
   * Where the keyboard shortcuts act: "element" (default: while the focus is inside the phone),
   * "page" (anywhere in the page: the app page), "off". See docs/embedding.md.
   */
  @property({ attribute: "keyboard-shortcuts" }) keyboardShortcuts?: "element" | "page" | "off";
  @state() private shortcutHelp = false;
  private unsubscribe: Array<() => void> = [];
  /** New voicemails per line, for the app badge. */
  readonly #voicemail = new Map<string, number>();
  /** Provisioning links being applied (provision()). */
  #provisioning = 0;
  private started: Promise<unknown> | undefined;

  constructor() {
    super();
    provideInside(this, phoneContext, phoneServiceFor(this.#phone as PhoneService));
    provideInside(this, appContext, appServiceFor(this.#app));
    // Headset buttons: Media Session actions and WebHID headsets, loaded on first use (a controller of this element).
    new HeadsetButtons(this, this.#phone as PhoneService, () => this.#language.words);
    // The call window that stays in sight while the tab is in the background (call-pip.ts).
    new CallPip(this, this.#phone as PhoneService, () => this.#language.words);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const phone = this.#phone;
    const onLine = (l: LineSnapshot) => {
      // Kept per line from the events: summing every line's snapshot at each event cost
      // 0.24 s over a 1000-line start (docs/performance.md).
      const waiting = l.voicemail?.new ?? 0;
      if ((this.#voicemail.get(l.id) ?? 0) !== waiting) {
        if (waiting) this.#voicemail.set(l.id, waiting);
        else this.#voicemail.delete(l.id);
        // A line removed since keeps no count (read only when a count changes: rare).
        const live = new Set(phone.lines.map((x) => x.id));
        for (const id of this.#voicemail.keys()) if (!live.has(id)) this.#voicemail.delete(id);
        this.#badge.set(
          "voicemail",
          [...this.#voicemail.values()].reduce((n, x) => n + x, 0),
        );
      }
      emit(this, "line-state", l);
    };
    this.unsubscribe = [
      phone.on("line-state", onLine),
      phone.on("message", (m) => emit(this, "message", m)),
      this.#app.on("messages-changed", () => void this.#unread.refresh()),
      phone.on("presence", (p) => emit(this, "presence", p)),
      phone.on("audio-device", async (n) => {
        // A chosen audio device went or came back: rare news, whose words load when it comes.
        const worded = (await import("./audio-words.js")).wordedAudioNotice(this.#language.words, n);
        this.notice = { text: worded.message, kind: "info" };
        emit(this, "audio-device", worded);
      }),
      phone.on("call-state", (c) => {
        this.callList = phone.calls;
        if (c.state !== "ended") this.#cards.need();
        this.#update.callsChanged();
        void this.#focus.callChanged(c, phone.calls);
        this.#screenPop.callChanged(c);
        if (c.state === "ended") this.noteEnded(c);
        else if (c.state !== "incoming") this.notice = undefined;
        emit(this, "call-state", c);
      }),
      phone.on("incoming-call", (c) => {
        this.notice = undefined;
        emit(this, "incoming-call", c);
      }),
      this.#app.on("history-changed", () => void this.refreshMissed()),
      this.#app.on("settings-changed", () => {
        applyTheme(this, this.#app.settings.theme);
        applyLanguage(this, this.#app.settings.language);
        void this.refreshMissed();
      }),
    ];
    // An app that started before this element (the app page registers before its views load,
    // src/main.ts): its lines are announced as they are now, as their events would have been.
    if (!this.started) for (const l of phone.lines) onLine(l);
    this.started ??= this.#app.start().then(
      async (saved) => {
        if (this.configUrl) await this.#outside.provision(this.configUrl);
        applyTheme(this, this.#app.settings.theme);
        applyLanguage(this, this.#app.settings.language);
        this.loaded = true;
        // First run: the set-up form, unless a provisioning link is being applied (provision()).
        if (!saved && !this.#app.config.accounts.length && !this.#provisioning) this.#form.editing = true;
        void this.refreshMissed();
        void this.#unread.refresh();
      },
      (e: Error) => {
        this.loaded = true;
        const id = e instanceof AppLoadError ? "phone.notLoaded" : "phone.settingsUnreadable";
        this.notice = { text: this.#language.words.t(id, { why: e.message }), kind: "error" };
      },
    );
  }

  override willUpdate(changed: Map<string, unknown>): void {
    this.#form.load();
    if (changed.has("keyboardShortcuts")) this.#keys.listen();
    if (changed.has("headers")) this.#app.captureHeaders(this.headers.split(",").filter((h) => h.trim()));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
  }

  // ---- public API (docs/embedding.md) ----

  /**
   * The language the phone speaks now ("en", "de"): its `lang` attribute, else its nearest
   * ancestor's, else the browser's first that the phone has words for (docs/translating.md).
   */
  get language(): string {
    return this.#language.words.lang;
  }

  /** Resolves when the saved configuration has been loaded and applied. */
  get ready(): Promise<void> {
    return (this.started ?? Promise.resolve()).then(() => undefined);
  }

  /** Replaces the configuration (validated whole, saved encrypted, then applied). */
  async configure(config: PhoneConfig): Promise<void> {
    await this.ready;
    await this.#app.configure(config);
    this.#form.editing = false;
  }

  get lines(): LineSnapshot[] {
    return this.#phone.lines;
  }

  get calls(): CallSnapshot[] {
    return this.#phone.calls;
  }

  /**
   * Places a call: a number (any usual notation), a `tel:` or `sip:` URI. `mode` "desk" makes
   * the line's desk phone dial, "reverse" calls the number first and then the desk phone;
   * default: the line's `clickToCall`. `video`: a video call (the camera opens with the microphone).
   */
  dial(target: string, options: { lineId?: string; mode?: "browser" | "desk" | "reverse"; video?: boolean } = {}): Promise<string> {
    return this.#phone.dial(target, {
      lineId: options.lineId ?? this.line,
      ...(options.mode ? { mode: options.mode } : {}),
      ...(options.video ? { video: true } : {}),
    });
  }

  /**
   * Dials `target` the way a link does (docs/security.md): shows the normalised number and the
   * line with a focused Call button, and dials only when the user presses it (Enter), unless
   * the line has `dialLinksWithoutConfirm`. Resolves with the call id, or undefined when the
   * user cancels (Cancel, Esc).
   */
  confirmDial(target: string, options: { lineId?: string } = {}): Promise<string | undefined> {
    return this.#outside.confirmDial(target, options);
  }

  /**
   * Fetches a configuration from `source` and applies it (same JSON as configure()): only
   * https: of this origin or of origins the deployment allows, and only after the user has
   * seen and accepted what changes, if the phone has lines already. Resolves true when applied;
   * otherwise the notice says why and nothing changed.
   */
  async provision(source: string): Promise<boolean> {
    // The file is fetched while the phone starts; the first-run form waits for its outcome.
    this.#provisioning++;
    try {
      const applied = await this.#outside.provision(source, this.ready);
      if (!applied && !this.#app.config.accounts.length) this.#form.editing = true;
      return applied;
    } finally {
      this.#provisioning--;
    }
  }

  /** Answers a ringing call; `{video: true}` with our camera on (else a video call is answered receive-only). */
  answer(callId?: string, options: { video?: boolean } = {}): Promise<void> {
    return options.video ? this.#phone.answer(callId, { video: true }) : this.#phone.answer(callId);
  }

  decline(callId?: string, code: 486 | 603 = 603): Promise<void> {
    return this.#phone.decline(callId, code);
  }

  hangup(callId?: string): Promise<void> {
    return this.#phone.hangup(callId);
  }

  /** Returns nothing (documented so): an error (no such call) is logged, not thrown. */
  mute(callId: string, on: boolean): void {
    this.#phone.mute(callId, on).catch((e: Error) => log.warn("mute:", e.message));
  }

  sendDtmf(callId: string, digits: string): Promise<void> {
    return this.#phone.sendDtmf(callId, digits);
  }

  hold(callId: string): Promise<void> {
    return this.#phone.hold(callId, true);
  }

  unhold(callId: string): Promise<void> {
    return this.#phone.hold(callId, false);
  }

  /** Takes `callId` back from hold and holds the call that was active. */
  swap(callId: string): Promise<void> {
    return this.#phone.swap(callId);
  }

  /** Blind transfer (REFER); progress appears as `call.transfer` in call-state events. */
  transfer(callId: string, target: string): Promise<void> {
    return this.#phone.transfer(callId, target);
  }

  /** Consultation transfer: holds `callId`, calls `target`; resolves with the new call's id. */
  startConsultation(callId: string, target: string): Promise<string> {
    return this.#phone.startConsultation(callId, target);
  }

  /** Completes a consultation transfer (REFER with Replaces): the two other parties talk. */
  completeTransfer(consultCallId: string): Promise<void> {
    return this.#phone.completeTransfer(consultCallId);
  }

  /** Hangs up a consultation call and takes the held call back. */
  cancelConsultation(consultCallId: string): Promise<void> {
    return this.#phone.cancelConsultation(consultCallId);
  }

  /** Joins connected calls into a conference mixed in the browser. */
  conference(callIds: string[]): Promise<void> {
    return this.#phone.conference(callIds);
  }

  /** Back from a conference to separate calls (all but one held). */
  splitConference(): Promise<void> {
    return this.#phone.splitConference();
  }

  /** Leaves a conference of two other parties, who stay connected to each other. */
  leaveConference(): Promise<void> {
    return this.#phone.leaveConference();
  }

  /**
   * Follows (true) or refuses (false) a transfer the other party asks for (referPolicy "ask").
   * Returns nothing: an error is logged (acceptReferral/declineReferral reject with it).
   */
  answerReferral(callId: string, follow: boolean): void {
    (follow ? this.acceptReferral(callId) : this.declineReferral(callId)).catch((e: Error) => log.warn("referral:", e.message));
  }

  /** Follows a transfer the other party asks for (referPolicy "ask", `call.referral` set). */
  acceptReferral(callId: string): Promise<void> {
    return this.#phone.acceptReferral(callId);
  }

  /** Refuses a transfer the other party asks for: the transferor hears 603. */
  declineReferral(callId: string): Promise<void> {
    return this.#phone.declineReferral(callId);
  }

  /** Sends a ringing call elsewhere (302). */
  redirect(callId: string, target: string): Promise<void> {
    return this.#phone.redirect(callId, target);
  }

  /** Do-not-disturb for one line or (no lineId) all lines; callers get `code` (486 or 603). */
  setDnd(on: boolean, options: { lineId?: string; code?: 486 | 603 } = {}): Promise<void> {
    return this.#app.setDnd(on, options.lineId, options.code);
  }

  /**
   * Call forwarding of a line: `mode` "always" (the default), "busy", "no-answer" (after `after`
   * seconds of ringing), "internal" or "external" callers only. No target turns that mode off,
   * or every mode when no mode is given.
   */
  setForward(lineId: string, target?: string, options: ForwardOptions = {}): Promise<void> {
    return this.#app.setForward(lineId, target, options);
  }

  /** Busy lamp: watches `target`'s calls (RFC 4235 dialog event, else presence), kept across reloads; `presence` events follow. */
  watch(target: string, options: { lineId?: string } = {}): Promise<void> {
    return this.#app.watch(target, options.lineId ?? this.line);
  }

  /** Stops watching `target`. */
  unwatch(target: string): Promise<void> {
    return this.#app.unwatch(target);
  }

  /** The watched parties and their states: idle, ringing, busy, offline, unknown. */
  get watched(): PresenceSnapshot[] {
    return this.#phone.watched;
  }

  /** Picks up the call ringing at a watched `target` (Replaces, else the line's pickup code); no target: group pickup. */
  pickup(target?: string, options: { lineId?: string } = {}): Promise<string> {
    return this.#phone.pickup(target, { lineId: options.lineId ?? this.line });
  }

  /** Parks the other party of `callId` at the line's `parkExtension` (blind transfer). */
  park(callId: string): Promise<void> {
    return this.#phone.park(callId);
  }

  /** Takes back the call parked at `slot` (Replaces where the watched slot named it, else dials the slot). */
  retrieve(slot: string, options: { lineId?: string } = {}): Promise<string> {
    return this.#phone.retrieve(slot, { lineId: options.lineId ?? this.line });
  }

  /**
   * Sends a text message (RFC 3428): resolves with its id when the other side has it (2xx),
   * rejects with a PhoneError whose message says why otherwise; while the line is down it waits
   * and goes when the line is back. Every status change is a `message` event.
   */
  sendMessage(target: string, text: string, options: { lineId?: string } = {}): Promise<string> {
    return this.#phone.sendMessage(target, text, { lineId: options.lineId ?? this.line }).catch((e: unknown) => {
      throw wordedError(this.#language.words, e);
    });
  }

  /** Media statistics of a call: packets, loss, jitter, remote audio level. */
  callStats(callId: string): Promise<CallStats | undefined> {
    return this.#phone.callStats(callId);
  }

  /**
   * Chooses the microphone, the call's output (`speaker`) and the ringtone's (`ringer`) by device
   * id from audioDevices() ("" the default), voice processing and volumes; a key left out stays.
   * Calls in progress move at once, without a re-INVITE; kept for this browser.
   */
  setAudio(settings: AudioSettings): Promise<void> {
    return this.#app.setAudio(settings);
  }

  /** The audio devices, whether outputs can be chosen in this browser, the settings and the chosen devices missing now. */
  audioDevices(): Promise<AudioDeviceList> {
    return this.#phone.audioDevices();
  }

  /**
   * Records a connected call, both sides mixed, into one Opus file kept with its history entry
   * (played, downloaded and deleted from the history), or pauses the recording (`on` false).
   * Resolves with `"on"`, `"paused"` or `"failed"` (why: the call's `recordingFailure`); the call
   * goes on whatever happens to its recording. docs/media.md, Recording.
   */
  record(callId: string, on = true): Promise<RecordingState> {
    return this.#phone.record(callId, on);
  }

  /**
   * Our video in a connected call: on (the camera, by re-INVITE; the other party is asked) or
   * off (the video stream removed for both sides, cameras closed). docs/media.md, Video.
   */
  setVideo(callId: string, on: boolean): Promise<void> {
    return this.#phone.setVideo(callId, on);
  }

  /** Shares a screen (the browser asks which) in place of the camera, or stops sharing. */
  shareScreen(callId: string, on: boolean): Promise<void> {
    return this.#phone.shareScreen(callId, on);
  }

  /** The other party asks for our video (`call.video.requested`): yes, our camera on. */
  acceptVideo(callId: string): Promise<void> {
    return this.#phone.acceptVideo(callId);
  }

  /** The other party asks for our video: no (their video still shows, ours stays off). */
  declineVideo(callId: string): Promise<void> {
    return this.#phone.declineVideo(callId);
  }

  /** The cameras (names once the camera was allowed); choose one with `setAudio({camera: id})`. */
  cameras(): Promise<{ id: string; label: string }[]> {
    return this.#phone.cameras();
  }

  /**
   * This tab holds the SIP connections (one tab per browser profile does; the others go through
   * it, see app/shared-phone.ts).
   */
  get holdsConnection(): boolean {
    return this.#phone.isLeader;
  }

  /** Opens a view: "phone", "history", "messages", "contacts", "lines" or "settings" (the app's shortcuts use it). */
  showView(view: View): void {
    this.#views.open(view);
  }

  /**
   * A new version of the app is waiting: ask the user. `apply` runs when they agree, and not
   * before the last call has ended.
   */
  announceUpdate(apply: () => void): void {
    this.#update.announce(apply);
  }

  /** Shows a message above the dialpad (provisioning errors, host page notices). */
  showNotice(text: string, kind: "info" | "error" = "info"): void {
    this.notice = { text, kind };
  }

  /** Shows the list of keyboard shortcuts (the `?` key); its code loads on first use. */
  async showShortcuts(): Promise<void> {
    await import("./shortcut-help.js");
    this.shortcutHelp = true;
    await this.updateComplete;
    await this.renderRoot.querySelector("sip-shortcut-help")?.show();
  }

  // ---- rendering ----

  private callPanel(callId: string): SipCallPanel | undefined {
    return [...this.renderRoot.querySelectorAll("sip-call-panel")].find((p) => p.call?.id === callId);
  }

  private refreshMissed(): Promise<void> {
    return this.#missed.refresh(this.#views.current === "history");
  }

  private noteEnded(c: CallSnapshot): void {
    this.notice = endedNotice(this.#language.words, c);
  }

  override render() {
    const active = this.callList.filter((c) => c.state !== "ended");
    // While talking, the call's own keypad sends tones; the dialpad returns when the call ends.
    const inCall = active.some((c) => c.state !== "incoming");
    const wide = this.#layout.wide;
    this.#views.wide = wide;
    const tabs = this.loaded
      ? this.#views.renderTabs(!this.#form.editing, { missed: this.#missed.count, unread: this.#unread.count })
      : nothing;
    const view = this.#form.editing ? this.#form.render() : this.#views.renderView(inCall, this.line);
    const phone = html`
      ${this.notice ? html`<p class="notice" part="notice" data-kind=${this.notice.kind} role="status">${this.notice.text}</p>` : nothing}
      ${this.#outside.render()}
      <div class="calls" part="calls">
        ${(this.#cards.loaded ? active : []).map(
          (c) =>
            html`<sip-call-panel exportparts="call, call-actions" .call=${c}></sip-call-panel
              >${screenPopLink(this.#language.words, this.#screenPop.stateOf(c.id))}`,
        )}
      </div>
    `;
    return html`
      <div class="bar" part="bar">
        <sip-line-status></sip-line-status>
      </div>
      ${
        wide
          ? html`${this.#update.render()}
              <div class="panes">
                <section class="phone-pane" part="phone-pane" aria-label=${this.#language.words.t("views.phone")}>
                  ${phone}${this.#form.editing ? nothing : this.#views.renderDialpad(inCall, this.line)}
                </section>
                <div class="view-pane" part="view-pane">${tabs}${view}</div>
              </div>`
          : html`${tabs}${this.#update.render()}${phone}${view}`
      }
      ${this.shortcutHelp ? html`<sip-shortcut-help></sip-shortcut-help>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-phone": SipPhone;
  }
}
