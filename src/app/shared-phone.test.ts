import { afterEach, describe, expect, it, vi } from "vitest";
import { CallState, type CallSnapshot } from "../sip/api/call-state.js";
import { Emitter } from "../sip/core/emitter.js";
import { LineState, type LineSnapshot } from "../sip/api/line-state.js";
import { PhoneError, type Phone, type PhoneEvents } from "../sip/api/phone.js";
import { SharedPhone } from "./shared-phone.js";

/** Web Locks for one browser profile, in memory; `close(holder)` plays a tab closing. */
class FakeLocks {
  private held = new Map<string, number>();
  private queue: Array<{ name: string; cb: (lock: object | null) => unknown; owner: number }> = [];
  owner = 0;
  request(name: string, a: unknown, b?: unknown): Promise<unknown> {
    const cb = (typeof a === "function" ? a : b) as (lock: object | null) => unknown;
    const ifAvailable = typeof a === "object" && (a as { ifAvailable?: boolean }).ifAvailable;
    const owner = this.owner;
    if (!this.held.has(name)) {
      this.held.set(name, owner);
      return Promise.resolve(cb({ name }));
    }
    if (ifAvailable) return Promise.resolve(cb(null));
    this.queue.push({ name, cb, owner });
    return new Promise(() => undefined);
  }
  close(owner: number): void {
    for (const [name, o] of this.held) {
      if (o !== owner) continue;
      this.held.delete(name);
      const next = this.queue.findIndex((q) => q.name === name);
      if (next >= 0) {
        const [q] = this.queue.splice(next, 1);
        this.held.set(name, q!.owner);
        void q!.cb({ name });
      }
    }
  }
}

class StubPhone extends Emitter<PhoneEvents> {
  lines: LineSnapshot[] = [];
  calls: CallSnapshot[] = [];
  trace = undefined;
  dialled: string[] = [];
  fire(name: keyof PhoneEvents, data: CallSnapshot): void {
    this.emit(name, data);
  }
  async dial(target: string) {
    if (target === "bad") throw new PhoneError('"bad" is not a phone number', "bad-target");
    this.dialled.push(target);
    return "c1";
  }
}

const line: LineSnapshot = { id: "l1", label: "Alice", aor: "sip:1001@x", state: LineState.Registered, server: "wss://x" };
const call: CallSnapshot = {
  id: "c1",
  lineId: "l1",
  direction: "out",
  remote: "1002",
  remoteUri: "sip:1002@x",
  state: CallState.Ringing,
  muted: false,
  held: false,
  heldByRemote: false,
  startedAt: 1,
};
const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

let locks: FakeLocks;
afterEach(() => vi.unstubAllGlobals());

async function tab(owner: number, group: string) {
  locks.owner = owner;
  const local = new StubPhone();
  const shared = new SharedPhone(local as unknown as Phone, group);
  const leads: boolean[] = [];
  await shared.start(async (takeover) => {
    leads.push(takeover);
    local.lines = [line];
  });
  return { local, shared, leads };
}

describe("SharedPhone: one tab leads, the others go through it", () => {
  it("elects one leader; a follower mirrors its lines and calls and dials through it", async () => {
    locks = new FakeLocks();
    vi.stubGlobal("navigator", { locks });
    const a = await tab(1, "g1");
    const b = await tab(2, "g1");
    expect([a.shared.isLeader, b.shared.isLeader]).toEqual([true, false]);
    expect(a.leads).toEqual([false]);
    expect(b.shared.lines).toEqual([line]);

    expect(await b.shared.dial("1002")).toBe("c1");
    expect(a.local.dialled).toEqual(["1002"]);
    await expect(b.shared.dial("bad")).rejects.toMatchObject({
      name: "PhoneError",
      code: "bad-target",
      message: '"bad" is not a phone number',
    });

    const seen: string[] = [];
    b.shared.on("call-state", (c) => seen.push(c.state));
    a.local.fire("call-state", call);
    await tick();
    expect(b.shared.calls).toEqual([call]);
    a.local.fire("call-state", { ...call, state: CallState.Ended });
    await tick();
    expect(b.shared.calls).toEqual([]);
    expect(seen).toEqual(["ringing", "ended"]);
  });

  it("when the leader closes, the next tab takes over and starts the lines", async () => {
    locks = new FakeLocks();
    vi.stubGlobal("navigator", { locks });
    const a = await tab(1, "g2");
    const b = await tab(2, "g2");
    expect(b.leads).toEqual([]);
    locks.close(1);
    await tick();
    expect(b.shared.isLeader).toBe(true);
    expect(b.leads).toEqual([true]);
    expect(await b.shared.dial("1003")).toBe("c1");
    expect(b.local.dialled).toEqual(["1003"]);
    expect(a.local.dialled).toEqual([]);
  });

  it("without Web Locks every tab leads (as before)", async () => {
    vi.stubGlobal("navigator", {});
    const local = new StubPhone();
    const shared = new SharedPhone(local as unknown as Phone, "g3");
    await shared.start(async () => undefined);
    expect(shared.isLeader).toBe(true);
  });
});

describe("SharedPhone: a reload", () => {
  it("a tab that finds the lock still held by the unloading page leads as soon as it is released, without waiting for a state that will not come", async () => {
    locks = new FakeLocks();
    vi.stubGlobal("navigator", { locks });
    const old = await tab(1, "g4");
    // The old page is unloading: it holds the lock a moment longer but answers nothing.
    (old.shared as unknown as { channel: BroadcastChannel }).channel.close();
    locks.owner = 2;
    const local = new StubPhone();
    const shared = new SharedPhone(local as unknown as Phone, "g4");
    const t0 = Date.now();
    const started = shared.start(async () => undefined);
    setTimeout(() => locks.close(1), 20); // the old page goes; it never answered "hello"
    await started;
    expect(shared.isLeader).toBe(true);
    expect(Date.now() - t0).toBeLessThan(500);
  });
});
