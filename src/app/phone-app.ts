import type { AudioSettings } from "../config/audio-settings.js";
import type { AccountConfig, PhoneConfig, RingtonesConfig } from "../config/phone-config.js";
import { parseConfigText, validateConfig } from "../config/phone-config.js";
import { CallState } from "../sip/api/call-state.js";
import { Emitter } from "../sip/core/emitter.js";
import { getLogger, setLogLevel } from "../sip/core/logger.js";
import { isForwardMode, type ForwardOptions } from "../sip/api/forwarding.js";
import type { Phone } from "../sip/api/phone.js";
import type { TrialOutcome } from "../sip/api/trial-registration.js";
import { loadConfig, saveConfig } from "../storage/config-store.js";
import { deleteContact, listContacts, saveContact, type Contact } from "../storage/contacts-store.js";
import {
  allHistory,
  clearHistory,
  deleteHistoryEntry,
  historyToCsv,
  pruneHistory,
  recentHistory,
  type HistoryEntry,
} from "../storage/history-store.js";
import type { StoredRecording } from "../storage/recording-store.js";
import { once } from "../sip/core/load-once.js";
import { markRead, pruneMessages, recentMessages, unreadByRemote, type StoredMessage } from "../storage/message-store.js";
import { loadSettings, updateSettings, type Settings } from "../storage/settings-store.js";
import { readStoredStart, type StoredStart } from "./stored-start.js";
import { CallQualityWatch } from "./call-quality-watch.js";
import { CallRecorder } from "./call-recorder.js";
import { historyRetentionOf } from "./history-retention.js";
import { MessageRecorder } from "./message-recorder.js";
import type { RingtoneLibrary } from "./ringtone-library.js";
import { withSavedSecrets } from "./saved-secrets.js";
import { SharedPhone } from "./shared-phone.js";
import { UnloadGuard } from "./unload-guard.js";

const log = getLogger("app");
/** Call recordings kept, played and deleted (loaded with the first). */
const callAudio = () => import("./call-audio-recording.js");

export interface AppEvents {
  "history-changed": void;
  "contacts-changed": void;
  "settings-changed": Settings;
  /** Stored messages changed (one arrived or was sent, its status changed, or some were read). */
  "messages-changed": void;
}

/**
 * Joins the phone to this page: saved configuration in, configuration changes saved
 * (validated first, all or nothing), calls into the history, browser network events to the
 * lines, settings and contacts. It is given its `Phone` (compose.ts builds the browser's; unit
 * tests pass one over a test platform), so it imports no platform itself.
 */
export class PhoneApp extends Emitter<AppEvents> {
  /** What the UI and the element API use: the phone of this tab, or of the tab that leads. */
  readonly phone: SharedPhone;
  /** The SIP phone of this tab; it has lines only while this tab leads (see SharedPhone). */
  private readonly local: Phone;
  private configState: PhoneConfig = { version: 1, accounts: [] };
  settings: Settings = { historyViewedAt: 0 };
  private readonly onOnline = () => this.local.networkOnline();
  private readonly onPageHide = (e: Event) => {
    // A page kept in the back/forward cache may come back: then it registers again on pageshow.
    if (!(e as PageTransitionEvent).persisted) this.local.pageUnloading();
  };
  private readonly unloadGuard = new UnloadGuard();
  private readonly messages = new MessageRecorder({
    saved: () => this.messagesChanged(),
    failed: (e) => log.error("message not saved:", e.message),
  });

  /** The configuration's last write (configure()). */
  private lastSave: Promise<void> = Promise.resolve();
  /** The first read of the settings and configuration, if the entry point started it (stored-start.ts). */
  private stored: Promise<StoredStart> | undefined;

