import { describe, expect, it } from "vitest";
import { AppLoadError, deferredApp } from "./deferred-app.js";
import { FakePhoneApp } from "./test-support/fake-app.js";
import type { SipPhoneApp } from "./app-factory.js";
import { CallState, type CallSnapshot } from "../sip/api/call-state.js";

/** A load that the test completes (or fails) when it wants. */
function gatedLoad() {
  let resolve!: (app: SipPhoneApp) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<SipPhoneApp>((res, rej) => ((resolve = res), (reject = rej)));
  let loads = 0;
  return {
    load: () => (loads++, promise),
    get loads() {
      return loads;
    },
    resolve,
    reject,
  };
}

describe("deferred app", () => {
  it("starts loading when built, and is an empty phone until then", () => {
    const gate = gatedLoad();
    const app = deferredApp(gate.load);
    expect(gate.loads).toBe(1);
    expect(app.phone.lines).toEqual([]);
    expect(app.phone.calls).toEqual([]);
    expect(app.phone.watched).toEqual([]);
    expect(app.phone.isLeader).toBe(false);
    expect(app.config.accounts).toEqual([]);
    expect(app.settings).toEqual({ historyViewedAt: 0 });
    expect(() => app.exportText(false)).toThrow(/still starting/);
    expect(() => app.phone.trace).toThrow(/still starting/);
    // Off-hook before the phone is there prepares nothing, and fails nothing.
    expect(() => app.phone.offHook()).not.toThrow();
  });

  it("keeps what was asked before the load for the real app: subscriptions, headers, commands, start", async () => {
    const gate = gatedLoad();
    const app = deferredApp(gate.load);
    const real = new FakePhoneApp();
    const calls: string[] = [];
    const settings: unknown[] = [];
    app.phone.on("call-state", (c: CallSnapshot) => calls.push(c.state));
    const gone = app.phone.on("call-state", () => calls.push("unsubscribed listener"));
    gone();
    app.on("settings-changed", (s) => settings.push(s));
    app.captureHeaders(["X-Customer"]);
    const dialled = app.phone.dial("1002");
    const started = app.start();
    const saved = app.updateSettings({ theme: "dark" });

    gate.resolve(real);
    await expect(dialled).resolves.toBe("c1");
    await started;
    await saved;
    expect(real.starts).toBe(1);
    expect(real.capturedHeaders).toEqual([["X-Customer"]]);
    expect(real.phone.actions).toEqual(["dial 1002"]);
    expect(settings).toEqual([{ historyViewedAt: 0, theme: "dark" }]);

    real.phone.setCall({ id: "c1", state: CallState.Ringing });
    expect(calls).toEqual(["ringing"]);
    expect(app.phone.calls.map((c) => c.id)).toEqual(["c1"]);
    expect(app.settings.theme).toBe("dark");
    // After the load, subscriptions go straight to the real app, and unsubscribe from it.
    const late: string[] = [];
    const off = app.phone.on("call-state", (c: CallSnapshot) => late.push(c.state));
    off();
    real.phone.setCall({ state: CallState.Established });
    expect(late).toEqual([]);
    expect(calls).toEqual(["ringing", "established"]);
    expect(app.exportText(false)).toBe(real.exportText(false));
  });

  it("a failed load fails start() with an AppLoadError that says why, and is no unhandled rejection", async () => {
    const gate = gatedLoad();
    const app = deferredApp(gate.load);
    gate.reject(new TypeError("Failed to fetch dynamically imported module"));
    const failure = await app.start().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppLoadError);
    expect((failure as Error).message).toMatch(/Failed to fetch/);
    await expect(app.phone.dial("1002")).rejects.toBeInstanceOf(AppLoadError);
  });

  it("startNow: starts the app as soon as it is loaded, and the first start() is that start", async () => {
    const gate = gatedLoad();
    const app = deferredApp(gate.load, { startNow: true });
    const real = new FakePhoneApp();
    real.saved = { version: 1, accounts: [] };
    gate.resolve(real);
    await app.startedEarly;
    expect(real.starts).toBe(1);
    // The element's start() takes the one under way: the saved configuration is read once.
    await expect(app.start()).resolves.toBe(real.saved);
    expect(real.starts).toBe(1);
    // A later start() (after a stop) starts again.
    await app.start();
    expect(real.starts).toBe(2);
  });

  it("startNow: a failed load fails the first start() with an AppLoadError, and is no unhandled rejection", async () => {
    const gate = gatedLoad();
    const app = deferredApp(gate.load, { startNow: true });
    gate.reject(new TypeError("Failed to fetch dynamically imported module"));
    await Promise.resolve();
    await expect(app.start()).rejects.toBeInstanceOf(AppLoadError);
  });

  it("without startNow nothing starts before start() is asked for", async () => {
    const gate = gatedLoad();
    const app = deferredApp(gate.load);
    const real = new FakePhoneApp();
    gate.resolve(real);
    await app.phone.dial("1002");
    expect(app.startedEarly).toBeUndefined();
    expect(real.starts).toBe(0);
  });
});
