import { afterEach, describe, expect, it, vi } from "vitest";
import { DIALLED_WAIT_MS, HANDOFF_WAIT_MS, handedParam, type LaunchMessage } from "./app/launch-handoff.js";
import { launchRedirect, type WindowClientsLike } from "./sw-launch.js";

/** The worker's clients with `n` windows open. */
const windows = (n: number): WindowClientsLike & { asked: unknown[] } => {
  const c = {
    asked: [] as unknown[],
    async matchAll(options: unknown) {
      c.asked.push(options);
      return Array.from({ length: n }, () => ({}));
    },
  };
  return c;
};

let names = 0;
const channels: BroadcastChannel[] = [];
/** A channel of its own per test, and an open window on it that takes every number (or none). */
function openWindow({ takes, dials = takes }: { takes: boolean; dials?: boolean }) {
  const name = `sw-launch-${++names}`;
  const offers: LaunchMessage[] = [];
  const win = new BroadcastChannel(name);
  win.onmessage = (e: MessageEvent<LaunchMessage>) => {
    offers.push(e.data);
    if (takes && e.data.type === "dial") {
      win.postMessage({ type: "taken", id: e.data.id } satisfies LaunchMessage);
      if (dials) win.postMessage({ type: "dialled", id: e.data.id } satisfies LaunchMessage);
    }
  };
  channels.push(win);
  const opened: BroadcastChannel[] = [];
  const open = () => {
    const c = new BroadcastChannel(name);
    opened.push(c);
    channels.push(c);
    return c;
  };
  return { offers, open, opened };
}

/** launchRedirect for `url` with one window open, run in the background: `to()` is its answer, null until there is one. */
function redirectOf(url: string, w: ReturnType<typeof openWindow>): () => string | undefined | null {
  let to: string | undefined | null = null;
  void launchRedirect(new URL(url), windows(1), w.open).then((r) => (to = r));
  return () => to;
}

afterEach(() => {
  vi.useRealTimers();
  for (const c of channels.splice(0)) c.close();
});

describe("a ?dial= navigation in the service worker", () => {
  it("is left alone without a number, with a configuration, or already dealt with: no windows asked, nothing offered", async () => {
    const w = openWindow({ takes: true });
    const clients = windows(1);
    for (const path of ["/", "/?view=history", "/?dial=", "/?provision=%2Fp.json&dial=1002", "/?dial=1002&offered=1", "/?handed=1002"]) {
      expect(await launchRedirect(new URL(path, "https://phone.test"), clients, w.open), path).toBeUndefined();
    }
    expect(clients.asked).toEqual([]);
    expect(w.offers).toEqual([]);
  });

  it("with no phone window open: left alone at once, nothing offered", async () => {
    const w = openWindow({ takes: true });
    const clients = windows(0);
    expect(await launchRedirect(new URL("https://phone.test/?dial=1002"), clients, w.open)).toBeUndefined();
    // Uncontrolled windows count too (a phone opened on a first visit).
    expect(clients.asked).toEqual([{ type: "window", includeUncontrolled: true }]);
    expect(w.opened).toEqual([]);
  });

  it("taken by an open window: redirected with the number as `handed`, no `dial`, the other parameters kept", async () => {
    const w = openWindow({ takes: true });
    const to = await launchRedirect(new URL("https://phone.test/?x=a%20b&dial=tel%3A%2B4315056410"), windows(1), w.open);
    expect(to).toBe("https://phone.test/?x=a%20b&handed=tel%3A%2B4315056410");
    expect(w.offers).toEqual([{ type: "dial", id: expect.any(String), target: "tel:+4315056410" }]);
  });

  it("taken, a number written with spaces and a plus: `handed` reads back as the same number", async () => {
    const w = openWindow({ takes: true });
    const to = await launchRedirect(new URL("https://phone.test/?dial=+43%201%20505"), windows(1), w.open);
    expect(handedParam(new URL(to!))).toBe("+43 1 505");
  });

  it("not taken: redirected after the hand-off wait with `offered=1` beside the number, and the channel closed", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const w = openWindow({ takes: false });
    const to = redirectOf("https://phone.test/?dial=1002", w);
    await vi.advanceTimersByTimeAsync(HANDOFF_WAIT_MS - 1);
    expect(to()).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(to()).toBe("https://phone.test/?dial=1002&offered=1");
    expect(w.offers).toEqual([{ type: "dial", id: expect.any(String), target: "1002" }]);
    // The worker's channel is closed: a late `taken` reaches nobody, and nothing is left open.
    expect(() => w.opened[0].postMessage("late")).toThrow();
  });

  it("taken but not yet dialled (the user is being asked): the redirect waits DIALLED_WAIT_MS for `dialled`, no longer", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const w = openWindow({ takes: true, dials: false });
    const to = redirectOf("https://phone.test/?dial=1002", w);
    await vi.advanceTimersByTimeAsync(DIALLED_WAIT_MS - 1);
    expect(to()).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(to()).toBe("https://phone.test/?handed=1002");
  });

  it("taken and dialled: redirected as soon as `dialled` comes, before DIALLED_WAIT_MS", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const w = openWindow({ takes: true });
    const to = redirectOf("https://phone.test/?dial=1002", w);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(to()).toBe("https://phone.test/?handed=1002"), { timeout: 1000 });
  });
});