  /**
   * `tabGroup`: tabs of one group share one leader (BroadcastChannel and Web Lock names).
   * `stored`: the reads start() would make, already under way.
   */
  constructor(local: Phone, options: { tabGroup?: string; stored?: Promise<StoredStart> } = {}) {
    super();
    this.local = local;
    this.stored = options.stored;
    this.phone = new SharedPhone(this.local, options.tabGroup);
    // Only the leading tab has calls, so each call is recorded once, and only closing that
    // tab ends them (a follower's pagehide finds no call in its own phone).
    const recorder = new CallRecorder({
      labelOf: (lineId) => this.local.lines.find((l) => l.id === lineId)?.label ?? lineId,
      retention: () => historyRetentionOf(this.settings),
      saved: () => this.historyChanged(),
      failed: (e) => log.error("history not saved:", e.message),
      // Sampled here, beside the calls' media: never over the tab channel.
      quality: new CallQualityWatch((id) => this.local.callStats(id)),
    });
    // Call recordings are kept by this tab too, beside the calls' media (loaded with the first one).
    this.local.keepRecordingsWith(
      once(async () => {
        const { CallAudioKeeper } = await callAudio();
        return new CallAudioKeeper({ saved: () => this.historyChanged(), failed: (e) => log.error("recording not kept:", e.message) });
      }),
    );
    this.local.on("call-state", (c) => {
      recorder.record(c);
      this.unloadGuard.update(this.local.calls.some((call) => call.state !== CallState.Ended));
    });
    // Only the leading tab has the messages' events first-hand: it keeps them (message-recorder.ts).
    this.local.on("message", (m) => this.messages.record(m));
    this.phone.onPeer = (kind) => {
      if (kind === "history-changed") this.emit("history-changed", undefined);
      else if (kind === "messages-changed") this.emit("messages-changed", undefined);
      else if (kind === "config-changed") void this.reloadConfig();
      else void this.reloadSettings();
    };
  }

  /**
   * Loads the saved configuration and settings, then finds this tab's role: the leading tab
   * starts the lines, the others mirror it. Returns the configuration (undefined on first run).
   */
  async start(): Promise<PhoneConfig | undefined> {
    globalThis.addEventListener?.("online", this.onOnline);
    globalThis.addEventListener?.("pagehide", this.onPageHide);
    // Read once: a restart (stop, start) reads again.
    const [settings, saved] = await (this.stored ?? readStoredStart());
    this.stored = undefined;
    this.settings = settings;
    this.configState = saved ?? { version: 1, accounts: [] };
    setLogLevel(settings.logLevel ?? "warn");
    await this.phone.start((takeover) => this.lead(takeover));
    return saved;
  }

  /** This tab leads: start the lines (from storage again on a takeover: another tab may have changed them). */
  private async lead(takeover: boolean): Promise<void> {
    if (takeover) {
      const [settings, saved] = await Promise.all([loadSettings(), loadConfig()]);
      this.settings = settings;
      if (saved) this.configState = saved;
    }
    if (this.configState.accounts.length) this.local.configure(this.configState);
    this.applyPolicies();
    if (this.settings.audio)
      this.local.setAudio(this.settings.audio).catch((e: Error) => log.warn("audio settings not applied:", e.message));
    void this.applyRetention();
    void this.tidyMessages();
  }

  /** A closed leader's queued messages are sent, its half-sent ones fail; old messages go (message-store.ts retention). */
  private async tidyMessages(): Promise<void> {
    try {
      const settled = await this.messages.settleLeftovers((waiting) => this.local.resumeMessages(waiting));
      if (settled + (await pruneMessages())) this.messagesChanged();
    } catch (e) {
      log.warn("messages not tidied:", (e as Error).message);
    }
  }

  private messagesChanged(): void {
    this.emit("messages-changed", undefined);
    this.phone.announce("messages-changed");
  }

  /** Deletes the history the retention setting does not keep (when a tab starts to lead, and where the setting changes). */
  private async applyRetention(): Promise<void> {
    try {
      if (await pruneHistory(historyRetentionOf(this.settings))) this.historyChanged();
    } catch (e) {
      log.warn("history not pruned:", (e as Error).message);
    }
  }

