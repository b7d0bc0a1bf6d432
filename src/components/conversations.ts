import type { StoredMessage } from "../storage/message-store.js";

/** One conversation: the messages with one remote party, and what is unread. */
export interface Conversation {
  remote: string;
  /** The name the other party gave most recently, if any. */
  name?: string;
  /** Oldest first. */
  messages: StoredMessage[];
  last: StoredMessage;
  unread: number;
  /** The line the newest message used (a reply goes there). */
  lineId: string;
}

/** Groups messages (any order) by remote party, newest conversation first. */
export function conversationsOf(messages: readonly StoredMessage[], unread: ReadonlyMap<string, number>): Conversation[] {
  const byRemote = new Map<string, StoredMessage[]>();
  for (const m of messages) {
    const list = byRemote.get(m.remote);
    if (list) list.push(m);
    else byRemote.set(m.remote, [m]);
  }
  const out: Conversation[] = [];
  for (const [remote, list] of byRemote) {
    list.sort((a, b) => a.at - b.at);
    const last = list[list.length - 1]!;
    const name = [...list].reverse().find((m) => m.remoteName)?.remoteName;
    out.push({ remote, ...(name ? { name } : {}), messages: list, last, unread: unread.get(remote) ?? 0, lineId: last.lineId });
  }
  return out.sort((a, b) => b.last.at - a.last.at);
}
