import type { AudioSettings } from "../../config/audio-settings.js";
import type { AccountConfig, PhoneConfig, RingtonesConfig } from "../../config/phone-config.js";
import type { RingtoneInfo, RingtoneLibrary } from "../../app/ringtone-library.js";
import type { AppEvents } from "../../app/phone-app.js";
import { withSavedSecrets } from "../../app/saved-secrets.js";
import { Emitter } from "../../sip/core/emitter.js";
import type { ForwardOptions } from "../../sip/api/forwarding.js";
import type { TrialOutcome } from "../../sip/api/trial-registration.js";
import type { Contact } from "../../storage/contacts-store.js";
import type { HistoryEntry } from "../../storage/history-store.js";
import type { StoredMessage } from "../../storage/message-store.js";
import type { StoredRecording } from "../../storage/recording-store.js";
import type { Settings } from "../../storage/settings-store.js";
import type { AppCore, SipPhoneApp } from "../app-factory.js";
import { FakePhone } from "./fake-phone.js";

type Method = Exclude<keyof AppCore, "on" | "config" | "settings">;

/**
 * The app services in memory, for component tests: keeps accounts, settings, history and
 * contacts the way PhoneApp does (and emits the same change events), records every change
 * asked for in `actions`, and fails a method on demand (`fail`). Components get it the way
 * `<sip-phone>` gives the real one: through app-service.ts (mountWith does that).
 */
export class FakeApp extends Emitter<AppEvents> implements AppCore {
  config: PhoneConfig = { version: 1, accounts: [] };
  settings: Settings = { historyViewedAt: 0 };
  /** Newest first, as the history store returns it. */
  history: HistoryEntry[] = [];
  contacts: Contact[] = [];
  /** Newest first, as the message store returns them. */
  messages: StoredMessage[] = [];
  /** Every change asked for, with its arguments: `["saveContact", contact]`. */
  readonly actions: Array<[Method, ...unknown[]]> = [];
  private readonly failures = new Map<Method, Error>();

  /** The next call of `method` rejects with `error`. */
  fail(method: Method, error: Error): void {
    this.failures.set(method, error);
  }

  /** Lets a test send an app event (another tab changed the history, say). */
  fire<K extends keyof AppEvents>(type: K, value: AppEvents[K]): void {
    this.emit(type, value);
  }

  private record(method: Method, ...args: unknown[]): void {
    this.actions.push([method, ...args]);
    const error = this.failures.get(method);
    if (error) {
      this.failures.delete(method);
      throw error;
    }
  }

  private check(method: Method): void {
    const error = this.failures.get(method);
    if (error) {
      this.failures.delete(method);
      throw error;
    }
  }

  // ---- accounts ----
  async saveAccount(input: AccountConfig): Promise<void> {
    this.record("saveAccount", input);
    // The real rule (an empty password keeps the saved one for the same identity only).
    const { account } = withSavedSecrets(
      input,
      this.config.accounts.find((a) => a.id === input.id),
    );
    const accounts = this.config.accounts.some((a) => a.id === account.id)
      ? this.config.accounts.map((a) => (a.id === account.id ? account : a))
      : [...this.config.accounts, account];
    this.config = { version: 1, accounts };
  }
  /** What the next testAccount resolves with (the set-up form's Test). */
  trialOutcome: TrialOutcome = { ok: true, server: "wss://pbx.test/ws" };
  async testAccount(input: AccountConfig): Promise<TrialOutcome> {
    this.record("testAccount", input);
    return this.trialOutcome;
  }
  async removeAccount(id: string): Promise<void> {
    this.record("removeAccount", id);
    this.config = { version: 1, accounts: this.config.accounts.filter((a) => a.id !== id) };
  }
  async setEnabled(id: string, enabled: boolean): Promise<void> {
    this.record("setEnabled", id, enabled);
    this.config = { version: 1, accounts: this.config.accounts.map((a) => (a.id === id ? { ...a, enabled } : a)) };
  }
  async importText(text: string): Promise<PhoneConfig> {
    this.record("importText", text);
    const saved = new Map(this.config.accounts.map((a) => [a.id, a]));
    const config = JSON.parse(text) as PhoneConfig;
    this.config = { version: 1, accounts: config.accounts.map((a) => withSavedSecrets(a, saved.get(a.id)).account) };
    return this.config;
  }
  exportText(includeSecrets: boolean): string {
    this.check("exportText");
    const accounts = this.config.accounts.map((a) => (includeSecrets ? a : { ...a, password: "" }));
    return JSON.stringify({ version: 1, accounts });
  }