  private historyChanged(): void {
    this.emit("history-changed", undefined);
    this.phone.announce("history-changed");
  }

  /** DND, forwarding and busy lamps from the settings onto the phone. */
  private applyPolicies(): void {
    const settings = this.settings;
    for (const { target, lineId } of settings.watched ?? [])
      this.local.watch(target, lineId ? { lineId } : {}).catch((e: Error) => log.warn("busy lamp not restored:", e.message));
    for (const id of settings.dnd ?? []) this.local.setDnd(true, id === "*" ? undefined : id, settings.dndCode);
    const forwards: { id: string; target: string; options: ForwardOptions }[] = [];
    for (const [id, target] of Object.entries(settings.forward ?? {})) forwards.push({ id, target, options: {} });
    for (const [id, modes] of Object.entries(settings.forwardModes ?? {})) {
      for (const [mode, { target, after }] of Object.entries(modes))
        if (isForwardMode(mode)) forwards.push({ id, target, options: after === undefined ? { mode } : { mode, after } });
    }
    for (const { id, target, options } of forwards) {
      try {
        this.local.setForward(id, target, options);
      } catch (e) {
        log.warn("forwarding not restored:", (e as Error).message);
      }
    }
  }

  /** Another tab saved a configuration: take it (and apply it, when this tab leads). */
  private async reloadConfig(): Promise<void> {
    const saved = await loadConfig();
    this.configState = saved ?? { version: 1, accounts: [] };
    if (this.phone.isLeader) {
      this.local.configure(this.configState);
      this.phone.publishState();
    }
  }

  private async reloadSettings(): Promise<void> {
    this.settings = await loadSettings();
    this.emit("settings-changed", this.settings);
  }

  async stop(): Promise<void> {
    globalThis.removeEventListener?.("online", this.onOnline);
    globalThis.removeEventListener?.("pagehide", this.onPageHide);
    this.unloadGuard.dispose();
    await this.local.dispose();
  }

  /** Headers of incoming INVITEs the host page wants in `incoming-call` (this tab's phone). */
  captureHeaders(names: string[]): void {
    this.local.setCaptureHeaders(names);
  }

  get config(): PhoneConfig {
    return this.configState;
  }

  /** Validates (ConfigError names every bad field), saves, then applies. Nothing changes on error. */
  async configure(input: unknown): Promise<void> {
    const config = validateConfig(input);
    // The lines register while the configuration is sealed and written (the first start makes
    // the encryption key too: tens of milliseconds), not after. All or nothing still: if the
    // write fails, the lines go back to what is saved, and the failure is the caller's to show.
    // One write after the other: the last configuration asked for is the one stored.
    const saving = (this.lastSave = this.lastSave.catch(() => undefined).then(() => saveConfig(config)));
    const before = this.configState;
    this.configState = config;
    const leading = this.phone.isLeader;
    if (leading) {
      this.local.configure(config);
      this.phone.publishState();
    }
    try {
      await saving;
    } catch (e) {
      // Unless another configure() came meanwhile: then that one is what stands.
      if (this.configState === config) {
        this.configState = before;
        if (leading) {
          this.local.configure(before);
          this.phone.publishState();
        }
      }
      throw e;
    }
    this.phone.announce("config-changed");
  }

  /**
   * Adds or replaces one account, keeping the others. An empty password keeps the saved one
   * only while the identity is unchanged (saved-secrets.ts): the editor never holds it.
   */
  async saveAccount(input: AccountConfig): Promise<void> {
    const saved = this.config.accounts.find((a) => a.id === input.id);
    const { account } = withSavedSecrets(input, saved);
    const accounts = this.config.accounts.some((a) => a.id === account.id)
      ? this.config.accounts.map((a) => (a.id === account.id ? account : a))
      : [...this.config.accounts, account];
    await this.configure({ version: 1, accounts });
  }

