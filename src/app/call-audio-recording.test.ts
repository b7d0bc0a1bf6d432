// IndexedDB in Node (fake-indexeddb): the real stores under the keeper.
import "fake-indexeddb/auto";
import { beforeEach, describe, expect, it } from "vitest";
import { RecordingError } from "../sip/api/recording-media.js";
import { addHistory, allHistory, clearHistory, deleteHistoryEntry, historyKeyOf, type HistoryEntry } from "../storage/history-store.js";
import { RECORDING_MAX_BYTES, recordingKeys } from "../storage/recording-store.js";
import { CallAudioKeeper, recordingOf } from "./call-audio-recording.js";

const MB = 1024 * 1024;
const STARTED = 1_700_000_000_000;

const entry: HistoryEntry = {
  id: "c1",
  lineId: "l1",
  lineLabel: "Alice",
  direction: "in",
  remote: "1002",
  startedAt: STARTED,
  answeredAt: STARTED + 2000,
  endedAt: STARTED + 30_000,
  durationMs: 28_000,
  result: "answered",
};

const audio = (blob: Blob) => ({ callId: "c1", callStartedAt: STARTED, blob, mimeType: "audio/webm;codecs=opus", durationMs: 27_500 });

function keeper(estimate?: { quota?: number; usage?: number }) {
  const log = { saved: 0, failed: [] as string[] };
  const k = new CallAudioKeeper({
    saved: () => log.saved++,
    failed: (e) => log.failed.push(e.name),
    estimate: async () => estimate,
  });
  return { k, log };
}

describe("CallAudioKeeper: recordings into the history", () => {
  beforeEach(async () => {
    await clearHistory();
  });

  it("refuses a recording where the browser's storage has too little room left (no-room), else gives the room", async () => {
    await expect(keeper({ quota: 30 * MB, usage: 9 * MB }).k.room()).rejects.toEqual(new RecordingError("no-room"));
    expect(await keeper({ quota: 60 * MB, usage: 10 * MB }).k.room()).toBe(30 * MB);
    expect(await keeper(undefined).k.room()).toBe(RECORDING_MAX_BYTES);
  });

  it("keeps the file under the entry's key and notes its size, type and length in the entry", async () => {
    await addHistory(entry);
    const { k, log } = keeper();
    await k.keep(audio(new Blob([new Uint8Array(4321)], { type: "audio/webm;codecs=opus" })));
    expect((await allHistory())[0]?.recording).toEqual({ kept: true, bytes: 4321, mimeType: "audio/webm;codecs=opus", durationMs: 27_500 });
    const stored = await recordingOf(entry);
    expect(stored?.blob.size).toBe(4321);
    expect(stored?.durationMs).toBe(27_500);
    expect(log).toEqual({ saved: 1, failed: [] });
    await deleteHistoryEntry(entry);
    expect(await recordingOf(entry)).toBeUndefined();
  });

  it("a file that cannot be written is noted in the entry as not saved", async () => {
    await addHistory(entry);
    const { k, log } = keeper();
    // Not cloneable: IndexedDB refuses it as a full disk would refuse a real file.
    await k.keep(audio((() => 0) as unknown as Blob));
    expect((await allHistory())[0]?.recording).toEqual({ kept: false, why: "write-failed" });
    expect(log.failed).toEqual(["DataCloneError"]);
    expect(await recordingKeys()).toEqual([]);
  });

  it("a file whose entry was deleted meanwhile is not left behind", async () => {
    const { k } = keeper();
    await k.keep(audio(new Blob([new Uint8Array(10)])));
    expect(await allHistory()).toEqual([]);
    expect(await recordingKeys()).toEqual([]);
    expect(historyKeyOf(entry)).toMatch(/-c1$/);
  });
});
