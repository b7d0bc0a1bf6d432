import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { IceWatch, type IceRestart, type WatchedConnection } from "./ice-watch.js";
import { onNetworkChange, type NetworkInformationLike } from "./network-change.js";

/** A peer connection as the watch sees it: an ICE state and its change event. */
class FakeConnection extends EventTarget {
  iceConnectionState: RTCIceConnectionState = "connected";
  set(state: RTCIceConnectionState): void {
    this.iceConnectionState = state;
    this.dispatchEvent(new Event("iceconnectionstatechange"));
  }
}

/** A re-INVITE that takes `ms` to be answered. */
function restarter(ms = 200) {
  const restart = vi.fn(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return restart;
}

let pc: FakeConnection;
beforeEach(() => {
  vi.useFakeTimers();
  pc = new FakeConnection();
});
afterEach(() => {
  vi.useRealTimers();
});

const watch = (restart: IceRestart, first = true) => new IceWatch(pc as unknown as WatchedConnection, restart, { first });

describe("IceWatch", () => {
  it("leaves a short disconnection alone: ICE often comes back by itself", async () => {
    const restart = restarter();
    watch(restart);
    pc.set("disconnected");
    await vi.advanceTimersByTimeAsync(3900);
    pc.set("connected");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(restart).not.toHaveBeenCalled();
  });

  it("restarts once ICE has been disconnected for 4 s, and not again once it is back", async () => {
    const restart = restarter();
    watch(restart);
    pc.set("disconnected");
    await vi.advanceTimersByTimeAsync(3999);
    expect(restart).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(restart).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(200);
    pc.set("checking");
    pc.set("connected");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(restart).toHaveBeenCalledTimes(1);
  });

  it("restarts at once when ICE failed", async () => {
    const restart = restarter();
    watch(restart);
    pc.set("failed");
    expect(restart).toHaveBeenCalledTimes(1);
  });

  it("is bounded: three restarts 5 and 10 s apart while the path stays down, then none until it connects", async () => {
    const restart = restarter();
    watch(restart);
    pc.set("disconnected");
    await vi.advanceTimersByTimeAsync(4000);
    expect(restart).toHaveBeenCalledTimes(1);
    // Answered after 200 ms; the new path has 5 s to connect.
    await vi.advanceTimersByTimeAsync(200 + 4999);
    expect(restart).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(restart).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(200 + 10_000);
    expect(restart).toHaveBeenCalledTimes(3);
    pc.set("failed");
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    pc.set("failed");
    expect(restart).toHaveBeenCalledTimes(3);

    // Back: a later loss has the whole budget again.
    pc.set("connected");
    pc.set("disconnected");
    await vi.advanceTimersByTimeAsync(4000);
    expect(restart).toHaveBeenCalledTimes(4);
  });

  it("never has two restarts in flight, and a failure during the backoff waits for it", async () => {
    const restart = restarter(3000);
    watch(restart);
    pc.set("failed");
    pc.set("disconnected");
    pc.set("failed");
    await vi.advanceTimersByTimeAsync(2999);
    expect(restart).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    pc.set("failed");
    expect(restart).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(restart).toHaveBeenCalledTimes(2);
  });

  it("a re-INVITE that fails counts as an attempt and the backoff goes on", async () => {
    const restart = vi.fn(() => Promise.reject(new Error("491 twice")));
    watch(restart);
    pc.set("failed");
    await vi.advanceTimersByTimeAsync(5000);
    expect(restart).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(restart).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(restart).toHaveBeenCalledTimes(3);
  });

  it("leaves a restart the other side started to finish (checking during the grace)", async () => {
    const restart = restarter();
    watch(restart);
    pc.set("disconnected");
    await vi.advanceTimersByTimeAsync(2000);
    pc.set("checking");
    await vi.advanceTimersByTimeAsync(10_000);
    expect(restart).not.toHaveBeenCalled();
    // That restart did not work out: ICE fails, and ours follows.
    pc.set("failed");
    expect(restart).toHaveBeenCalledTimes(1);
  });

  it("the side that did not place the call restarts 2.5 s after the caller would, and not at all once the caller's restart is under way", async () => {
    const restart = restarter();
    watch(restart, false);
    pc.set("disconnected");
    await vi.advanceTimersByTimeAsync(6499);
    expect(restart).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(restart).toHaveBeenCalledTimes(1);

    // The caller's re-INVITE arrives within those 2.5 s: ICE checks the new path, ours never goes.
    pc = new FakeConnection();
    const second = restarter();
    watch(second, false);
    pc.set("disconnected");
    await vi.advanceTimersByTimeAsync(4100);
    pc.set("checking");
    pc.set("connected");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(second).not.toHaveBeenCalled();
  });

  it("a failure is left to the caller for 2.5 s too, on the second side only, and only before the first restart", async () => {
    const restart = restarter();
    watch(restart, false);
    pc.set("failed");
    await vi.advanceTimersByTimeAsync(2499);
    expect(restart).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(restart).toHaveBeenCalledTimes(1);
    // Its own attempt did not bring the path back: the backoff, then at once on a failure.
    await vi.advanceTimersByTimeAsync(200 + 5000);
    expect(restart).toHaveBeenCalledTimes(2);
  });

  it("the restart is told when it is no longer needed: the path is back, or the watch stopped", async () => {
    let stillNeeded: (() => boolean) | undefined;
    const w = watch((needed) => {
      stillNeeded = needed;
      return new Promise(() => undefined);
    });
    pc.set("failed");
    expect(stillNeeded?.()).toBe(true);
    pc.set("checking");
    expect(stillNeeded?.()).toBe(true);
    pc.set("connected");
    expect(stillNeeded?.()).toBe(false);
    pc.set("disconnected");
    expect(stillNeeded?.()).toBe(true);
    w.stop();
    expect(stillNeeded?.()).toBe(false);
  });

  it("a network change renews a connected path at once, without using up the budget", async () => {
    const restart = restarter();
    const w = watch(restart);
    for (let i = 1; i <= 5; i++) {
      w.networkChanged();
      expect(restart).toHaveBeenCalledTimes(i);
      await vi.advanceTimersByTimeAsync(200);
    }
    // One in flight: a second change waits for it.
    w.networkChanged();
    w.networkChanged();
    expect(restart).toHaveBeenCalledTimes(6);
  });

  it("stops on stop() and when the connection closes", async () => {
    const restart = restarter();
    const w = watch(restart);
    pc.set("disconnected");
    w.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    pc.set("failed");
    w.networkChanged();
    expect(restart).not.toHaveBeenCalled();

    pc = new FakeConnection();
    watch(restart);
    pc.set("disconnected");
    pc.set("closed");
    await vi.advanceTimersByTimeAsync(60_000);
    pc.set("failed");
    expect(restart).not.toHaveBeenCalled();
  });
});

describe("onNetworkChange", () => {
  class FakeNetwork extends EventTarget {
    type: string | undefined = "wifi";
    rtt = 50;
    change(patch: { type?: string; rtt?: number }): void {
      Object.assign(this, patch);
      this.dispatchEvent(new Event("change"));
    }
  }

  it("reports a change of network type only, not of the estimates", () => {
    const net = new FakeNetwork();
    const changed = vi.fn();
    const stop = onNetworkChange(net as NetworkInformationLike, changed);
    net.change({ rtt: 300 });
    expect(changed).not.toHaveBeenCalled();
    net.change({ type: "cellular" });
    net.change({ type: "cellular", rtt: 100 });
    expect(changed).toHaveBeenCalledTimes(1);
    stop();
    net.change({ type: "wifi" });
    expect(changed).toHaveBeenCalledTimes(1);
  });

  it("reports nothing where the type is not exposed (desktop browsers) or there is no API", () => {
    const net = new FakeNetwork();
    net.type = undefined;
    const changed = vi.fn();
    onNetworkChange(net as NetworkInformationLike, changed);
    net.change({ type: "wifi" });
    onNetworkChange(undefined, changed)();
    expect(changed).not.toHaveBeenCalled();
  });
});
