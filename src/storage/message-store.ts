import { clear, createStore, promisifyRequest, set } from "idb-keyval";
import { describeStorageFailure, StorageError } from "./storage-error.js";
import { keyAt, newestValues, pruneTimeKeyed, type Retention } from "./time-keyed.js";

/**
 * Text messages, kept across reloads: one record per message, keyed by the time it was written
 * and its id, so a message's later status (sending → delivered) replaces its record and cursors
 * walk the messages in time order. Plain data: nothing here knows SIP.
 */
export interface StoredMessage {
  id: string;
  lineId: string;
  direction: "in" | "out";
  /** The other party (a number or user): the conversation the message belongs to. */
  remote: string;
  remoteName?: string;
  /** The address an outgoing message goes to (a queued one is sent there after a reload). */
  remoteUri?: string;
  /** Plain text, as sent or received. */
  text: string;
  at: number;
  /** queued, sending, sent, delivered, failed, received. */
  status: string;
  sipCode?: number;
  /** Why it failed, as data (`kind` and the facts). */
  failure?: { kind: string; sipCode?: number; reasonPhrase?: string };
  /** An incoming message the user has seen (outgoing ones are always read). */
  read?: boolean;
}

/** What is kept by default: a year, and at most 10 000 messages. */
export const MESSAGE_RETENTION: Retention = { maxEntries: 10_000, maxAgeDays: 365 };
/** Writes between two prunings (counting walks the store). */
export const PRUNE_MESSAGES_EVERY = 50;

const store = createStore("webphone-messages", "messages");
let writesSincePrune = 0;

/** Writes a message (a later write of the same message replaces it); prunes every few writes. */
export async function saveMessage(message: StoredMessage, retention: Retention = MESSAGE_RETENTION): Promise<void> {
  try {
    await set(keyAt(message.at, message.id), message, store);
    if (++writesSincePrune >= PRUNE_MESSAGES_EVERY) {
      writesSincePrune = 0;
      await pruneMessages(retention);
    }
  } catch (e) {
    throw new StorageError(describeStorageFailure(e), e);
  }
}

/** The newest `limit` messages, newest first (optionally only those that `keep` says). */
export function recentMessages(limit: number, keep?: (m: StoredMessage) => boolean): Promise<StoredMessage[]> {
  return newestValues<StoredMessage>(store, limit, keep);
}

/** Incoming messages not yet seen, per conversation (`remote`). */
export function unreadByRemote(): Promise<Map<string, number>> {
  return store("readonly", (s) => {
    const out = new Map<string, number>();
    const req = s.openCursor();
    req.onsuccess = () => {
      const cursor = req.result;
      if (!cursor) return;
      const m = cursor.value as StoredMessage;
      if (m.direction === "in" && !m.read) out.set(m.remote, (out.get(m.remote) ?? 0) + 1);
      cursor.continue();
    };
    return promisifyRequest(s.transaction).then(() => out);
  });
}

/** Marks a conversation's incoming messages seen, in one transaction; resolves with how many changed. */
export function markRead(remote: string): Promise<number> {
  return store("readwrite", (s) => {
    let changed = 0;
    const req = s.openCursor();
    req.onsuccess = () => {
      const cursor = req.result;
      if (!cursor) return;
      const m = cursor.value as StoredMessage;
      if (m.remote === remote && m.direction === "in" && !m.read) {
        cursor.update({ ...m, read: true });
        changed++;
      }
      cursor.continue();
    };
    return promisifyRequest(s.transaction).then(() => changed);
  });
}

/** Deletes what the retention does not keep; resolves with how many went. */
export function pruneMessages(retention: Retention = MESSAGE_RETENTION, now = Date.now()): Promise<number> {
  return pruneTimeKeyed(store, retention, now);
}

export function clearMessages(): Promise<void> {
  return clear(store);
}
