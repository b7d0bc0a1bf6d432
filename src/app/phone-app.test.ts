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
});
