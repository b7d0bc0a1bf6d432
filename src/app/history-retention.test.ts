import { describe, expect, it } from "vitest";
import { DEFAULT_HISTORY_RETENTION, historyRetentionOf } from "./history-retention.js";

describe("history retention", () => {
  it("keeps 10 000 calls for a year unless told otherwise", () => {
    expect(DEFAULT_HISTORY_RETENTION).toEqual({ maxEntries: 10_000, maxAgeDays: 365 });
    expect(historyRetentionOf({})).toEqual(DEFAULT_HISTORY_RETENTION);
  });

  it("0 keeps any number or age; unusable fields read as the default, field by field", () => {
    expect(historyRetentionOf({ historyRetention: { maxEntries: 0, maxAgeDays: 0 } })).toEqual({ maxEntries: 0, maxAgeDays: 0 });
    expect(historyRetentionOf({ historyRetention: { maxEntries: -1, maxAgeDays: 30 } })).toEqual({ maxEntries: 10_000, maxAgeDays: 30 });
    expect(historyRetentionOf({ historyRetention: { maxEntries: 500, maxAgeDays: 1.5 } })).toEqual({ maxEntries: 500, maxAgeDays: 365 });
    expect(historyRetentionOf({ historyRetention: { maxEntries: "5", maxAgeDays: null } as never })).toEqual(DEFAULT_HISTORY_RETENTION);
  });
});