  // ---- settings ----
  async updateSettings(patch: Partial<Settings>): Promise<void> {
    this.record("updateSettings", patch);
    this.settings = { ...this.settings, ...patch };
    this.emit("settings-changed", this.settings);
  }
  async setDnd(on: boolean, lineId?: string, code?: 486 | 603): Promise<void> {
    this.record("setDnd", on, lineId, code);
  }
  async setForward(lineId: string, target: string | undefined, options?: ForwardOptions): Promise<void> {
    if (options) this.record("setForward", lineId, target, options);
    else this.record("setForward", lineId, target);
  }
  async watch(target: string, lineId?: string): Promise<void> {
    this.record("watch", target, lineId);
  }
  async unwatch(target: string): Promise<void> {
    this.record("unwatch", target);
  }
  /** As PhoneApp: kept in the settings (merged), with a settings-changed event. */
  async setRingtones(id: string, patch: RingtonesConfig): Promise<void> {
    this.record("setRingtones", id, patch);
    this.config = { ...this.config, accounts: this.config.accounts.map((a) => (a.id === id ? { ...a, ...patch } : a)) };
  }

  /** The user's ringtone files in memory; `previews` records what was played. */
  ringtoneFiles: RingtoneInfo[] = [];
  readonly previews: string[] = [];
  async ringtones(): Promise<RingtoneLibrary> {
    return {
      list: async () => [...this.ringtoneFiles],
      add: async (file) => {
        this.record("ringtones", "add", file.name);
        const info = { id: `f${this.ringtoneFiles.length + 1}`, name: file.name, type: file.type, size: file.size, added: 0 };
        this.ringtoneFiles.push(info);
        return info;
      },
      remove: async (id) => {
        this.record("ringtones", "remove", id);
        this.ringtoneFiles = this.ringtoneFiles.filter((f) => f.id !== id);
      },
      preview: async (tone) => {
        this.previews.push(tone);
        return () => this.previews.push(`stop ${tone}`);
      },
    };
  }

  async setAudio(patch: AudioSettings): Promise<void> {
    this.record("setAudio", patch);
    this.settings = { ...this.settings, audio: { ...this.settings.audio, ...patch } };
    this.emit("settings-changed", this.settings);
  }

  // ---- history ----
  async recentHistory(limit: number): Promise<HistoryEntry[]> {
    this.check("recentHistory");
    return this.history.slice(0, limit);
  }
  async allHistory(): Promise<HistoryEntry[]> {
    this.check("allHistory");
    return [...this.history];
  }
  async clearHistory(): Promise<void> {
    this.record("clearHistory");
    this.history = [];
    this.emit("history-changed", undefined);
  }
  /** Recordings by entry id, as the recording store keeps them. */
  recordings = new Map<string, StoredRecording>();
  async deleteHistoryEntry(entry: Pick<HistoryEntry, "id" | "startedAt">): Promise<void> {
    this.record("deleteHistoryEntry", entry.id);
    this.history = this.history.filter((e) => e.id !== entry.id);
    this.recordings.delete(entry.id);
    this.emit("history-changed", undefined);
  }
  async recordingOf(entry: Pick<HistoryEntry, "id" | "startedAt">): Promise<StoredRecording | undefined> {
    this.check("recordingOf");
    return this.recordings.get(entry.id);
  }
  async historyCsv(): Promise<string> {
    this.check("historyCsv");
    return ["remote,result", ...this.history.map((e) => `${e.remote},${e.result}`)].join("\n");
  }
  async missedCount(): Promise<number> {
    this.check("missedCount");
    return this.history.filter((e) => e.result === "missed" && e.startedAt > this.settings.historyViewedAt).length;
  }
  async markHistoryViewed(): Promise<void> {
    this.record("markHistoryViewed");
    this.settings = { ...this.settings, historyViewedAt: Date.now() };
  }

