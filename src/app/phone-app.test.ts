// IndexedDB in Node (fake-indexeddb): the real storage code under the app.
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Phone } from "../sip/api/phone.js";
import { MemoryPeer } from "../sip/test-support/memory-peer.js";
import { testPlatform } from "../sip/test-support/test-platform.js";
import { PhoneApp } from "./phone-app.js";

const ACCOUNT = { id: "l1", sipUri: "sip:1001@pbx.test", password: "pw", servers: ["wss://pbx.test/ws"] };

/** An app on the in-memory SIP peer: no browser, no WebSocket, no media. */
function testApp(peer: MemoryPeer): PhoneApp {
  return new PhoneApp(new Phone({ platform: testPlatform(peer), lineTiming: { keepAliveMs: 10 ** 9 } }));
}

afterEach(() => vi.unstubAllGlobals());

describe("PhoneApp on a test platform", () => {
  it("starts, saves and applies a configuration (the line registers), and finds it again on the next start", async () => {
    vi.stubGlobal("navigator", {}); // no Web Locks: this tab leads
    const peer = new MemoryPeer();
    const app = testApp(peer);
    expect(await app.start()).toBeUndefined();
    await app.configure({ version: 1, accounts: [ACCOUNT] });
    await vi.waitFor(() => expect(app.phone.lines.map((l) => l.state)).toEqual(["registered"]));
    expect(peer.contacts.has("1001")).toBe(true);
    await app.stop();

    const next = testApp(new MemoryPeer());
    expect((await next.start())?.accounts).toEqual([ACCOUNT]);
    await next.stop();
  });

  it("starts from the reads the entry point began (stored-start.ts), once: a restart reads storage again", async () => {
    vi.stubGlobal("navigator", {});
    const saved = { version: 1 as const, accounts: [{ ...ACCOUNT, id: "early", sipUri: "sip:1009@pbx.test" }] };
    const app = new PhoneApp(new Phone({ platform: testPlatform(new MemoryPeer()), lineTiming: { keepAliveMs: 10 ** 9 } }), {
      stored: Promise.resolve([{ historyViewedAt: 0, theme: "dark" }, saved]),
    });
    expect(await app.start()).toEqual(saved);
    expect(app.settings.theme).toBe("dark");
    await vi.waitFor(() => expect(app.phone.lines.map((l) => l.id)).toEqual(["early"]));
    await app.stop();
    // Not again: what storage holds now (nothing was saved here) is read.
    expect((await app.start())?.accounts.map((a) => a.id)).not.toEqual(["early"]);
    await app.stop();
  });

  it("keeps every forwarding mode across restarts; no target and no mode turns them all off", async () => {
    vi.stubGlobal("navigator", {});
    const app = testApp(new MemoryPeer());
    await app.start();
    await app.configure({ version: 1, accounts: [{ ...ACCOUNT, internalCallers: { extensionLength: 4 } }] });
    await vi.waitFor(() => expect(app.phone.lines.map((l) => l.state)).toEqual(["registered"]));
    await app.setForward("l1", "1003");
    await app.setForward("l1", "1004", { mode: "busy" });
    await app.setForward("l1", "1005", { mode: "no-answer", after: 5 });
    await app.setForward("l1", "1006", { mode: "external" });
    await app.setForward("l1", undefined, { mode: "busy" });
    const expected = { always: { to: "1003" }, "no-answer": { to: "1005", after: 5 }, external: { to: "1006" } };
    expect(app.phone.lines[0]?.forward).toEqual(expected);
    await app.stop();

    const next = testApp(new MemoryPeer());
    await next.start();
    await vi.waitFor(() => expect(next.phone.lines.map((l) => l.state)).toEqual(["registered"]));
    expect(next.phone.lines[0]?.forward).toEqual(expected);
    expect(next.phone.lines[0]?.forwardTo).toBe("1003");
    await next.setForward("l1", undefined);
    expect(next.phone.lines[0]?.forward).toBeUndefined();
    await next.stop();

    const third = testApp(new MemoryPeer());
    await third.start();
    await vi.waitFor(() => expect(third.phone.lines.map((l) => l.state)).toEqual(["registered"]));
    expect(third.phone.lines[0]?.forward).toBeUndefined();
    await third.stop();
  });

  it("keeps the busy lamps across restarts: the next start SUBSCRIBEs to each again; unwatched ones stay gone", async () => {
    vi.stubGlobal("navigator", {});
    const app = testApp(new MemoryPeer());
    await app.start();
    await app.configure({ version: 1, accounts: [ACCOUNT] });
    await vi.waitFor(() => expect(app.phone.lines.map((l) => l.state)).toEqual(["registered"]));
    await app.watch("1002");
    await app.watch("1003", "l1");
    await app.watch("1004");
    await app.unwatch("1004");
    await app.stop();

    const peer = new MemoryPeer();
    const next = testApp(peer);
    await next.start();
    const watchSubscribes = () => peer.requests("SUBSCRIBE").filter((r) => r.getHeader("event") === "dialog");
    await vi.waitFor(() =>
      expect(
        watchSubscribes()
          .map((r) => r.ruri?.user)
          .sort(),
      ).toEqual(["1002", "1003"]),
    );
    expect(next.phone.watched.map((w) => [w.target, w.lineId])).toEqual([
      ["1002", "l1"],
      ["1003", "l1"],
    ]);
    await next.unwatch("1002");
    await next.unwatch("1003");
    await next.stop();
  });
});
