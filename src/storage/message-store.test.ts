// IndexedDB in Node (fake-indexeddb): the real storage code, no mocks of it.
import "fake-indexeddb/auto";
import { beforeEach, describe, expect, it } from "vitest";
import {
  clearMessages,
  markRead,
  pruneMessages,
  recentMessages,
  saveMessage,
  unreadByRemote,
  type StoredMessage,
} from "./message-store.js";

const msg = (id: string, at: number, patch: Partial<StoredMessage> = {}): StoredMessage => ({
  id,
  lineId: "l1",
  direction: "in",
  remote: "1002",
  text: `text ${id}`,
  at,
  status: "received",
  ...patch,
});

describe("message store", () => {
  beforeEach(() => clearMessages());

  it("keeps messages in time order; a later status of the same message replaces it", async () => {
    await saveMessage(msg("b", 2000));
    await saveMessage(msg("a", 1000, { direction: "out", status: "sending", read: true }));
    await saveMessage(msg("a", 1000, { direction: "out", status: "delivered", sipCode: 200, read: true }));
    const all = await recentMessages(10);
    expect(all.map((m) => [m.id, m.status])).toEqual([
      ["b", "received"],
      ["a", "delivered"],
    ]);
    expect((await recentMessages(10, (m) => m.direction === "out")).map((m) => m.id)).toEqual(["a"]);
  });

  it("counts unread incoming messages per party and marks a conversation read", async () => {
    await saveMessage(msg("1", 1));
    await saveMessage(msg("2", 2));
    await saveMessage(msg("3", 3, { remote: "1003" }));
    await saveMessage(msg("4", 4, { direction: "out", read: true }));
    expect(Object.fromEntries(await unreadByRemote())).toEqual({ "1002": 2, "1003": 1 });
    expect(await markRead("1002")).toBe(2);
    expect(Object.fromEntries(await unreadByRemote())).toEqual({ "1003": 1 });
    expect(await markRead("1002")).toBe(0);
  });

  it("keeps what the retention allows: none older than the age, at most the count", async () => {
    const day = 86_400_000;
    const now = 400 * day;
    await saveMessage(msg("old", now - 366 * day));
    for (let i = 0; i < 5; i++) await saveMessage(msg(`n${i}`, now - i * 1000));
    expect(await pruneMessages({ maxEntries: 3, maxAgeDays: 365 }, now)).toBe(3);
    expect((await recentMessages(10)).map((m) => m.id)).toEqual(["n0", "n1", "n2"]);
  });
});
