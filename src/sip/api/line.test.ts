import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionDescriptionHandlerFactory } from "sip.js";
import { Line } from "./line.js";
import { LineState, type LineSnapshot } from "./line-state.js";
import { FlowRegistry } from "../platform/web/websocket-flow.js";
import { MemoryPeer } from "../test-support/memory-peer.js";

const account = {
  id: "l1",
  sipUri: "sip:1001@pbx.test",
  password: "pw",
  servers: ["wss://pbx.test/ws"],
};

function makeLine(registrar: MemoryPeer, timing = {}, accountPatch: Partial<typeof account> & Record<string, unknown> = {}) {
  const states: LineSnapshot[] = [];
  const line = new Line(
    { ...account, ...accountPatch },
    {
      sdhFactory: (() => {
        throw new Error("no media in unit tests");
      }) as unknown as SessionDescriptionHandlerFactory,
      onInvite: () => undefined,
      // The production transport: one shared WebSocket per server, here an in-memory one.
      transportConstructor: new FlowRegistry(registrar.socketFactory()).transportClass(),
      logConnector: () => undefined,
      timing: { keepAliveMs: 30_000, keepAliveTimeoutMs: 5000, ...timing },
    },
  );
  line.on("change", (s) => states.push(s));
  return { line, states };
}

/** stop() waits (bounded) for the un-REGISTER: let the fake clock run meanwhile. */
async function stopLine(line: Line) {
  const stopping = line.stop();
  await vi.advanceTimersByTimeAsync(3000);
  await stopping;
}

