import { createStore, del, get, set, update } from "idb-keyval";
import { describeStorageFailure, StorageError } from "./storage-error.js";

/**
 * Ringtone files the user added (Settings → Ringtones), kept in this browser: the list (names,
 * sizes) under one key, each file's bytes under its own, so listing never reads the audio.
 * Checked before they come here (app/ringtone-library.ts); a line names one as `file:<id>`.
 */
export interface RingtoneInfo {
  id: string;
  name: string;
  type: string;
  size: number;
  added: number;
}

const store = createStore("webphone-ringtones", "files");
const LIST = "list";
const fileKey = (id: string) => `file:${id}`;

export async function listRingtones(): Promise<RingtoneInfo[]> {
  return (await get<RingtoneInfo[]>(LIST, store)) ?? [];
}

/** Keeps `data` as a new ringtone; the bytes first, so a listed file always has them. */
export async function addRingtone(name: string, data: Blob, added = Date.now()): Promise<RingtoneInfo> {
  const info: RingtoneInfo = { id: crypto.randomUUID(), name: name.slice(0, 100), type: data.type, size: data.size, added };
  try {
    await set(fileKey(info.id), data, store);
    await update<RingtoneInfo[]>(LIST, (list) => [...(list ?? []), info], store);
  } catch (e) {
    throw new StorageError(describeStorageFailure(e), e);
  }
  return info;
}

export function readRingtone(id: string): Promise<Blob | undefined> {
  return get<Blob>(fileKey(id), store);
}

/** Out of the list first, then the bytes. */
export async function deleteRingtone(id: string): Promise<void> {
  await update<RingtoneInfo[]>(LIST, (list) => (list ?? []).filter((r) => r.id !== id), store);
  await del(fileKey(id), store);
}
