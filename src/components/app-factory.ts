import type { PhoneApp } from "../app/phone-app.js";
import type { PhoneConfig } from "../config/phone-config.js";
import type { PhoneService } from "./phone-service.js";

/**
 * The app's services as `PhoneApp` offers them, secrets included (`config`, `exportText`):
 * only `<sip-phone>` holds this, in a JS-private field; the views get app-service.ts's
 * narrow, secret-free `AppService` built over it.
 */
export type AppCore = Pick<
  PhoneApp,
  | "on"
  | "config"
  | "settings"
  | "saveAccount"
  | "testAccount"
  | "removeAccount"
  | "setEnabled"
  | "importText"
  | "exportText"
  | "updateSettings"
  | "recentHistory"
  | "allHistory"
  | "clearHistory"
  | "deleteHistoryEntry"
  | "recordingOf"
  | "historyCsv"
  | "missedCount"
  | "markHistoryViewed"
  | "recentMessages"
  | "unreadMessages"
  | "markMessagesRead"
  | "listContacts"
  | "saveContact"
  | "deleteContact"
  | "setDnd"
  | "setForward"
  | "watch"
  | "unwatch"
  | "setAudio"
  | "setRingtones"
  | "ringtones"
>;

/**
 * What `<sip-phone>` needs of the app it runs on: the services it provides to the views, the
 * phone, and start-up. `PhoneApp` (src/app/phone-app.ts) has this shape; element tests use a
 * fake (test-support/fake-app.ts).
 */
export interface SipPhoneApp extends AppCore {
  /** The phone of this tab, or of the tab that holds the connection. */
  readonly phone: PhoneService & { readonly isLeader: boolean };
  /** Loads what was saved and starts the lines; resolves with the saved configuration (none on first run). */
  start(): Promise<PhoneConfig | undefined>;
  /** Validates, saves and applies a configuration (ConfigError names every bad field). */
  configure(config: PhoneConfig): Promise<void>;
  /** Headers of incoming INVITEs to carry on the calls (the element's `headers` attribute). */
  captureHeaders(names: string[]): void;
}

let factory: (() => SipPhoneApp) | undefined;

/**
 * Sets what each `<sip-phone>` builds its app with. The entry points set the real one
 * (src/install-app.ts) before the element is defined: an element already in the page is
 * upgraded, and builds its app, the moment it is.
 */
export function setAppFactory(create: () => SipPhoneApp): void {
  factory = create;
}

/** A new app for one `<sip-phone>`. */
export function createApp(): SipPhoneApp {
  if (!factory) throw new Error("<sip-phone> has no app: load it through the phone's entry module (lib.ts or main.ts), which sets one");
  return factory();
}
