import { describe, expect, it } from "vitest";
import { CallState, type CallSnapshot } from "../sip/api/call-state.js";
import { historyEntryFor, openHistoryEntry } from "./history-entry.js";

const base: CallSnapshot = {
  id: "c1",
  lineId: "l1",
  direction: "in",
  remote: "1001",
  remoteUri: "sip:1001@x",
  state: CallState.Ended,
  muted: false,
  held: false,
  heldByRemote: false,
  startedAt: 1000,
  endedAt: 5000,
};

describe("historyEntryFor", () => {
  it.each([
    [{ answeredAt: 2000 }, "answered", 3000],
    [{ reason: "missed" as const }, "missed", 0],
    [{ reason: "declined" as const, sipCode: 603 }, "declined", 0],
    [{ direction: "out" as const, reason: "cancelled" as const }, "cancelled", 0],
    [{ direction: "out" as const, reason: "rejected" as const, sipCode: 486 }, "failed", 0],
    // Another device of the same number took it: not a missed call.
    [{ reason: "answered-elsewhere" as const }, "answered-elsewhere", 0],
    [{ reason: "declined-elsewhere" as const }, "declined-elsewhere", 0],
  ])("%j -> %s", (patch, result, durationMs) => {
    const e = historyEntryFor({ ...base, ...patch }, "Office");
    expect(e.result).toBe(result);
    expect(e.durationMs).toBe(durationMs);
    expect(e.lineLabel).toBe("Office");
  });
});

describe("openHistoryEntry", () => {
  const live = { ...base, state: CallState.Incoming, endedAt: undefined };
  it.each([
    [{}, "missed"],
    [{ direction: "out" as const, state: CallState.Ringing }, "cancelled"],
    [{ state: CallState.Established, answeredAt: 2000 }, "answered"],
  ])("%j -> %s, open, as if it ended now", (patch, result) => {
    const e = openHistoryEntry({ ...live, ...patch }, "Office", 7000);
    expect(e).toMatchObject({ id: "c1", result, open: true, endedAt: 7000, startedAt: 1000 });
  });

  it("the entry written at the end has no open flag", () => {
    expect(historyEntryFor(base, "Office").open).toBeUndefined();
  });

  it("the entry written at the end carries the quality summary when there is one", () => {
    const quality = { mosAvg: 4.3, mosWorst: 4.1, lossWorstPercent: 0, jitterAvgMs: 1, codec: "opus", samples: 3 };
    expect(historyEntryFor({ ...base, answeredAt: 2000 }, "Office", quality).quality).toBe(quality);
    expect("quality" in historyEntryFor(base, "Office")).toBe(false);
  });
});
