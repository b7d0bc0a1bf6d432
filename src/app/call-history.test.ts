// IndexedDB in Node (fake-indexeddb): the real storage code under the app.
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Phone } from "../sip/api/phone.js";
import { MemoryPeer, PEER_SDP } from "../sip/test-support/memory-peer.js";
import { testPlatform } from "../sip/test-support/test-platform.js";
import { addHistoryBulk, clearHistory, countHistory, recentHistory, type HistoryEntry } from "../storage/history-store.js";
import { PhoneApp } from "./phone-app.js";
import type { UnloadGuard } from "./unload-guard.js";

/**
 * A call is never lost from history, and closing the tab that holds it ends it properly: the
 * app on the in-memory SIP peer, the page's events played on a stand-in for `window`.
 */
const ACCOUNT = { id: "l1", label: "Office", sipUri: "sip:1001@pbx.test", password: "pw", servers: ["wss://pbx.test/ws"] };
const CONTACT = "Contact: <sip:1002@peer.test;transport=ws>";

function testApp(peer: MemoryPeer): PhoneApp {
  return new PhoneApp(new Phone({ platform: testPlatform(peer), lineTiming: { keepAliveMs: 10 ** 9 }, preopenMicrophoneOnRing: false }));
}

/** `window` for the app's listeners (Node has none). */
function stubWindow(): EventTarget {
  const win = new EventTarget();
  vi.stubGlobal("addEventListener", win.addEventListener.bind(win));
  vi.stubGlobal("removeEventListener", win.removeEventListener.bind(win));
  return win;
}

const pagehide = () => Object.assign(new Event("pagehide"), { persisted: false });
/** Whether the page would ask before closing. */
function asks(win: EventTarget): boolean {
  const e = new Event("beforeunload", { cancelable: true });
  // As the browser's BeforeUnloadEvent: `returnValue` can be set (the legacy way to ask).
  Object.defineProperty(e, "returnValue", { value: "", writable: true });
  win.dispatchEvent(e);
  return e.defaultPrevented;
}
const entryOf = async (id: string): Promise<HistoryEntry | undefined> => (await recentHistory(50)).find((e) => e.id === id);

async function leaderWithLine(peer: MemoryPeer) {
  const app = testApp(peer);
  await app.start();
  await app.configure({ version: 1, accounts: [ACCOUNT] });
  await vi.waitFor(() => expect(app.phone.lines.map((l) => l.state)).toEqual(["registered"]));
  peer.onRequest = (req, socket) => {
    if (req.method === "BYE" || req.method === "CANCEL") peer.reply(socket, req, 200);
  };
  return app;
}

afterEach(async () => {
  vi.unstubAllGlobals();
  await clearHistory();
});

