import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryPeer } from "../test-support/memory-peer.js";
import { testPlatform } from "../test-support/test-platform.js";
import { Phone } from "./phone.js";

/** A phone with `n` lines on one server (one shared WebSocket), pinging every 30 s. */
async function phoneWithLines(n: number) {
  const peer = new MemoryPeer();
  const phone = new Phone({ platform: testPlatform(peer), lineTiming: { keepAliveMs: 30_000, keepAliveTimeoutMs: 5000 } });
  phone.configure({
    version: 1,
    accounts: Array.from({ length: n }, (_, i) => ({
      id: `l${i}`,
      sipUri: `sip:${1000 + i}@pbx.test`,
      password: "pw",
      servers: ["wss://pbx.test/ws"],
    })),
  });
  await vi.advanceTimersByTimeAsync(500);
  expect(phone.lines.every((l) => l.state === "registered")).toBe(true);
  return { peer, phone };
}

describe("keep-alive per socket, not per line", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("50 lines on one socket send about one OPTIONS per interval, not 50", async () => {
    const { peer, phone } = await phoneWithLines(50);
    expect(peer.sockets.size).toBe(1);
    const before = peer.count("OPTIONS");
    await vi.advanceTimersByTimeAsync(5 * 30_000);
    const pings = peer.count("OPTIONS") - before;
    expect(pings).toBeGreaterThanOrEqual(4);
    expect(pings).toBeLessThanOrEqual(10);
    const stopping = phone.dispose();
    await vi.advanceTimersByTimeAsync(3000);
    await stopping;
  });

  it("when the shared ping goes unanswered, every line on the socket finds it dead", async () => {
    const { peer, phone } = await phoneWithLines(5);
    // Each line's own failure, as its events report it: by the time all five have failed, the
    // first may already be retrying (the retry delays are random), so the states at one
    // instant do not say it.
    const failed = new Set<string>();
    phone.on("line-state", (l) => l.state === "failed" && failed.add(l.id));
    peer.behaviour.answers = false;
    // In steps until all five have failed, and then the peer answers again: a retry that goes
    // out while it is still silent waits for its REGISTER's transaction timeout, longer than
    // this test waits (it failed that way when 35.1 s went by in one step).
    for (let t = 0; t < 30_000 + 5_100 && failed.size < 5; t += 100) await vi.advanceTimersByTimeAsync(100);
    expect([...failed].sort()).toEqual(["l0", "l1", "l2", "l3", "l4"]);
    peer.behaviour.answers = true;
    for (let i = 0; i < 100 && !phone.lines.every((l) => l.state === "registered"); i++) await vi.advanceTimersByTimeAsync(100);
    expect(phone.lines.every((l) => l.state === "registered")).toBe(true);
    const stopping = phone.dispose();
    await vi.advanceTimersByTimeAsync(3000);
    await stopping;
  });

  it("when one line gets the shared socket back, the others waiting to retry register at once, not at their own timers", async () => {
    const { peer, phone } = await phoneWithLines(8);
    peer.behaviour.reachable = false;
    peer.dropAll();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(phone.lines.every((l) => l.state === "failed")).toBe(true);
    peer.behaviour.reachable = true;
    // The first line's own retry (within a 5 s step) brings the socket back...
    for (let i = 0; i < 120 && !phone.lines.some((l) => l.state === "registered"); i++) await vi.advanceTimersByTimeAsync(50);
    expect(phone.lines.some((l) => l.state === "registered")).toBe(true);
    // ...and the rest follow it then, well before their own timers.
    await vi.advanceTimersByTimeAsync(200);
    expect(phone.lines.map((l) => l.state)).toEqual(Array(8).fill("registered"));
    const stopping = phone.dispose();
    await vi.advanceTimersByTimeAsync(3000);
    await stopping;
  });
});
