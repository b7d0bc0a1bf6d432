// IndexedDB in Node (fake-indexeddb): the real storage code under the app.
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AccountConfig } from "../config/phone-config.js";
import { Phone } from "../sip/api/phone.js";
import { MemoryPeer } from "../sip/test-support/memory-peer.js";
import { testPlatform } from "../sip/test-support/test-platform.js";
import { loadConfig } from "../storage/config-store.js";
import { PhoneApp } from "./phone-app.js";

const OFFICE: AccountConfig = {
  id: "l1",
  sipUri: "sip:1001@pbx.test",
  password: "real-pw",
  servers: ["wss://pbx.test/ws"],
  enabled: false,
};

async function appWith(accounts: AccountConfig[]): Promise<PhoneApp> {
  vi.stubGlobal("navigator", {}); // no Web Locks: this tab leads
  const app = new PhoneApp(new Phone({ platform: testPlatform(new MemoryPeer()), lineTiming: { keepAliveMs: 10 ** 9 } }));
  await app.start();
  await app.configure({ version: 1, accounts });
  return app;
}

const file = (...accounts: AccountConfig[]) => JSON.stringify({ version: 1, accounts });
let app: PhoneApp | undefined;
afterEach(async () => {
  await app?.stop();
  vi.unstubAllGlobals();
});

describe("PhoneApp: import and the account editor keep a saved password only for the same identity", () => {
  it("an exported file imported again keeps the password (saved encrypted, read back)", async () => {
    app = await appWith([OFFICE]);
    await app.importText(file({ ...OFFICE, label: "Office", password: "" }));
    expect(app.config.accounts[0]).toEqual({ ...OFFICE, label: "Office" });
    expect((await loadConfig())?.accounts[0]?.password).toBe("real-pw");
  });

  it("a file with the same id but another server gets no password", async () => {
    app = await appWith([OFFICE]);
    await app.importText(file({ ...OFFICE, password: "", servers: ["wss://evil.test/ws"] }));
    expect(app.config.accounts[0]).toMatchObject({ servers: ["wss://evil.test/ws"], password: "" });
    expect((await loadConfig())?.accounts[0]?.password).toBe("");
  });

  it("the editor (which never holds the password) keeps it for a new label, not for a new address", async () => {
    app = await appWith([OFFICE]);
    await app.saveAccount({ ...OFFICE, password: "", label: "Front desk" });
    expect(app.config.accounts[0]?.password).toBe("real-pw");
    await app.saveAccount({ ...OFFICE, password: "", sipUri: "sip:1001@other.test" });
    expect(app.config.accounts[0]?.password).toBe("");
  });
});
