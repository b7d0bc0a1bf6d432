// IndexedDB in Node (fake-indexeddb), WebCrypto from Node: the real storage code, no mocks of it.
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { CONFIG_SCHEMA, loadConfig, readRawConfigRecord, saveConfig, writeRawConfigRecord } from "./config-store.js";
import {
  addHistory,
  addHistoryBulk,
  allHistory,
  clearHistory,
  countHistory,
  csvCell,
  historyToCsv,
  PRUNE_EVERY,
  pruneHistory,
  recentHistory,
  type HistoryEntry,
} from "./history-store.js";
import { deleteContact, listContacts, saveContact } from "./contacts-store.js";
import { seal } from "./secret-box.js";
import { loadSettings, updateSettings } from "./settings-store.js";

const account = {
  id: "l1",
  sipUri: "sip:1001@pbx.example.com",
  password: "p4ssw0rd-secret",
  servers: ["wss://pbx.example.com/ws"],
  iceServers: [{ urls: "turn:turn.example.com", username: "u", credential: "turn-secret-123" }],
};

function rawText(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x instanceof ArrayBuffer || ArrayBuffer.isView(x) ? `<${(x as ArrayBuffer).byteLength} bytes>` : x));
}

describe("config store", () => {
  it("saves and loads a configuration; secrets are never stored in plain text", async () => {
    await saveConfig({ version: 1, accounts: [account] });
    const raw = rawText(await readRawConfigRecord());
    expect(raw).not.toContain("p4ssw0rd-secret");
    expect(raw).not.toContain("turn-secret-123");
    expect(raw).toContain(`"schema":${CONFIG_SCHEMA}`);
    expect(await loadConfig()).toEqual({ version: 1, accounts: [account] });
  });

  it("migrates a record written by schema 1 (ICE credentials in plain text) and seals them", async () => {
    // Exactly what the first release wrote.
    await writeRawConfigRecord({
      schema: 1,
      config: { version: 1, accounts: [{ ...account, password: await seal(account.password) }] },
      savedAt: 1,
    });
    expect(await loadConfig()).toEqual({ version: 1, accounts: [account] });
    const raw = rawText(await readRawConfigRecord());
    expect(raw).toContain(`"schema":2`);
    expect(raw).not.toContain("turn-secret-123");
  });

  it("refuses a record from a newer version instead of misreading it", async () => {
    await writeRawConfigRecord({ schema: 99, config: { version: 1, accounts: [] }, savedAt: 1 });
    await expect(loadConfig()).rejects.toThrow(/newer version of the phone \(schema 99\)/);
  });
});

describe("settings store", () => {
  it("fills defaults and updates in place", async () => {
    expect((await loadSettings()).historyViewedAt).toBe(0);
    await updateSettings({ defaultLineId: "l2" });
    await updateSettings({ historyViewedAt: 5 });
    expect(await loadSettings()).toEqual({ defaultLineId: "l2", historyViewedAt: 5 });
  });

  it("keeps the history retention as set; unset, it is absent (the app reads its default)", async () => {
    expect((await loadSettings()).historyRetention).toBeUndefined();
    await updateSettings({ historyRetention: { maxEntries: 0, maxAgeDays: 30 } });
    expect((await loadSettings()).historyRetention).toEqual({ maxEntries: 0, maxAgeDays: 30 });
    await updateSettings({ historyRetention: undefined });
  });
});

function entry(i: number, patch: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id: `c${i}`,
    lineId: "l1",
    lineLabel: "Office",
    direction: i % 2 ? "in" : "out",
    remote: `10${i}`,
    startedAt: 1_700_000_000_000 + i * 1000,
    endedAt: 1_700_000_000_000 + i * 1000 + 500,
    durationMs: 0,
    result: "missed",
    ...patch,
  };
}

