import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { linesSettled } from "./lines-settled.js";
import { FakePhone } from "./components/test-support/fake-phone.js";
import { LineState } from "./sip/api/line-state.js";

describe("linesSettled (the app page loads its views after it)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** Whether `p` has settled after the pending microtasks. */
  async function settled(p: Promise<void>): Promise<boolean> {
    let done = false;
    void p.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    return done;
  }

  it("waits for the start, then while a line connects or registers; resolves when it is registered", async () => {
    const phone = new FakePhone();
    phone.setLine({ state: LineState.Connecting });
    let start!: () => void;
    const started = new Promise<void>((r) => (start = r));
    const p = linesSettled({ phone }, started, 80);
    expect(await settled(p)).toBe(false);
    start();
    expect(await settled(p)).toBe(false);
    phone.setLine({ state: LineState.Registering });
    expect(await settled(p)).toBe(false);
    phone.setLine({ state: LineState.Registered });
    expect(await settled(p)).toBe(true);
  });

  it("a failed registration settles too: the views say why", async () => {
    const phone = new FakePhone();
    phone.setLine({ state: LineState.Registering });
    const p = linesSettled({ phone }, Promise.resolve(), 80);
    expect(await settled(p)).toBe(false);
    phone.setLine({ state: LineState.Failed });
    expect(await settled(p)).toBe(true);
  });

  it("no line under way (none, or all registered or disabled): at once", async () => {
    const phone = new FakePhone();
    phone.lines = [];
    expect(await settled(linesSettled({ phone }, Promise.resolve(), 80))).toBe(true);
    phone.setLine({ state: LineState.Disabled });
    expect(await settled(linesSettled({ phone }, Promise.resolve(), 80))).toBe(true);
  });

  it("a server slow to answer holds the views no longer than the deadline after the start", async () => {
    const phone = new FakePhone();
    phone.setLine({ state: LineState.Registering });
    const p = linesSettled({ phone }, Promise.resolve(), 80);
    await vi.advanceTimersByTimeAsync(79);
    expect(await settled(p)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(p)).toBe(true);
  });

  it("a failed start does not hold the views", async () => {
    const phone = new FakePhone();
    phone.setLine({ state: LineState.Connecting });
    const failed = Promise.reject(new Error("chunk missing"));
    expect(await settled(linesSettled({ phone }, failed, 80))).toBe(true);
  });
});