describe("Line", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("connects, answers the digest challenge and becomes registered", async () => {
    const reg = new MemoryPeer();
    const { line, states } = makeLine(reg);
    line.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(line.snapshot.state).toBe(LineState.Registered);
    expect(states.map((s) => s.state)).toEqual(["connecting", "registering", "registered"]);
    expect(reg.count("REGISTER")).toBe(2);
    await stopLine(line);
  });

  it("accepts a registrar that rewrites the Contact (SIP.js #852, patched in patches/)", async () => {
    const reg = new MemoryPeer();
    reg.behaviour.rewriteContact = true;
    const { line } = makeLine(reg);
    line.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(line.snapshot.state).toBe(LineState.Registered);
    await stopLine(line);
  });

  it("a 200 whose only Contact is rewritten and carries no expiry keeps the asked-for expiry (no REGISTER storm)", async () => {
    const reg = new MemoryPeer();
    reg.behaviour.rewriteContact = true;
    reg.behaviour.omitExpires = true;
    const { line } = makeLine(reg, { keepAliveMs: 10 ** 9 });
    line.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(line.snapshot.state).toBe(LineState.Registered);
    // The challenge and the authenticated REGISTER, nothing more: the binding lasts what we
    // asked for (600 s), refreshed at 450 s.
    expect(reg.count("REGISTER")).toBe(2);
    await vi.advanceTimersByTimeAsync(430_000); // 440 s after start
    expect(reg.count("REGISTER")).toBe(2);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(reg.count("REGISTER")).toBe(3);
    await stopLine(line);
  });

  for (const bindings of ["none", "others"] as const) {
    it(`a 200 that lists ${bindings === "none" ? "no binding at all" : "only others' bindings"} is an error the user sees, retried with backoff (no loop)`, async () => {
      const reg = new MemoryPeer();
      reg.behaviour.bindings = bindings;
      const { line } = makeLine(reg, { keepAliveMs: 10 ** 9 });
      line.start();
      await vi.advanceTimersByTimeAsync(100);
      expect(line.snapshot.state).toBe(LineState.Failed);
      expect(line.snapshot.error).toMatchObject({ kind: "binding" });
      const retryInMs = line.snapshot.error!.retryInMs!;
      expect(retryInMs).toBeGreaterThan(0);
      const n = reg.count("REGISTER");
      expect(n).toBe(2);
      // The failure came within the first 100 ms; nothing is sent before the backoff is over.
      await vi.advanceTimersByTimeAsync(retryInMs - 150);
      expect(reg.count("REGISTER")).toBe(n);
      // The registrar is fixed: the retry registers.
      reg.behaviour.bindings = "ours";
      await vi.advanceTimersByTimeAsync(10_000);
      expect(line.snapshot.state).toBe(LineState.Registered);
      expect(line.snapshot.error).toBeUndefined();
      await stopLine(line);
    });
  }

  it("a registrar granting 1 s is refreshed every 15 s at most (clamped to 30 s), not every second", async () => {
    const reg = new MemoryPeer();
    reg.behaviour.expires = 1;
    const { line } = makeLine(reg, { keepAliveMs: 10 ** 9 });
    line.start();
    await vi.advanceTimersByTimeAsync(14_000);
    expect(line.snapshot.state).toBe(LineState.Registered);
    expect(reg.count("REGISTER")).toBe(2);
    await vi.advanceTimersByTimeAsync(46_000); // one minute: four refreshes at most
    expect(reg.count("REGISTER")).toBeLessThanOrEqual(2 + 4);
    expect(line.snapshot.state).toBe(LineState.Registered);
    await stopLine(line);
  });

  it("423 Interval Too Brief is retried once with the registrar's Min-Expires, and the line registers", async () => {
    const reg = new MemoryPeer();
    reg.behaviour.minExpires = 1800;
    const { line } = makeLine(reg, { keepAliveMs: 10 ** 9 });
    line.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(line.snapshot.state).toBe(LineState.Registered);
    const registers = reg.received.filter((m) => "method" in m && m.method === "REGISTER");
    expect(registers.at(-1)?.getHeader("contact")).toMatch(/;expires=1800\b/);
    await stopLine(line);
  });

  for (const header of ["0", "abc", "999999"]) {
    it(`423 with Min-Expires "${header}" is a failure retried with backoff, not a REGISTER loop`, async () => {
      const reg = new MemoryPeer();
      reg.behaviour.minExpires = 1800;
      reg.behaviour.minExpiresHeader = header;
      const { line } = makeLine(reg, { keepAliveMs: 10 ** 9 });
      line.start();
      // Less than the shortest backoff (750 ms): a loop would show here.
      await vi.advanceTimersByTimeAsync(500);
      expect(line.snapshot.error).toMatchObject({ kind: "server", code: 423 });
      expect(reg.count("REGISTER")).toBe(2);
      await stopLine(line);
    });
  }

  it("a huge Retry-After is clamped to an hour, not a timer that fires at once", async () => {
    const reg = new MemoryPeer();
    reg.behaviour.authResult = 503;
    reg.behaviour.retryAfter = "4000000";
    const { line } = makeLine(reg);
    line.start();
    await vi.advanceTimersByTimeAsync(100);
    const n = reg.count("REGISTER");
    expect(line.snapshot.error).toMatchObject({ kind: "server", code: 503, retryInMs: 3_600_000 });
    await vi.advanceTimersByTimeAsync(3_599_000);
    expect(reg.count("REGISTER")).toBe(n);
    reg.behaviour.authResult = 200;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(line.snapshot.state).toBe(LineState.Registered);
    await stopLine(line);
  });

  it("refreshes the registration at 75 % of the granted expiry", async () => {
    const reg = new MemoryPeer();
    const { line } = makeLine(reg, { keepAliveMs: 10 ** 9 });
    line.start();
    await vi.advanceTimersByTimeAsync(100);
    const before = reg.count("REGISTER");
    await vi.advanceTimersByTimeAsync(449_000);
    expect(reg.count("REGISTER")).toBe(before);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(reg.count("REGISTER")).toBeGreaterThan(before);
    expect(line.snapshot.state).toBe(LineState.Registered);
    await stopLine(line);
  });

  it("a wrong password is final: one failed attempt, then at most one retry a minute", async () => {
    const reg = new MemoryPeer();
    reg.behaviour.authResult = 403;
    const { line } = makeLine(reg);
    line.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(line.snapshot.state).toBe(LineState.Failed);
    expect(line.snapshot.error).toMatchObject({ kind: "auth", code: 403 });
    expect(reg.count("REGISTER")).toBe(2);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(reg.count("REGISTER")).toBe(2);
    await vi.advanceTimersByTimeAsync(2_000);
    // The retry re-uses the credentials the server refused: one more REGISTER, refused again.
    expect(reg.count("REGISTER")).toBe(3);
    expect(line.snapshot.state).toBe(LineState.Failed);
    await stopLine(line);
  });

  it("an unreachable server is retried within seconds at first, then ever less often, up to 60 s", async () => {
    const reg = new MemoryPeer();
    reg.behaviour.reachable = false;
    const { line, states } = makeLine(reg);
    line.start();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    const early = reg.connections.length;
    // About every 3.75 s during the first five minutes (0.5-2 s, 2-4 s, then 2.5-5 s apart).
    expect(early).toBeGreaterThanOrEqual(60);
    expect(early).toBeLessThanOrEqual(125);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    const late = reg.connections.length - early;
    // Then doubling to 60 s: 4+8+16+32+60+60... seconds fit about 12-16 in ten minutes.
    expect(late).toBeLessThanOrEqual(20);
    const failed = states.filter((s) => s.state === "failed");
    expect(failed.at(-1)?.error).toMatchObject({ kind: "transport", servers: ["wss://pbx.test/ws"] });
    const delays = failed
      .map((s) => s.error!.retryAt!)
      .map((t, i, a) => (i ? t - a[i - 1] : 0))
      .slice(1);
    expect(Math.max(...delays)).toBeLessThanOrEqual(60_000 + 100);
    reg.behaviour.reachable = true;
    await vi.advanceTimersByTimeAsync(61_000);
    expect(line.snapshot.state).toBe(LineState.Registered);
    await stopLine(line);
  });

  it("a dropped connection is reconnected and registered again (SIP.js #1095)", async () => {
    const reg = new MemoryPeer();
    const { line } = makeLine(reg);
    line.start();
    await vi.advanceTimersByTimeAsync(100);
    const before = reg.count("REGISTER");
    reg.dropAll();
    expect(line.snapshot.state).toBe(LineState.Failed);
    // The first retry comes within 0.5-2 s (backoff.ts).
    await vi.advanceTimersByTimeAsync(2_100);
    expect(line.snapshot.state).toBe(LineState.Registered);
    expect(reg.count("REGISTER")).toBeGreaterThan(before);
    await stopLine(line);
  });

  it("a socket that stops answering is detected by the OPTIONS keep-alive", async () => {
    const reg = new MemoryPeer();
    const { line } = makeLine(reg);
    line.start();
    await vi.advanceTimersByTimeAsync(100);
    reg.behaviour.answers = false;
    await vi.advanceTimersByTimeAsync(30_000 + 5_100);
    expect(reg.count("OPTIONS")).toBe(1);
    expect(line.snapshot.state).not.toBe(LineState.Registered);
    reg.behaviour.answers = true;
    // The first retry comes within 0.5-2 s (backoff.ts).
    await vi.advanceTimersByTimeAsync(2_100);
    expect(line.snapshot.state).toBe(LineState.Registered);
    await stopLine(line);
  });

  it("a 503 with Retry-After waits as long as the server asks", async () => {
    const reg = new MemoryPeer();
    reg.behaviour.authResult = 503;
    const { line } = makeLine(reg);
    line.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(line.snapshot.error).toMatchObject({ kind: "server", code: 503 });
    const n = reg.count("REGISTER");
    await vi.advanceTimersByTimeAsync(29_000);
    expect(reg.count("REGISTER")).toBe(n);
    reg.behaviour.authResult = 200;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(line.snapshot.state).toBe(LineState.Registered);
    await stopLine(line);
  });

  it("fails over to the next server at once, and backs off only when all failed", async () => {
    const reg = new MemoryPeer();
    reg.behaviour.deadServers = ["wss://a.test/ws"];
    const { line } = makeLine(reg, {}, { servers: ["wss://a.test/ws", "wss://b.test/ws"] });
    line.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(reg.connections).toEqual(["wss://a.test/ws", "wss://b.test/ws"]);
    expect(line.snapshot.state).toBe(LineState.Registered);
    expect(line.snapshot.server).toBe("wss://b.test/ws");
    // (The shared flow remembers a failed opening for 2 s: lines retrying on their own timers
    // must not each open a socket. Past that, a is tried for real.)
    await vi.advanceTimersByTimeAsync(2_100);
    // b goes away: a is tried at once; a is dead too, so the next round waits for the backoff.
    reg.behaviour.deadServers = ["wss://a.test/ws", "wss://b.test/ws"];
    reg.dropAll();
    await vi.advanceTimersByTimeAsync(100);
    expect(reg.connections.slice(2)).toEqual(["wss://a.test/ws"]);
    expect(line.snapshot.error).toMatchObject({ kind: "transport", servers: ["wss://a.test/ws", "wss://b.test/ws"] });
    expect(line.snapshot.error?.retryInMs).toBeGreaterThan(0);
    reg.behaviour.deadServers = ["wss://a.test/ws"];
    await vi.advanceTimersByTimeAsync(2_100);
    expect(reg.connections.slice(3)).toEqual(["wss://b.test/ws"]);
    expect(line.snapshot.state).toBe(LineState.Registered);
    await stopLine(line);
  });

  it("register: false connects for outgoing calls without a REGISTER", async () => {
    const reg = new MemoryPeer();
    const { line } = makeLine(reg, {}, { register: false });
    line.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(line.snapshot.state).toBe(LineState.Connected);
    expect(reg.count("REGISTER")).toBe(0);
    await stopLine(line);
    expect(reg.count("REGISTER")).toBe(0);
  });

  it("the browser's online event retries at once instead of waiting for the backoff", async () => {
    const reg = new MemoryPeer();
    reg.behaviour.reachable = false;
    const { line } = makeLine(reg, { backoffFastPhaseMs: 0 });
    line.start();
    await vi.advanceTimersByTimeAsync(40_000); // the backoff has grown to tens of seconds
    // Not just before the scheduled retry (the delays are random): then the retry below is ours.
    for (let i = 0; i < 40 && line.snapshot.error!.retryAt! - Date.now() < 1000; i++) await vi.advanceTimersByTimeAsync(500);
    expect(line.snapshot.state).toBe(LineState.Failed);
    expect(line.snapshot.error!.retryInMs).toBeGreaterThan(5_000);
    expect(line.snapshot.error!.retryAt! - Date.now()).toBeGreaterThanOrEqual(1000);
    reg.behaviour.reachable = true;
    line.reconnectNow();
    // Well before the scheduled retry (>= 1 s away): a few steps, for the connection's own
    // promise chain (once seen to need more than one step on a loaded machine).
    for (let i = 0; i < 9 && line.snapshot.state !== LineState.Registered; i++) await vi.advanceTimersByTimeAsync(100);
    expect(line.snapshot.state).toBe(LineState.Registered);
    await stopLine(line);
  });

  it("reconnectNow right after a failed attempt tries the server again: that failure is from before the network came back", async () => {
    const reg = new MemoryPeer();
    reg.behaviour.reachable = false;
    const { line } = makeLine(reg);
    line.start();
    for (let i = 0; i < 100 && line.snapshot.state !== LineState.Failed; i++) await vi.advanceTimersByTimeAsync(10);
    expect(line.snapshot.state).toBe(LineState.Failed);
    reg.behaviour.reachable = true;
    // Within the window in which a failed attempt answers for other lines' joins (websocket-flow.ts).
    line.reconnectNow();
    for (let i = 0; i < 9 && line.snapshot.state !== LineState.Registered; i++) await vi.advanceTimersByTimeAsync(50);
    expect(line.snapshot.state).toBe(LineState.Registered);
    await stopLine(line);
  });

  it("stop() unregisters and ends disabled", async () => {
    const reg = new MemoryPeer();
    const { line, states } = makeLine(reg);
    line.start();
    await vi.advanceTimersByTimeAsync(100);
    const stopping = line.stop();
    await vi.advanceTimersByTimeAsync(100);
    await stopping;
    expect(line.snapshot.state).toBe(LineState.Disabled);
    expect(states.map((s) => s.state).slice(-2)).toEqual(["unregistering", "disabled"]);
    const last = reg.requests("REGISTER").at(-1)!;
    expect(last.data).toMatch(/expires=0|Expires: 0/i);
  });
});

