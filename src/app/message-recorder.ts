import type { WaitingMessage } from "../sip/api/messaging.js";
import type { MessageSnapshot } from "../sip/api/text-message.js";
import { recentMessages, saveMessage, type StoredMessage } from "../storage/message-store.js";

export interface MessageRecorderDeps {
  saved(): void;
  failed(error: Error): void;
}

/** The record of a message event: plain data, never the sentence (`reason` is the UI's). */
export function storedMessage(m: MessageSnapshot): StoredMessage {
  return {
    id: m.id,
    lineId: m.lineId,
    direction: m.direction,
    remote: m.remote,
    ...(m.remoteName ? { remoteName: m.remoteName } : {}),
    ...(m.direction === "out" ? { remoteUri: m.remoteUri } : {}),
    text: m.text,
    at: m.at,
    status: m.status,
    ...(m.sipCode ? { sipCode: m.sipCode } : {}),
    ...(m.failure ? { failure: { ...m.failure } } : {}),
    ...(m.direction === "out" ? { read: true } : {}),
  };
}

/**
 * Puts the leading tab's messages into storage: every `message` event writes the message's
 * record (its later statuses replace it), so conversations survive reloads and other tabs read
 * them from there. IndexedDB runs one store's read-write transactions in the order they were
 * made, so a message's last status is the one kept.
 */
export class MessageRecorder {
  constructor(private readonly deps: MessageRecorderDeps) {}

  record(m: MessageSnapshot): void {
    saveMessage(storedMessage(m)).then(
      () => this.deps.saved(),
      (e: Error) => this.deps.failed(e),
    );
  }

  /**
   * What a closed leader left behind, when a tab starts to lead: messages still `queued` go to
   * `resume` (they are sent as soon as their line is up, as they would have been); ones already
   * `sending` may have arrived, so they are marked failed ("interrupted") rather than sent twice,
   * and none shows "sending" for ever. Returns how many records changed here.
   */
  async settleLeftovers(resume: (waiting: WaitingMessage[]) => void): Promise<number> {
    const stale = await recentMessages(500, (m) => m.direction === "out" && (m.status === "queued" || m.status === "sending"));
    const waiting: WaitingMessage[] = [];
    let changed = 0;
    for (const m of stale.reverse()) {
      if (m.status === "queued" && m.remoteUri) {
        waiting.push({ id: m.id, lineId: m.lineId, remote: m.remote, remoteUri: m.remoteUri, text: m.text, at: m.at });
        continue;
      }
      await saveMessage({ ...m, status: "failed", failure: { kind: "interrupted" } });
      changed++;
    }
    if (waiting.length) resume(waiting);
    return changed;
  }
}
