import { createStore, get, update } from "idb-keyval";
import type { AudioSettings } from "../config/audio-settings.js";
import type { HistoryRetention } from "./history-store.js";
import { describeStorageFailure, StorageError } from "./storage-error.js";

export type { HistoryRetention };

/** Preferences that are not accounts. Schema 1; new keys get defaults on read. */
export interface Settings {
  /** Line used when a call does not name one. */
  defaultLineId?: string;
  /** When the user last looked at the call history (missed calls after it are counted). */
  historyViewedAt: number;
  /** Do-not-disturb: line ids, or "*" for all lines; and the code callers get. */
  dnd?: string[];
  dndCode?: 486 | 603;
  /** Unconditional forwarding per line id. */
  forward?: Record<string, string>;
  /** The other forwarding modes per line id ("busy", "no-answer", "internal", "external"), each with its target. */
  forwardModes?: Record<string, Record<string, { target: string; after?: number }>>;
  /** Console log level of the phone ("warn" by default: quiet in production). */
  logLevel?: "debug" | "info" | "warn" | "error" | "off";
  /** Busy lamps: the watched parties, in the order added, and the line each is watched on. */
  watched?: { target: string; lineId?: string }[];
  /** How much call history is kept (unset: the default of app/history-retention.ts; 0 in a field: no limit). */
  historyRetention?: HistoryRetention;
  /** The phone's language ("en", "de"), or "auto" (the default): the page's, else the browser's. */
  language?: string;
  /** Light or dark, or as the system is ("auto", the default). */
  theme?: "auto" | "light" | "dark";
  /** Audio devices, voice processing and volumes, for this browser (device ids are the browser's). */
  audio?: AudioSettings;
}

const store = createStore("webphone-settings", "settings");
const KEY = "settings";
const DEFAULTS: Settings = { historyViewedAt: 0 };

export async function loadSettings(): Promise<Settings> {
  return { ...DEFAULTS, ...((await get<Partial<Settings>>(KEY, store)) ?? {}) };
}

/** Read-modify-write in one transaction. */
export async function updateSettings(patch: Partial<Settings>): Promise<Settings> {
  let next: Settings = DEFAULTS;
  try {
    await update<Settings>(KEY, (old) => (next = { ...DEFAULTS, ...old, ...patch }), store);
  } catch (e) {
    throw new StorageError(describeStorageFailure(e), e);
  }
  return next;
}
