import { describe, expect, it, vi } from "vitest";
import type { PhoneConfig } from "../config/phone-config.js";
import { applyOnFirstStart, type FirstStartApp } from "./early-provision.js";
import type { FetchedProvision } from "./provision.js";

const FILE: PhoneConfig = {
  version: 1,
  accounts: [{ id: "a", sipUri: "sip:1001@pbx.test", password: "pw", servers: ["wss://pbx.test/ws"] }],
} as PhoneConfig;

/** An app as the entry sees it: its saved configuration, configure(), line-state events. */
function app(saved: PhoneConfig["accounts"], configure = vi.fn(() => new Promise<void>(() => undefined))) {
  const listeners = new Set<() => void>();
  const a: FirstStartApp & { lineState(): void; listeners: Set<() => void> } = {
    config: { version: 1, accounts: saved } as PhoneConfig,
    configure,
    phone: {
      on: (_type, listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    lineState: () => listeners.forEach((l) => l()),
    listeners,
  };
  return a;
}

const ok: Promise<FetchedProvision> = Promise.resolve({ ok: true, config: FILE });

describe("applyOnFirstStart", () => {
  it("a first start applies the file at once and is done once its lines are under way (the save still going on)", async () => {
    const phone = app([]);
    let done = false;
    const applying = applyOnFirstStart(phone, Promise.resolve(), ok).then(() => (done = true));
    await vi.waitFor(() => expect(phone.configure).toHaveBeenCalledWith(FILE));
    expect(done).toBe(false);
    phone.lineState();
    await applying;
    expect(phone.listeners.size).toBe(0);
  });

  it("waits for the phone's start (its saved lines are what the file is compared with)", async () => {
    const phone = app([]);
    let start!: () => void;
    void applyOnFirstStart(phone, new Promise<void>((r) => (start = r)), ok);
    await new Promise((r) => setTimeout(r, 10));
    expect(phone.configure).not.toHaveBeenCalled();
    start();
    await vi.waitFor(() => expect(phone.configure).toHaveBeenCalled());
  });

  it("leaves saved lines to the views (replacing them asks the user first), and a refused file too (the views word why)", async () => {
    const withLines = app(FILE.accounts);
    await applyOnFirstStart(withLines, Promise.resolve(), ok);
    expect(withLines.configure).not.toHaveBeenCalled();
    const refused = app([]);
    await applyOnFirstStart(refused, Promise.resolve(), Promise.resolve({ ok: false, problem: { kind: "http", status: 404 } }));
    expect(refused.configure).not.toHaveBeenCalled();
  });

  it("a configure that fails (storage refused) ends it without a rejection: the views apply the file again and say why", async () => {
    const phone = app(
      [],
      vi.fn(() => Promise.reject(new Error("quota"))),
    );
    await expect(applyOnFirstStart(phone, Promise.resolve(), ok)).resolves.toBeUndefined();
  });
});