  // ---- messages ----
  async recentMessages(limit: number): Promise<StoredMessage[]> {
    this.check("recentMessages");
    return structuredClone(this.messages.slice(0, limit));
  }
  async unreadMessages(): Promise<Map<string, number>> {
    this.check("unreadMessages");
    const unread = new Map<string, number>();
    for (const m of this.messages) if (m.direction === "in" && !m.read) unread.set(m.remote, (unread.get(m.remote) ?? 0) + 1);
    return unread;
  }
  async markMessagesRead(remote: string): Promise<void> {
    this.record("markMessagesRead", remote);
    if (!this.messages.some((m) => m.remote === remote && m.direction === "in" && !m.read)) return;
    this.messages = this.messages.map((m) => (m.remote === remote && m.direction === "in" ? { ...m, read: true } : m));
    this.emit("messages-changed", undefined);
  }
  /** A message stored (as the recorder does for the leading tab), newest first. */
  storeMessage(m: StoredMessage): void {
    this.messages = [m, ...this.messages.filter((x) => x.id !== m.id)].sort((a, b) => b.at - a.at);
    this.emit("messages-changed", undefined);
  }

  // ---- contacts ----
  async listContacts(): Promise<Contact[]> {
    this.check("listContacts");
    return structuredClone(this.contacts).sort((a, b) => a.name.localeCompare(b.name));
  }
  async saveContact(contact: Contact): Promise<void> {
    this.record("saveContact", contact);
    this.contacts = [...this.contacts.filter((c) => c.id !== contact.id), structuredClone(contact)];
    this.emit("contacts-changed", undefined);
  }
  async deleteContact(id: string): Promise<void> {
    this.record("deleteContact", id);
    this.contacts = this.contacts.filter((c) => c.id !== id);
    this.emit("contacts-changed", undefined);
  }
}

/**
 * What `<sip-phone>` builds through its factory, in memory: FakeApp's services plus a FakePhone
 * and the start-up. `start()` resolves with `saved` (undefined: first run), or waits while a test
 * holds it (`holdStart()`).
 */
export class FakePhoneApp extends FakeApp implements SipPhoneApp {
  readonly phone = new FakePhone();
  saved: PhoneConfig | undefined;
  starts = 0;
  /** Every `captureHeaders` call's names. */
  readonly capturedHeaders: string[][] = [];
  private gate: Promise<void> = Promise.resolve();

  /** start() does not resolve until the returned function is called. */
  holdStart(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((r) => (release = r));
    return release;
  }

  async start(): Promise<PhoneConfig | undefined> {
    this.starts++;
    await this.gate;
    if (this.saved) this.config = this.saved;
    return this.saved;
  }

  async configure(config: PhoneConfig): Promise<void> {
    this.config = config;
  }

  captureHeaders(names: string[]): void {
    this.capturedHeaders.push(names);
  }
}

/** A history entry with plausible defaults: an answered outgoing call on line l1. */
export function historyEntry(patch: Partial<HistoryEntry> & { id: string }): HistoryEntry {
  return {
    lineId: "l1",
    lineLabel: "Alice",
    direction: "out",
    remote: "1002",
    startedAt: Date.now() - 60_000,
    endedAt: Date.now(),
    durationMs: 0,
    result: "answered",
    ...patch,
  };
}
