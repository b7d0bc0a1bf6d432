// IndexedDB in Node (fake-indexeddb): the real storage code, no mocks of it.
import "fake-indexeddb/auto";
import { beforeEach, describe, expect, it } from "vitest";
import {
  addHistory,
  allHistory,
  attachRecording,
  clearHistory,
  deleteHistoryEntry,
  historyKeyOf,
  pruneHistory,
  type HistoryEntry,
} from "./history-store.js";
import {
  loadRecording,
  recordingKeys,
  recordingRoom,
  RECORDING_MAX_BYTES,
  RECORDING_MIN_BYTES,
  RECORDING_RESERVE_BYTES,
  saveRecording,
} from "./recording-store.js";

const MB = 1024 * 1024;
const DAY = 86_400_000;

function entry(id: string, startedAt: number): HistoryEntry {
  return {
    id,
    lineId: "l1",
    lineLabel: "Alice",
    direction: "out",
    remote: "1002",
    startedAt,
    answeredAt: startedAt + 1000,
    endedAt: startedAt + 61_000,
    durationMs: 60_000,
    result: "answered",
  };
}

/** An entry with its recording stored and noted, as app/call-audio-recording.ts leaves it. */
async function recorded(id: string, startedAt: number): Promise<HistoryEntry> {
  const e = entry(id, startedAt);
  await addHistory(e);
  const blob = new Blob([new Uint8Array(300)], { type: "audio/webm;codecs=opus" });
  await saveRecording(historyKeyOf(e), { blob, mimeType: blob.type, durationMs: 60_000 });
  expect(await attachRecording(historyKeyOf(e), { kept: true, bytes: 300, mimeType: blob.type, durationMs: 60_000 })).toBe(true);
  return e;
}

describe("the room a recording may take (navigator.storage.estimate)", () => {
  it("is what is left above the reserve, at most the cap; none under the minimum", () => {
    expect(recordingRoom({ quota: 1000 * MB, usage: 100 * MB })).toBe(RECORDING_MAX_BYTES);
    expect(recordingRoom({ quota: 100 * MB, usage: 50 * MB })).toBe(50 * MB - RECORDING_RESERVE_BYTES);
    expect(recordingRoom({ quota: 100 * MB, usage: 100 * MB - RECORDING_RESERVE_BYTES - RECORDING_MIN_BYTES })).toBe(RECORDING_MIN_BYTES);
    expect(recordingRoom({ quota: 100 * MB, usage: 100 * MB - RECORDING_RESERVE_BYTES - RECORDING_MIN_BYTES + 1 })).toBe(0);
    expect(recordingRoom({ quota: 10 * MB, usage: 0 })).toBe(0);
    expect(recordingRoom({ quota: 100 * MB, usage: 120 * MB })).toBe(0);
  });

  it("is the cap where the browser gives no estimate (a full storage is then reported by the write)", () => {
    expect(recordingRoom(undefined)).toBe(RECORDING_MAX_BYTES);
    expect(recordingRoom({ usage: 5 })).toBe(RECORDING_MAX_BYTES);
  });
});

describe("recordings kept with their history entries", () => {
  beforeEach(async () => {
    await clearHistory();
  });

  it("stores the file under the entry's key and reads it back whole", async () => {
    const e = await recorded("c1", 1_700_000_000_000);
    const stored = await loadRecording(historyKeyOf(e));
    expect(stored?.mimeType).toBe("audio/webm;codecs=opus");
    expect(stored?.blob.size).toBe(300);
    expect((await allHistory())[0]?.recording).toEqual({ kept: true, bytes: 300, mimeType: "audio/webm;codecs=opus", durationMs: 60_000 });
  });

  it("a later write of the entry (the call's last) keeps the recording's note", async () => {
    const e = await recorded("c1", 1_700_000_000_000);
    await addHistory({ ...e, endedAt: e.endedAt + 5000 });
    expect((await allHistory())[0]?.recording).toMatchObject({ kept: true, bytes: 300 });
  });

  it("a note for an entry that is not there writes nothing", async () => {
    expect(await attachRecording(historyKeyOf(entry("nope", 5)), { kept: false, why: "write-failed" })).toBe(false);
    expect(await allHistory()).toEqual([]);
  });

  it("deleting an entry deletes its recording, and only its", async () => {
    const a = await recorded("a", 1_700_000_000_000);
    const b = await recorded("b", 1_700_000_100_000);
    await deleteHistoryEntry(a);
    expect((await allHistory()).map((e) => e.id)).toEqual(["b"]);
    expect(await loadRecording(historyKeyOf(a))).toBeUndefined();
    expect(await recordingKeys()).toEqual([historyKeyOf(b)]);
  });

  it("retention takes the recordings of the entries it prunes, by age and by count", async () => {
    const now = 1_800_000_000_000;
    const old = await recorded("old", now - 40 * DAY);
    const middle = await recorded("middle", now - 20 * DAY);
    const recent = await recorded("recent", now - 1 * DAY);
    await addHistory(entry("newest", now - 1000));
    expect(await pruneHistory({ maxEntries: 0, maxAgeDays: 30 }, now)).toBe(1);
    expect(await recordingKeys()).toEqual([historyKeyOf(middle), historyKeyOf(recent)]);
    expect(await loadRecording(historyKeyOf(old))).toBeUndefined();
    expect(await pruneHistory({ maxEntries: 2, maxAgeDays: 0 }, now)).toBe(1);
    expect((await allHistory()).map((e) => e.id)).toEqual(["newest", "recent"]);
    expect(await recordingKeys()).toEqual([historyKeyOf(recent)]);
  });

  it("clearing the history clears every recording", async () => {
    await recorded("a", 1_700_000_000_000);
    await recorded("b", 1_700_000_100_000);
    await clearHistory();
    expect(await recordingKeys()).toEqual([]);
  });
});