describe("Line stopped while its REGISTER is in flight", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("a 200 that comes after stop() changes nothing: the line ends disabled, no error, no refresh", async () => {
    const reg = new MemoryPeer();
    reg.behaviour.answers = false;
    const errors: unknown[] = [];
    const { line, states } = makeLine(reg);
    line.on("change", (s) => s.error && errors.push(s.error));
    line.start();
    await vi.advanceTimersByTimeAsync(50);
    const [register] = reg.requests("REGISTER");
    expect(register).toBeDefined();
    const stopping = line.stop();
    const contact = register!.getHeader("contact") ?? "";
    reg.reply([...reg.sockets][0]!, register!, 200, [`Contact: ${contact};expires=600`]);
    // SIP.js then un-REGISTERs the binding that 200 made; unanswered here, it ends by Timer F.
    await vi.advanceTimersByTimeAsync(40_000);
    await stopping;
    expect(line.snapshot.state).toBe(LineState.Disabled);
    expect(states.map((s) => s.state)).not.toContain("registered");
    expect(errors).toEqual([]);
    const sent = reg.count("REGISTER");
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(reg.count("REGISTER")).toBe(sent);
  });
});

describe("refreshDelayMs: a hidden tab's late timer still refreshes in time", () => {
  it("75 % of a 600 s registration (150 s to spare), 90 s before the end of a long one, half of a short one", async () => {
    const { refreshDelayMs } = await import("./line.js");
    expect(refreshDelayMs(600, 0.75)).toBe(450_000);
    expect(refreshDelayMs(3600, 0.75)).toBe(2_700_000);
    expect(refreshDelayMs(300, 0.75)).toBe(210_000);
    expect(refreshDelayMs(120, 0.75)).toBe(60_000);
    for (const expires of [120, 300, 600, 1800, 3600])
      expect(expires * 1000 - refreshDelayMs(expires, 0.75)).toBeGreaterThanOrEqual(60_000);
  });
});