  /**
   * The set-up form's Test: registers once with `input` and unregisters at once, saving nothing.
   * Checked as a configuration first (ConfigError names each bad field); an empty password is
   * the saved one's while the line's identity is unchanged (saved-secrets.ts), as on Save.
   */
  async testAccount(input: AccountConfig): Promise<TrialOutcome> {
    const { account } = withSavedSecrets(
      input,
      this.config.accounts.find((a) => a.id === input.id),
    );
    const [checked] = validateConfig({ version: 1, accounts: [account] }).accounts;
    return this.local.tryRegistration(checked!);
  }

  async removeAccount(id: string): Promise<void> {
    await this.configure({ version: 1, accounts: this.config.accounts.filter((a) => a.id !== id) });
  }

  async setEnabled(id: string, enabled: boolean): Promise<void> {
    const account = this.config.accounts.find((a) => a.id === id);
    if (account) await this.saveAccount({ ...account, enabled });
  }

  /**
   * Imports a configuration file. An account exported without its password (empty) keeps the
   * password saved for the same id while its identity is unchanged (saved-secrets.ts), so
   * export → edit → import loses nothing and a file pointing the line elsewhere gets no password.
   */
  async importText(text: string): Promise<PhoneConfig> {
    const config = parseConfigText(text);
    const saved = new Map(this.config.accounts.map((a) => [a.id, a]));
    const merged: PhoneConfig = { version: 1, accounts: config.accounts.map((a) => withSavedSecrets(a, saved.get(a.id)).account) };
    await this.configure(merged);
    return merged;
  }

  /** The configuration as an import file; secrets only when asked for explicitly. */
  exportText(includeSecrets: boolean): string {
    const accounts = this.config.accounts.map((a) =>
      includeSecrets
        ? a
        : { ...a, password: "", ...(a.iceServers ? { iceServers: a.iceServers.map(({ credential: _c, ...s }) => s) } : {}) },
    );
    return JSON.stringify({ version: 1, accounts }, null, 2);
  }

  async updateSettings(patch: Partial<Settings>): Promise<void> {
    this.settings = await updateSettings(patch);
    setLogLevel(this.settings.logLevel ?? "warn");
    this.emit("settings-changed", this.settings);
    this.phone.announce("settings-changed");
    if (patch.historyRetention) await this.applyRetention();
  }

  /** Do-not-disturb for a line (or all lines), kept across reloads. */
  async setDnd(on: boolean, lineId?: string, code?: 486 | 603): Promise<void> {
    await this.phone.setDnd(on, lineId, code);
    const key = lineId ?? "*";
    const dnd = new Set(this.settings.dnd ?? []);
    if (on) dnd.add(key);
    else dnd.delete(key);
    await this.updateSettings({ dnd: [...dnd], ...(code ? { dndCode: code } : {}) });
  }

  /**
   * Forwarding of a line to `target` in `options.mode` (default unconditional); no target clears
   * that mode, or every mode when none is named. Kept across reloads.
   */
  async setForward(lineId: string, target: string | undefined, options: ForwardOptions = {}): Promise<void> {
    await this.phone.setForward(lineId, target, options);
    const forward = { ...(this.settings.forward ?? {}) };
    const forwardModes = { ...(this.settings.forwardModes ?? {}) };
    const modes = { ...(forwardModes[lineId] ?? {}) };
    const mode = options.mode ?? "always";
    if (!target && options.mode === undefined) {
      delete forward[lineId];
      delete forwardModes[lineId];
    } else if (mode === "always") {
      if (target) forward[lineId] = target;
      else delete forward[lineId];
    } else {
      if (target) modes[mode] = { target, ...(options.after === undefined ? {} : { after: options.after }) };
      else delete modes[mode];
      if (Object.keys(modes).length) forwardModes[lineId] = modes;
      else delete forwardModes[lineId];
    }
    await this.updateSettings({ forward, forwardModes });
  }

