// IndexedDB in Node (fake-indexeddb) under everything but the configuration's write, which the
// test holds and lets succeed or fail.
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PhoneConfig } from "../config/phone-config.js";
import { Phone } from "../sip/api/phone.js";
import { MemoryPeer } from "../sip/test-support/memory-peer.js";
import { testPlatform } from "../sip/test-support/test-platform.js";
import { PhoneApp } from "./phone-app.js";

const writes: Array<{ config: PhoneConfig; settle(error?: Error): void }> = [];
vi.mock("../storage/config-store.js", async (original) => ({
  ...(await original<typeof import("../storage/config-store.js")>()),
  saveConfig: (config: PhoneConfig) =>
    new Promise<void>((resolve, reject) => writes.push({ config, settle: (e) => (e ? reject(e) : resolve()) })),
}));

const account = (id: string, user: string) => ({ id, sipUri: `sip:${user}@pbx.test`, password: "pw", servers: ["wss://pbx.test/ws"] });
const config = (...accounts: ReturnType<typeof account>[]): PhoneConfig => ({ version: 1, accounts });

let app: PhoneApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
  writes.length = 0;
  vi.unstubAllGlobals();
});

async function startedApp(peer: MemoryPeer): Promise<PhoneApp> {
  vi.stubGlobal("navigator", {}); // no Web Locks: this tab leads
  app = new PhoneApp(new Phone({ platform: testPlatform(peer), lineTiming: { keepAliveMs: 10 ** 9 } }));
  await app.start();
  return app;
}

describe("PhoneApp.configure", () => {
  it("registers the lines while the configuration is being written, not after", async () => {
    const peer = new MemoryPeer();
    const phone = await startedApp(peer);
    const done = phone.configure(config(account("l1", "1001")));
    await vi.waitFor(() => expect(phone.phone.lines.map((l) => l.state)).toEqual(["registered"]));
    expect(writes).toHaveLength(1); // still being written
    writes[0]!.settle();
    await done;
    expect(phone.config.accounts.map((a) => a.id)).toEqual(["l1"]);
  });

  it("a write that fails puts the lines back as they were saved, and says why", async () => {
    const peer = new MemoryPeer();
    const phone = await startedApp(peer);
    const first = phone.configure(config(account("l1", "1001")));
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    writes[0]!.settle();
    await first;

    const second = phone.configure(config(account("l2", "1002")));
    await vi.waitFor(() => expect(writes).toHaveLength(2));
    expect(phone.phone.lines.map((l) => l.id)).toEqual(["l2"]);
    writes[1]!.settle(new Error("The browser's storage is full"));
    await expect(second).rejects.toThrow(/storage is full/);
    expect(phone.config.accounts.map((a) => a.id)).toEqual(["l1"]);
    await vi.waitFor(() => expect(phone.phone.lines.map((l) => [l.id, l.state])).toEqual([["l1", "registered"]]));
  });

  it("writes one configuration after the other: the last asked for is the last written", async () => {
    const phone = await startedApp(new MemoryPeer());
    const a = phone.configure(config(account("l1", "1001")));
    const b = phone.configure(config(account("l2", "1002")));
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    // Both configurations are applied (the second one's lines run) while the second write
    // still waits for the first.
    await vi.waitFor(() => expect(phone.phone.lines.map((l) => l.id)).toEqual(["l2"]));
    expect(writes).toHaveLength(1);
    writes[0]!.settle();
    await a;
    await vi.waitFor(() => expect(writes).toHaveLength(2));
    expect(writes[1]!.config.accounts.map((x) => x.id)).toEqual(["l2"]);
    writes[1]!.settle();
    await b;
    expect(phone.phone.lines.map((l) => l.id)).toEqual(["l2"]);
  });
});
