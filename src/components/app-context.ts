import { createContext } from "@lit/context";
import type { AppEvents } from "../app/phone-app.js";
import type { AudioSettings } from "../config/audio-settings.js";
import type { AccountConfig, IceServerConfig, RingtonesConfig } from "../config/phone-config.js";
import type { RingtoneLibrary } from "../app/ringtone-library.js";
import type { Emitter } from "../sip/core/emitter.js";
import type { ForwardOptions } from "../sip/api/forwarding.js";
import type { TrialOutcome } from "../sip/api/trial-registration.js";
import type { Contact } from "../storage/contacts-store.js";
import type { HistoryEntry } from "../storage/history-store.js";
import type { StoredRecording } from "../storage/recording-store.js";
import type { StoredMessage } from "../storage/message-store.js";
import type { Settings } from "../storage/settings-store.js";

/**
 * A line as the views see it: every setting but its secrets. The open shadow roots let a host
 * page reach every component, so no component holds a password or a TURN credential.
 */
export interface AccountView extends Omit<AccountConfig, "password" | "iceServers"> {
  /** A password is saved for this line; saving the line with an empty one keeps it (same identity). */
  passwordSaved: boolean;
  iceServers?: Array<Omit<IceServerConfig, "credential">>;
}

/** What an import did, without the configuration itself. */
export interface ImportSummary {
  lines: number;
  /** Labels of lines whose saved password was not kept (their address, user or servers changed). */
  needPassword: string[];
}

/**
 * App-level services (accounts, history, contacts, settings) for the views that need them.
 * Built by app-service.ts over the app, of closures only: nothing in it leads to a secret.
 */
export interface AppService {
  on: Emitter<AppEvents>["on"];
  readonly settings: Settings;
  readonly accounts: AccountView[];
  /**
   * Adds or replaces a line. An empty password keeps the saved one while the address, auth
   * user, servers and proxy are unchanged; resolves with whether the line now needs it again.
   */
  saveAccount(account: AccountConfig): Promise<{ needsPassword: boolean }>;
  /** Registers once with `account` and unregisters at once, saving nothing (the set-up form's Test). */
  testAccount(account: AccountConfig): Promise<TrialOutcome>;
  removeAccount(id: string): Promise<void>;
  setEnabled(id: string, enabled: boolean): Promise<void>;
  importText(text: string): Promise<ImportSummary>;
  /** Offers the configuration as a file; the text never comes back to the caller. */
  exportFile(includeSecrets: boolean): void;
  updateSettings(patch: Partial<Settings>): Promise<void>;
  recentHistory(limit: number): Promise<HistoryEntry[]>;
  allHistory(): Promise<HistoryEntry[]>;
  clearHistory(): Promise<void>;
  /** Deletes one entry and its recording. */
  deleteHistoryEntry(entry: HistoryEntry): Promise<void>;
  /** An entry's recording (the file, its type and length); undefined when none is kept. */
  recordingOf(entry: HistoryEntry): Promise<StoredRecording | undefined>;
  historyCsv(): Promise<string>;
  missedCount(): Promise<number>;
  markHistoryViewed(): Promise<void>;
  /** The newest `limit` text messages, newest first. */
  recentMessages(limit: number): Promise<StoredMessage[]>;
  /** Unread incoming messages per conversation (`remote`). */
  unreadMessages(): Promise<Map<string, number>>;
  markMessagesRead(remote: string): Promise<void>;
  listContacts(): Promise<Contact[]>;
  saveContact(c: Contact): Promise<void>;
  deleteContact(id: string): Promise<void>;
  setDnd(on: boolean, lineId?: string, code?: 486 | 603): Promise<void>;
  setForward(lineId: string, target: string | undefined, options?: ForwardOptions): Promise<void>;
  /** Busy lamps, kept across reloads. */
  watch(target: string, lineId?: string): Promise<void>;
  unwatch(target: string): Promise<void>;
  /** Audio devices, voice processing and volumes (a key left out stays), kept for this browser. */
  setAudio(patch: AudioSettings): Promise<void>;
  /** A line's ringtone and distinctive-ringing tones (config/ringtones.ts). */
  setRingtones(lineId: string, patch: RingtonesConfig): Promise<void>;
  /** The user's ringtone files and previews, loaded on first use. */
  ringtones(): Promise<RingtoneLibrary>;
}

export const appContext = createContext<AppService | undefined>(Symbol("sip-phone-app"));