  /** Busy lamp on `target`, kept across reloads (settings.watched). */
  async watch(target: string, lineId?: string): Promise<void> {
    await this.phone.watch(target, lineId ? { lineId } : {});
    const watched = (this.settings.watched ?? []).filter((w) => w.target !== target);
    await this.updateSettings({ watched: [...watched, { target, ...(lineId ? { lineId } : {}) }] });
  }

  async unwatch(target: string): Promise<void> {
    await this.phone.unwatch(target);
    await this.updateSettings({ watched: (this.settings.watched ?? []).filter((w) => w.target !== target) });
  }

  /**
   * Audio devices, voice processing and volumes (a key left out stays): applied by the tab that
   * holds the calls (checked there first), then what it holds is kept for this browser.
   */
  async setAudio(patch: AudioSettings): Promise<void> {
    await this.updateSettings({ audio: await this.phone.setAudio(patch) });
  }

  /** A line's ringtones (Settings → Ringtones); applied without the line re-registering (alert-info-tone.ts tookRingtones). */
  async setRingtones(id: string, patch: RingtonesConfig): Promise<void> {
    const account = this.config.accounts.find((a) => a.id === id);
    if (account) await this.saveAccount({ ...account, ...patch });
  }

  /** The user's ringtone files and previews, loaded on first use (Settings → Ringtones). */
  ringtones(): Promise<RingtoneLibrary> {
    return import("./ringtone-library.js").then((m) => m.ringtoneLibrary(() => this.settings.audio));
  }

  // ---- history ----
  recentHistory(limit: number): Promise<HistoryEntry[]> {
    return recentHistory(limit);
  }
  allHistory(): Promise<HistoryEntry[]> {
    return allHistory();
  }
  async clearHistory(): Promise<void> {
    await clearHistory();
    this.emit("history-changed", undefined);
  }
  /** Deletes one history entry and its recording. */
  async deleteHistoryEntry(entry: Pick<HistoryEntry, "startedAt" | "id">): Promise<void> {
    await deleteHistoryEntry(entry);
    this.historyChanged();
  }
  /** A history entry's recording (the file, its type and length); undefined when none is kept. */
  async recordingOf(entry: Pick<HistoryEntry, "startedAt" | "id">): Promise<StoredRecording | undefined> {
    return (await callAudio()).recordingOf(entry);
  }
  async historyCsv(): Promise<string> {
    return historyToCsv(await allHistory());
  }
  /** Missed calls since the history was last viewed (a call still ringing is not missed yet). */
  async missedCount(): Promise<number> {
    const since = this.settings.historyViewedAt;
    const live = new Set(this.phone.calls.map((c) => c.id));
    let n = 0;
    for (const e of await recentHistory(500)) {
      if (e.startedAt <= since) break;
      if (e.result === "missed" && !(e.open && live.has(e.id))) n++;
    }
    return n;
  }
  markHistoryViewed(): Promise<void> {
    return this.updateSettings({ historyViewedAt: Date.now() });
  }

  // ---- messages ----
  /** The newest `limit` messages, newest first. */
  recentMessages(limit: number): Promise<StoredMessage[]> {
    return recentMessages(limit);
  }
  /** Unread incoming messages per conversation (`remote`). */
  unreadMessages(): Promise<Map<string, number>> {
    return unreadByRemote();
  }
  /** The user has seen a conversation. */
  async markMessagesRead(remote: string): Promise<void> {
    if (await markRead(remote)) this.messagesChanged();
  }

  // ---- contacts ----
  listContacts(): Promise<Contact[]> {
    return listContacts();
  }
  async saveContact(c: Contact): Promise<void> {
    await saveContact(c);
    this.emit("contacts-changed", undefined);
  }
  async deleteContact(id: string): Promise<void> {
    await deleteContact(id);
    this.emit("contacts-changed", undefined);
  }
}
