import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "../storage/history-store.js";
import { HistorySearch } from "./history-search.js";

const entry = (i: number, patch: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id: `h${i}`,
  lineId: i % 2 ? "l1" : "l2",
  lineLabel: "",
  direction: i % 3 ? "out" : "in",
  remote: String(1000 + i),
  startedAt: i,
  endedAt: i + 1,
  durationMs: 0,
  result: i % 5 ? "answered" : "missed",
  ...patch,
});

describe("HistorySearch", () => {
  const entries = [...Array.from({ length: 200 }, (_, i) => entry(i)), entry(500, { remote: "0301234", remoteName: "Ünal Çelik" })];

  it("matches number and name in any case, within the line and direction chosen", () => {
    const s = new HistorySearch();
    s.setEntries(entries);
    expect(s.filter({ query: "ünal", lineId: "", direction: "" }).map((e) => e.id)).toEqual(["h500"]);
    expect(s.filter({ query: "ÇEL", lineId: "", direction: "" }).map((e) => e.id)).toEqual(["h500"]);
    const missedOnL1 = s.filter({ query: "11", lineId: "l1", direction: "missed" });
    expect(missedOnL1.length).toBeGreaterThan(0);
    expect(missedOnL1.every((e) => e.lineId === "l1" && e.result === "missed" && e.remote.includes("11"))).toBe(true);
  });

  it("typing on narrows the previous hits and finds exactly what a full scan finds", () => {
    const s = new HistorySearch();
    s.setEntries(entries);
    const scan = (q: string) => entries.filter((e) => `${e.remote} ${e.remoteName ?? ""}`.toLowerCase().includes(q));
    for (const q of ["1", "11", "115", "1150"]) expect(s.filter({ query: q, lineId: "", direction: "" })).toEqual(scan(q));
    // Deleting a character widens again: a full scan, not the narrowed set.
    expect(s.filter({ query: "11", lineId: "", direction: "" })).toEqual(scan("11"));
  });

  it("the same filter twice returns the same array (a scroll costs nothing); new entries start over", () => {
    const s = new HistorySearch();
    s.setEntries(entries);
    const a = s.filter({ query: "12", lineId: "", direction: "" });
    expect(s.filter({ query: " 12 ", lineId: "", direction: "" })).toBe(a);
    s.setEntries([...entries, entry(999, { remote: "1299" })]);
    expect(s.filter({ query: "12", lineId: "", direction: "" }).map((e) => e.id)).toContain("h999");
  });
});
