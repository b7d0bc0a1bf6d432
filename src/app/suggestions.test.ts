import { describe, expect, it } from "vitest";
import { suggest } from "./suggestions.js";
import type { HistoryEntry } from "../storage/history-store.js";

const contacts = [
  {
    id: "1",
    name: "Anna Berger",
    numbers: [
      { label: "work", number: "+43 1 505 641" },
      { label: "mobile", number: "0664 123" },
    ],
  },
  { id: "2", name: "Bob Smith", numbers: [{ label: "work", number: "1002" }] },
];
const history = [
  { remote: "1002", remoteName: "Bob" },
  { remote: "5056", remoteName: undefined },
] as HistoryEntry[];

describe("suggest", () => {
  it("matches names by word start and numbers by digits, each number once", () => {
    expect(suggest("ber", contacts, history).map((s) => s.number)).toEqual(["+43 1 505 641", "0664 123"]);
    expect(suggest("505", contacts, history).map((s) => [s.number, s.source])).toEqual([
      ["+43 1 505 641", "work"],
      ["5056", "recent"],
    ]);
    expect(suggest("100", contacts, history).map((s) => s.number)).toEqual(["1002"]);
    expect(suggest("", contacts, history)).toEqual([]);
  });
});
