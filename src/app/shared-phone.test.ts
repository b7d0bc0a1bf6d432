import { afterEach, describe, expect, it, vi } from "vitest";
import { CallState, type CallSnapshot } from "../sip/api/call-state.js";
import type { MessageSnapshot } from "../sip/api/text-message.js";
import { PHONE_COMMANDS, type PhoneCommand, type RemoteCommands } from "../sip/api/commands.js";
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
  fire(name: keyof PhoneEvents, data: CallSnapshot | MessageSnapshot | LineSnapshot): void {
    (this.emit as (n: string, d: unknown) => void)(name, data);
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
  return tabWith(owner, group, new StubPhone());
}

async function tabWith<P extends Emitter<PhoneEvents> & { lines: LineSnapshot[] }>(owner: number, group: string, local: P) {
  locks.owner = owner;
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

  it("a follower mirrors line events sent together, in the leader's order, before the call event that followed them", async () => {
    locks = new FakeLocks();
    vi.stubGlobal("navigator", { locks });
    const a = await tab(1, "g3");
    const b = await tab(2, "g3");
    const seen: string[] = [];
    b.shared.on("line-state", (l) => seen.push(`${l.id} ${l.state}`));
    b.shared.on("call-state", (c) => seen.push(`call ${c.state}`));
    const l2: LineSnapshot = { ...line, id: "l2", label: "Bob", state: LineState.Connecting };
    a.local.fire("line-state", { ...line, state: LineState.Registering });
    a.local.fire("line-state", l2);
    a.local.fire("line-state", { ...line, state: LineState.Registered });
    a.local.fire("call-state", call);
    await tick();
    expect(seen).toEqual(["l1 registering", "l2 connecting", "l1 registered", "call ringing"]);
    expect(b.shared.lines).toEqual([line, l2]);
  });

  it("a follower gets the leader's message events, and keeps no message state of its own", async () => {
    locks = new FakeLocks();
    vi.stubGlobal("navigator", { locks });
    const a = await tab(1, "g1m");
    const b = await tab(2, "g1m");
    const message: MessageSnapshot = {
      id: "m1",
      lineId: "l1",
      direction: "in",
      remote: "1002",
      remoteUri: "sip:1002@x",
      text: "<b>hi</b>",
      at: 1,
      status: "received",
    };
    const seen: MessageSnapshot[] = [];
    b.shared.on("message", (m) => seen.push(m));
    a.local.fire("message", message);
    await tick();
    expect(seen).toEqual([message]);
    expect(b.shared.calls).toEqual([]);
    expect(b.shared.lines).toEqual([line]);
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
    // On a fake clock: it must lead once the lock is released, well before the 1 s it would wait
    // for a state from a live leader (no wall-clock bound, which a loaded CI machine can break).
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      let led = false;
      void shared.start(async () => undefined).then(() => (led = true));
      setTimeout(() => locks.close(1), 20); // the old page goes; it never answered "hello"
      await vi.advanceTimersByTimeAsync(200);
      expect(led).toBe(true);
      expect(shared.isLeader).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

/** A phone that records every command it runs, and `dispose` (a method that is not a command). */
class RecordingPhone extends Emitter<PhoneEvents> {
  lines: LineSnapshot[] = [];
  calls: CallSnapshot[] = [];
  trace = undefined;
  readonly ran: Array<[string, unknown[]]> = [];
  constructor() {
    super();
    for (const name of PHONE_COMMANDS) {
      Object.assign(this, {
        [name]: (...args: unknown[]) => {
          if (args[0] === "missing") throw new PhoneError('No call "missing"', "no-call", { callId: "missing" });
          this.ran.push([name, args]);
          return name === "dial" || name === "startConsultation" ? Promise.resolve(`${name}-id`) : undefined;
        },
      });
    }
  }
  dispose(): void {
    this.ran.push(["dispose", []]);
  }
}

/** Arguments for each command: the compiler asks for one more when a command is added. */
const EXAMPLE_ARGS: { [K in PhoneCommand]: Parameters<RemoteCommands[K]> } = {
  dial: ["1002", { lineId: "l1", mode: "desk" }],
  answer: ["c1"],
  decline: ["c1", 486],
  hangup: ["c1"],
  mute: ["c1", true],
  sendDtmf: ["c1", "12#"],
  hold: ["c1", false],
  swap: ["c1"],
  transfer: ["c1", "1003"],
  redirect: ["c1", "1004"],
  startConsultation: ["c1", "1005"],
  completeTransfer: ["c2"],
  cancelConsultation: ["c2"],
  conference: [["c1", "c2"]],
  splitConference: [],
  leaveConference: [],
  acceptReferral: ["c1"],
  declineReferral: ["c1"],
  callStats: ["c1"],
  setDnd: [true, "l1", 603],
  setForward: ["l1", "1006", { mode: "no-answer", after: 5 }],
  sendMessage: ["1002", "<b>hi</b>", { lineId: "l1" }],
  watch: ["1003", { lineId: "l1" }],
  unwatch: ["1003"],
  pickup: ["1003", { lineId: "l1" }],
  park: ["c1"],
  retrieve: ["700", { lineId: "l1" }],
  setAudio: [{ microphone: "mic-2", echoCancellation: false, callVolume: 0.5 }],
  audioDevices: [],
  record: ["c1", true],
  setVideo: ["c1", true],
  shareScreen: ["c1", false],
  acceptVideo: ["c1"],
  declineVideo: ["c1"],
  cameras: [],
};

function runCommand(phone: SharedPhone, name: PhoneCommand, args: unknown[]): Promise<unknown> {
  return (phone[name] as (...a: unknown[]) => Promise<unknown>)(...args);
}

describe("SharedPhone: the commands (sip/api/commands.ts)", () => {
  it("has a method for every command", () => {
    for (const name of PHONE_COMMANDS) expect(typeof SharedPhone.prototype[name], name).toBe("function");
  });

  it("a follower's every command reaches the leader, with its arguments, and comes back with the result", async () => {
    locks = new FakeLocks();
    vi.stubGlobal("navigator", { locks });
    const a = await tabWith(1, "g5", new RecordingPhone());
    const b = await tabWith(2, "g5", new RecordingPhone());
    expect(b.shared.isLeader).toBe(false);
    for (const name of PHONE_COMMANDS) {
      const result = await runCommand(b.shared, name, EXAMPLE_ARGS[name]);
      if (name === "dial" || name === "startConsultation") expect(result).toBe(`${name}-id`);
    }
    expect(a.local.ran).toEqual(PHONE_COMMANDS.map((name) => [name, EXAMPLE_ARGS[name]]));
    expect(b.local.ran).toEqual([]);
  });

  it("the leader runs its own commands locally, a synchronous refusal as a rejection", async () => {
    vi.stubGlobal("navigator", {});
    const local = new RecordingPhone();
    const shared = new SharedPhone(local as unknown as Phone, "g6");
    await shared.start(async () => undefined);
    for (const name of PHONE_COMMANDS) await runCommand(shared, name, EXAMPLE_ARGS[name]);
    expect(local.ran.map(([name]) => name)).toEqual([...PHONE_COMMANDS]);
    await expect(shared.mute("missing", true)).rejects.toMatchObject({ code: "no-call" });
  });

  it("a PhoneError in the leader reaches the follower with its code and detail", async () => {
    locks = new FakeLocks();
    vi.stubGlobal("navigator", { locks });
    await tabWith(1, "g7", new RecordingPhone());
    const b = await tabWith(2, "g7", new RecordingPhone());
    const error = await b.shared.hangup("missing").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhoneError);
    expect(error).toMatchObject({ code: "no-call", detail: { callId: "missing" }, message: 'No call "missing"' });
  });

  it("a leader ignores a method that is not a command", async () => {
    locks = new FakeLocks();
    vi.stubGlobal("navigator", { locks });
    const a = await tabWith(1, "g8", new RecordingPhone());
    const other = new BroadcastChannel("g8-tabs");
    const answers: unknown[] = [];
    other.onmessage = (e: MessageEvent<{ t: string }>) => {
      if (e.data.t === "result") answers.push(e.data);
    };
    other.postMessage({ t: "cmd", id: "x-1", method: "dispose", args: [] });
    other.postMessage({ t: "cmd", id: "x-2", method: "hangup", args: ["c1"] });
    await tick(20);
    other.close();
    expect(a.local.ran).toEqual([["hangup", ["c1"]]]);
    expect(answers).toEqual([{ t: "result", id: "x-2", ok: true, value: undefined }]);
  });

  it("a follower whose leader does not answer gives up after 10 s", async () => {
    locks = new FakeLocks();
    vi.stubGlobal("navigator", { locks });
    const a = await tabWith(1, "g9", new RecordingPhone());
    const b = await tabWith(2, "g9", new RecordingPhone());
    (a.shared as unknown as { channel: BroadcastChannel }).channel.close();
    vi.useFakeTimers();
    try {
      const answer = b.shared.answer("c1").catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(await answer).toMatchObject({ name: "PhoneError", code: "bad-state" });
    } finally {
      vi.useRealTimers();
    }
    expect(a.local.ran).toEqual([]);
  });
});
