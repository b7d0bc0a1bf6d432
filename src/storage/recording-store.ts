import { clear, createStore, del, get, promisifyRequest, set } from "idb-keyval";

/**
 * Call recordings: one file per call, under its history entry's key (history-store.ts
 * `historyKeyOf`), so the entry finds its recording and retention can delete the recordings of
 * the entries it removed with one key range (keys sort by the call's start). A database of its
 * own: it is opened only when a recording is kept, played or deleted, never at start.
 */

/** A stored recording: the file, and what it is. */
export interface StoredRecording {
  blob: Blob;
  /** `audio/webm;codecs=opus`, `audio/ogg;codecs=opus`. */
  mimeType: string;
  /** How long was recorded (pauses left out), ms. */
  durationMs: number;
}

const MB = 1024 * 1024;
/** Left free for everything else the phone keeps (configuration, history, messages). */
export const RECORDING_RESERVE_BYTES = 20 * MB;
/** Less room than this (some ten minutes of Opus at 32 kb/s) and a recording is not started. */
export const RECORDING_MIN_BYTES = 2 * MB;
/**
 * The most one recording may take, whatever the room: about 7 hours at 32 kb/s. The file is held
 * in memory until its call ends, so this is also a bound on memory.
 */
export const RECORDING_MAX_BYTES = 100 * MB;

/**
 * The bytes a new recording may take, from the browser's storage estimate (quota and usage of
 * this origin): what is left above the reserve, at most RECORDING_MAX_BYTES; 0 when that is
 * under RECORDING_MIN_BYTES. A browser without an estimate gets RECORDING_MAX_BYTES (a write
 * that finds the storage full is then reported with the call's history entry).
 */
export function recordingRoom(estimate: { quota?: number; usage?: number } | undefined): number {
  const quota = estimate?.quota;
  if (quota === undefined || !Number.isFinite(quota)) return RECORDING_MAX_BYTES;
  const room = Math.min(quota - (estimate?.usage ?? 0) - RECORDING_RESERVE_BYTES, RECORDING_MAX_BYTES);
  return room >= RECORDING_MIN_BYTES ? Math.floor(room) : 0;
}

/** This origin's storage estimate (navigator.storage.estimate); undefined where there is none. */
export async function storageEstimate(): Promise<StorageEstimate | undefined> {
  const storage = (globalThis.navigator as { storage?: StorageManager } | undefined)?.storage;
  if (typeof storage?.estimate !== "function") return undefined;
  return storage.estimate().catch(() => undefined);
}

const store = createStore("webphone-recordings", "audio");

export function saveRecording(key: string, recording: StoredRecording): Promise<void> {
  return set(key, recording, store);
}

export function loadRecording(key: string): Promise<StoredRecording | undefined> {
  return get<StoredRecording>(key, store);
}

export function deleteRecording(key: string): Promise<void> {
  return del(key, store);
}

export function clearRecordings(): Promise<void> {
  return clear(store);
}

/** The keys of every stored recording, oldest first. */
export function recordingKeys(): Promise<string[]> {
  return store("readonly", (s) => promisifyRequest(s.getAllKeys())) as Promise<string[]>;
}

/**
 * Deletes the recordings older than the history entry with key `oldestKept` (retention removed
 * theirs), every recording when the history is empty (undefined). One range delete.
 */
export function dropRecordingsBefore(oldestKept: string | undefined): Promise<void> {
  if (oldestKept === undefined) return clearRecordings();
  return store("readwrite", (s) => {
    s.delete(IDBKeyRange.upperBound(oldestKept, true));
    return promisifyRequest(s.transaction);
  });
}