describe("calls in the history, and closing the tab", () => {
  it("an incoming call is recorded while it rings, again when answered, and completed by pagehide (BYE sent)", async () => {
    vi.stubGlobal("navigator", {}); // no Web Locks: this tab leads
    const win = stubWindow();
    const peer = new MemoryPeer();
    const app = await leaderWithLine(peer);
    expect(asks(win)).toBe(false);

    const dialog = peer.invite("1001");
    await vi.waitFor(() => expect(app.phone.calls.map((c) => c.state)).toEqual(["incoming"]));
    const id = app.phone.calls[0]!.id;
    await vi.waitFor(async () => expect(await entryOf(id)).toMatchObject({ result: "missed", open: true, lineLabel: "Office" }));
    // Still ringing: not a missed call yet.
    expect(await app.missedCount()).toBe(0);
    expect(asks(win)).toBe(true);

    await app.phone.answer(id);
    await vi.waitFor(() => expect(dialog.responses("INVITE").some((r) => r.statusCode === 200)).toBe(true));
    dialog.confirm();
    await vi.waitFor(() => expect(app.phone.calls[0]?.state).toBe("established"));
    // The phone may send its BYE only once our ACK is in (RFC 3261 15): the peer delivers after 1 ms.
    await new Promise((r) => setTimeout(r, 20));
    await vi.waitFor(async () => expect(await entryOf(id)).toMatchObject({ result: "answered", open: true }));

    win.dispatchEvent(pagehide());
    // On the wire before the handler returned.
    expect(peer.count("BYE")).toBe(1);
    await vi.waitFor(async () => {
      const e = await entryOf(id);
      expect(e).toMatchObject({ result: "answered", direction: "in" });
      expect(e?.open).toBeUndefined();
    });
    expect(await countHistory()).toBe(1);
    // No stop(): after pagehide nothing of the page runs (the phone would register again).
  });

  it("an outgoing call that rings is cancelled by pagehide and recorded as not answered", async () => {
    vi.stubGlobal("navigator", {});
    const win = stubWindow();
    const peer = new MemoryPeer();
    const app = await leaderWithLine(peer);
    // The far end rings; a CANCEL ends the INVITE with 487, as RFC 3261 9.2 has it.
    let invite: Parameters<NonNullable<MemoryPeer["onRequest"]>>[0] | undefined;
    peer.onRequest = (req, socket) => {
      if (req.method === "INVITE") peer.reply(socket, (invite = req), 180, [CONTACT]);
      else if (req.method === "CANCEL") {
        peer.reply(socket, req, 200);
        peer.reply(socket, invite!, 487);
      }
    };

    const id = await app.phone.dial("1002");
    await vi.waitFor(() => expect(app.phone.calls[0]?.state).toBe("ringing"));
    await vi.waitFor(async () => expect(await entryOf(id)).toMatchObject({ result: "cancelled", open: true, direction: "out" }));
    expect(asks(win)).toBe(true);

    win.dispatchEvent(pagehide());
    expect(peer.count("CANCEL")).toBe(1);
    await vi.waitFor(async () => {
      const e = await entryOf(id);
      expect(e).toMatchObject({ result: "cancelled", remote: "1002" });
      expect(e?.open).toBeUndefined();
    });
  });

  it("a call that ends normally is one entry, completed; the prompt goes with the call", async () => {
    vi.stubGlobal("navigator", {});
    const win = stubWindow();
    const peer = new MemoryPeer();
    const app = await leaderWithLine(peer);
    const rest = peer.onRequest;
    peer.onRequest = (req, socket) => (req.method === "INVITE" ? peer.reply(socket, req, 200, [CONTACT], PEER_SDP) : rest?.(req, socket));
    const id = await app.phone.dial("1002");
    await vi.waitFor(() => expect(app.phone.calls[0]?.state).toBe("established"));
    expect(asks(win)).toBe(true);
    await app.phone.hangup(id);
    await vi.waitFor(() => expect(app.phone.calls).toEqual([]));
    expect(asks(win)).toBe(false);
    await vi.waitFor(async () => {
      const e = await entryOf(id);
      expect(e).toMatchObject({ result: "answered", direction: "out" });
      expect(e?.open).toBeUndefined();
    });
    expect(await countHistory()).toBe(1);
    await app.stop();
  });

  it("changing the retention prunes at once and tells the views", async () => {
    vi.stubGlobal("navigator", {});
    stubWindow();
    const app = testApp(new MemoryPeer());
    await app.start();
    const now = Date.now();
    await addHistoryBulk(
      Array.from({ length: 30 }, (_, i) => ({
        id: `h${i}`,
        lineId: "l1",
        lineLabel: "Office",
        direction: "in" as const,
        remote: "1002",
        startedAt: now - 1000 * (30 - i),
        endedAt: now,
        durationMs: 0,
        result: "missed" as const,
      })),
    );
    let changed = 0;
    app.on("history-changed", () => changed++);
    await app.updateSettings({ historyRetention: { maxEntries: 5, maxAgeDays: 0 } });
    expect(await countHistory()).toBe(5);
    expect((await recentHistory(1))[0]!.id).toBe("h29");
    expect(changed).toBe(1);
    await app.stop();
  });
});

/** Web Locks for one browser profile, in memory (as in shared-phone.test.ts). */
class FakeLocks {
  private held = new Set<string>();
  request(name: string, a: unknown, b?: unknown): Promise<unknown> {
    const cb = (typeof a === "function" ? a : b) as (lock: object | null) => unknown;
    if (!this.held.has(name)) {
      this.held.add(name);
      return Promise.resolve(cb({ name }));
    }
    if (typeof a === "object" && (a as { ifAvailable?: boolean }).ifAvailable) return Promise.resolve(cb(null));
    return new Promise(() => undefined);
  }
}

describe("two tabs", () => {
  it("a follower that closes ends nothing: the leader's call goes on, and only the leader asks before closing", async () => {
    vi.stubGlobal("navigator", { locks: new FakeLocks() });
    stubWindow();
    const peer = new MemoryPeer();
    const group = `tabs-${Math.random().toString(36).slice(2)}`;
    const leader = new PhoneApp(new Phone({ platform: testPlatform(peer), lineTiming: { keepAliveMs: 10 ** 9 } }), { tabGroup: group });
    await leader.start();
    await leader.configure({ version: 1, accounts: [ACCOUNT] });
    await vi.waitFor(() => expect(leader.phone.lines[0]?.state).toBe("registered"));
    const follower = new PhoneApp(new Phone({ platform: testPlatform(peer), lineTiming: { keepAliveMs: 10 ** 9 } }), { tabGroup: group });
    await follower.start();
    expect(follower.phone.isLeader).toBe(false);
    peer.onRequest = (req, socket) => (req.method === "INVITE" ? peer.reply(socket, req, 200, [CONTACT], PEER_SDP) : undefined);

    await leader.phone.dial("1002");
    await vi.waitFor(() => expect(follower.phone.calls.map((c) => c.state)).toEqual(["established"]));
    const guard = (app: PhoneApp) => (app as unknown as { unloadGuard: UnloadGuard }).unloadGuard;
    expect(guard(leader).isArmed).toBe(true);
    expect(guard(follower).isArmed).toBe(false);

    // The follower's page goes (its own pagehide handler: both apps listen on one stand-in window here).
    const sentBefore = peer.received.length;
    (follower as unknown as { onPageHide(e: Event): void }).onPageHide(pagehide());
    await new Promise((r) => setTimeout(r, 50));
    expect(peer.received.slice(sentBefore)).toEqual([]);
    expect(leader.phone.calls.map((c) => c.state)).toEqual(["established"]);
    await follower.stop();
    await leader.stop();
  });
});
