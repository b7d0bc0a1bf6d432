import type { PhoneConfig } from "../config/phone-config.js";
import { loadConfig } from "../storage/config-store.js";
import { loadSettings, type Settings } from "../storage/settings-store.js";

/** What a start needs from storage: the settings, and the saved configuration (none on first run). */
export type StoredStart = [Settings, PhoneConfig | undefined];

/**
 * Reads them. Its own small module so that an entry point can start the reads (two IndexedDB
 * opens and the password's decryption, tens of milliseconds) while the SIP stack is still
 * downloading and compiling (src/install-app.ts), rather than after.
 */
export function readStoredStart(): Promise<StoredStart> {
  // Separate databases: opened in parallel.
  return Promise.all([loadSettings(), loadConfig()]);
}