describe("history store", () => {
  it("lists newest first, by cursor and in full", async () => {
    await clearHistory();
    await addHistoryBulk(Array.from({ length: 50 }, (_, i) => entry(i)));
    await addHistory(entry(99));
    expect(await countHistory()).toBe(51);
    expect((await recentHistory(3)).map((e) => e.id)).toEqual(["c99", "c49", "c48"]);
    const all = await allHistory();
    expect(all).toHaveLength(51);
    expect(all[0].id).toBe("c99");
    expect(all.at(-1)!.id).toBe("c0");
  });

  it("prunes by age and by count, oldest first, in one pass", async () => {
    await clearHistory();
    const now = 1_700_000_000_000 + 1000 * 1000;
    const day = 86_400_000;
    // 5 entries from 400 days ago, 30 recent ones.
    await addHistoryBulk([
      ...Array.from({ length: 5 }, (_, i) => entry(i, { startedAt: now - 400 * day + i })),
      ...Array.from({ length: 30 }, (_, i) => entry(100 + i)),
    ]);
    expect(await pruneHistory({ maxEntries: 0, maxAgeDays: 0 }, now)).toBe(0);
    expect(await countHistory()).toBe(35);
    expect(await pruneHistory({ maxEntries: 0, maxAgeDays: 365 }, now)).toBe(5);
    expect(await countHistory()).toBe(30);
    expect(await pruneHistory({ maxEntries: 20, maxAgeDays: 365 }, now)).toBe(10);
    expect((await allHistory()).map((e) => e.id)).toEqual(Array.from({ length: 20 }, (_, i) => `c${129 - i}`));
    expect(await pruneHistory({ maxEntries: 1, maxAgeDays: 0 }, now)).toBe(19);
    expect((await allHistory()).map((e) => e.id)).toEqual(["c129"]);
  });

  it(`applies the retention as entries are added, every ${PRUNE_EVERY} writes (not a count on every write)`, async () => {
    await clearHistory();
    const keep = { maxEntries: 10, maxAgeDays: 0 };
    for (let i = 0; i < PRUNE_EVERY - 1; i++) await addHistory(entry(i), keep);
    expect(await countHistory()).toBe(PRUNE_EVERY - 1);
    await addHistory(entry(PRUNE_EVERY - 1), keep);
    expect(await countHistory()).toBe(10);
    expect((await recentHistory(1))[0]!.id).toBe(`c${PRUNE_EVERY - 1}`);
    // Writing a call's entry again replaces it.
    await addHistory(entry(PRUNE_EVERY - 1, { result: "answered" }));
    expect(await countHistory()).toBe(10);
    expect((await recentHistory(1))[0]!.result).toBe("answered");
  });

  it("puts a never-recorded call's entry in one step, replacing its open version", async () => {
    await clearHistory();
    await addHistory(entry(7, { open: true }), undefined, { recorded: false });
    await addHistory(entry(7, { result: "cancelled" }), undefined, { recorded: false });
    expect(await allHistory()).toEqual([entry(7, { result: "cancelled" })]);
  });

  it("exports CSV that a spreadsheet cannot run as formulas", () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell("+43 1 505")).toBe("'+43 1 505");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("Smith, John")).toBe('"Smith, John"');
    const csv = historyToCsv([entry(1, { remoteName: "-2+3", sipCode: 486, result: "failed" })]);
    expect(csv.split("\r\n")[0]).toBe(
      "start,direction,line,number,name,result,sip_code,answered,end,duration_s,mos_avg,mos_worst,loss_worst_pct,jitter_avg_ms,rtt_avg_ms,codec",
    );
    expect(csv).toContain(",'-2+3,failed,486,");
    // No quality summary (never heard, or written before calls were sampled): empty cells.
    expect(csv.split("\r\n")[1]).toMatch(/,0,,,,,,$/);
  });

  it("keeps a call's quality summary, exports it in the MOS columns, and still reads entries without one", async () => {
    await clearHistory();
    const quality = { mosAvg: 4.31, mosWorst: 3.9, lossWorstPercent: 1.5, jitterAvgMs: 2.4, rttAvgMs: 12.5, codec: "opus", samples: 7 };
    await addHistory(entry(1));
    await addHistory(entry(2, { result: "answered", durationMs: 35_000, quality }));
    const [heard, old] = await recentHistory(2);
    expect(heard!.quality).toEqual(quality);
    expect(old!.quality).toBeUndefined();
    const csv = historyToCsv([heard!, old!]).split("\r\n");
    expect(csv[1]).toMatch(/,35,4\.31,3\.9,1\.5,2\.4,12\.5,opus$/);
    expect(csv[2]).toMatch(/,,,,,,$/);
  });
});

describe("contacts store", () => {
  it("keeps several numbers and notes, sorted by name", async () => {
    await saveContact({
      id: "b",
      name: "Bob",
      numbers: [
        { label: "work", number: "1002" },
        { label: "mobile", number: "+436641234" },
      ],
    });
    await saveContact({ id: "a", name: "Alice", numbers: [{ label: "work", number: "1001" }], notes: "reception" });
    expect((await listContacts()).map((c) => c.name)).toEqual(["Alice", "Bob"]);
    await deleteContact("a");
    expect((await listContacts()).map((c) => c.id)).toEqual(["b"]);
  });
});
