import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setup, stop } from "../test-support/phone-harness.js";
import type { LineSnapshot } from "./line-state.js";

describe("LineRegistry snapshots", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("gives the same snapshot until the line changes, and a new one with every change it announces", async () => {
    const { phone } = await setup();
    const announced: LineSnapshot[] = [];
    phone.on("line-state", (l) => announced.push(l));
    const first = phone.lines[0]!;
    expect(phone.lines[0]).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);

    phone.setDnd(true);
    const dnd = phone.lines[0]!;
    expect(dnd).not.toBe(first);
    expect(dnd.dnd).toBe(true);
    expect(announced.at(-1)).toBe(dnd);

    phone.setForward("l1", "1003");
    expect(phone.lines[0]?.forwardTo).toBe("1003");
    expect(phone.lines[0]?.dnd).toBe(true);

    const before = phone.lines[0]!;
    const done = phone.dispose();
    await vi.advanceTimersByTimeAsync(3000);
    await done;
    // The line's own changes (here: un-registering) show too, each announced as what `lines` gives.
    expect(announced.at(-1)?.state).not.toBe(before.state);
  });

  it("lists the lines in the configuration's order as they come and go, read while they change", async () => {
    const { phone } = await setup();
    const account = (id: string, user: string) => ({ id, sipUri: `sip:${user}@pbx.test`, password: "pw", servers: ["wss://pbx.test/ws"] });
    // Every event reads the whole list, as the element does.
    const seen: string[][] = [];
    phone.on("line-state", () => seen.push(phone.lines.map((l) => l.id)));
    phone.configure({ version: 1, accounts: [account("l0", "1000"), account("l1", "1001"), account("l2", "1002"), account("l3", "1003")] });
    expect(phone.lines.map((l) => l.id)).toEqual(["l0", "l1", "l2", "l3"]);
    expect(seen.at(-1)).toEqual(["l0", "l1", "l2", "l3"]);
    await vi.advanceTimersByTimeAsync(100);
    expect(phone.lines.map((l) => l.state)).toEqual(["registered", "registered", "registered", "registered"]);

    // What a reader does with the list it got is not what the next reader gets.
    const got = phone.lines;
    got.reverse();
    got.pop();
    expect(phone.lines.map((l) => l.id)).toEqual(["l0", "l1", "l2", "l3"]);

    phone.configure({ version: 1, accounts: [account("l2", "1002"), account("l1", "1001")] });
    expect(phone.lines.map((l) => l.id)).toEqual(["l2", "l1"]);
    await vi.advanceTimersByTimeAsync(3000);
    expect(phone.lines.map((l) => `${l.id} ${l.state}`)).toEqual(["l2 registered", "l1 registered"]);
    await stop(phone);
  });
});
