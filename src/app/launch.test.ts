// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { LineState, type LineSnapshot } from "../sip/api/line-state.js";
import { offerEarly, type LaunchMessage } from "./launch-handoff.js";
import { acceptLaunches, acceptLaunchQueue, dialFromUrl, dialParam, resumePendingDial, type Dialler } from "./launch.js";

/** The element as links see it: every number goes through confirmDial (the user's yes or no). */
class FakeDialler extends EventTarget implements Dialler {
  ready = Promise.resolve();
  lines: LineSnapshot[] = [];
  /** Numbers offered to the user; each is dialled when `answer` is yes. */
  asked: string[] = [];
  answer = true;
  notices: string[] = [];
  async confirmDial(t: string) {
    this.asked.push(t);
    return this.answer ? "c1" : undefined;
  }
  showNotice(text: string) {
    this.notices.push(text);
  }
  register() {
    this.lines = [{ id: "l1", label: "l1", aor: "sip:1001@x", state: LineState.Registered, server: "wss://x" }];
    this.dispatchEvent(new Event("line-state"));
  }
}

/** A phone window open with a line, taking numbers on channel `name`; `offers` is every message it saw. */
function openPhoneWindow(name: string) {
  const open = new FakeDialler();
  open.register();
  const channel = new BroadcastChannel(name);
  const offers: unknown[] = [];
  channel.addEventListener("message", (e) => offers.push(e.data));
  acceptLaunches(open, channel);
  return { open, offers };
}

const at = (path: string) => new URL(path, location.href);
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
afterEach(() => sessionStorage.clear());

describe("dial links", () => {
  it("reads what browsers send and keeps a hand-written +", () => {
    expect(dialParam(new URL("https://p/?dial=tel%3A%2B4315056410"))).toBe("tel:+4315056410");
    expect(dialParam(new URL("https://p/?dial=+4315056410"))).toBe("+4315056410");
    expect(dialParam(new URL("https://p/?x=1&dial=sip%3Abob%40example.com"))).toBe("sip:bob@example.com");
    expect(dialParam(new URL("https://p/?dial="))).toBeUndefined();
  });

  it("with no account: says so, keeps the number, offers it once a line is set up and registered", async () => {
    const phone = new FakeDialler();
    void dialFromUrl(phone, at("/?dial=tel%3A%2B4315056410"), new BroadcastChannel("t0"));
    await tick(500); // no other window answers the hand-off
    expect(phone.notices[0]).toMatch(/No account is set up yet.*asked to call tel:\+4315056410 then/);
    expect(sessionStorage.getItem("webphone-pending-dial")).toBe("tel:+4315056410");
    expect(phone.asked).toEqual([]);
    // A reload during set-up keeps it too.
    const after = new FakeDialler();
    resumePendingDial(after);
    after.register();
    await tick();
    expect(after.asked).toEqual(["tel:+4315056410"]);
    expect(sessionStorage.getItem("webphone-pending-dial")).toBeNull();
  });

  it("with lines that cannot call (offline): says the number is kept once they all stopped trying, and asks when one is back", async () => {
    const phone = new FakeDialler();
    const line = (state: LineState): LineSnapshot => ({ id: "l1", label: "l1", aor: "sip:1001@x", state, server: "wss://x" });
    phone.lines = [line(LineState.Connecting)];
    void dialFromUrl(phone, at("/?dial=1002"), new BroadcastChannel("t10"));
    await tick(500);
    expect(phone.notices).toEqual([]); // still connecting: nothing to say yet
    phone.lines = [line(LineState.Failed)];
    phone.dispatchEvent(new Event("line-state"));
    expect(phone.notices).toEqual(["No line can call now: you will be asked to call 1002 as soon as one is registered again"]);
    phone.dispatchEvent(new Event("line-state"));
    expect(phone.notices).toHaveLength(1);
    expect(phone.asked).toEqual([]);
    phone.register();
    await tick();
    expect(phone.asked).toEqual(["1002"]);
  });

  it("an open window with a line takes the number and asks there; the new window does not", async () => {
    const open = new FakeDialler();
    open.register();
    acceptLaunches(open, new BroadcastChannel("t1"));
    const fresh = new FakeDialler();
    fresh.register();
    const closed: unknown[] = [];
    window.close = () => closed.push(1);
    await dialFromUrl(fresh, at("/?dial=1002"), new BroadcastChannel("t1"));
    await tick(10);
    expect(open.asked).toEqual(["1002"]);
    expect(fresh.asked).toEqual([]);
    expect(fresh.notices[0]).toBe("1002 was passed to your other phone window: confirm the call there");
  });

  it("the window that takes a number says `taken` at once and `dialled` once it has dialled it (after the user's yes)", async () => {
    const open = new FakeDialler();
    open.register();
    let confirm!: () => void;
    open.confirmDial = (t: string) => {
      open.asked.push(t);
      return new Promise<"c1">((r) => (confirm = () => r("c1")));
    };
    acceptLaunches(open, new BroadcastChannel("t9"));
    const seen: LaunchMessage[] = [];
    const watcher = new BroadcastChannel("t9");
    watcher.onmessage = (e: MessageEvent<LaunchMessage>) => seen.push(e.data);
    watcher.postMessage({ type: "dial", id: "x1", target: "1002" } satisfies LaunchMessage);
    await tick(10);
    expect(open.asked).toEqual(["1002"]);
    expect(seen.map((m) => m.type)).toEqual(["taken"]);
    confirm();
    await tick(10);
    expect(seen).toEqual([
      { type: "taken", id: "x1" },
      { type: "dialled", id: "x1" },
    ]);
    watcher.close();
  });

  it("a window being left (beforeunload: a link opened in its own tab) does not take the number: the new page asks", async () => {
    const open = new FakeDialler();
    open.register();
    acceptLaunches(open, new BroadcastChannel("t8"));
    window.dispatchEvent(new Event("beforeunload"));
    const fresh = new FakeDialler();
    fresh.register();
    await dialFromUrl(fresh, at("/?dial=1002"), new BroadcastChannel("t8"));
    expect(open.asked).toEqual([]);
    expect(fresh.asked).toEqual(["1002"]);
  });

  it("the number offered as the page began (early-launch.ts) is the one handed off: not offered twice, not asked here", async () => {
    const { open, offers } = openPhoneWindow("t4");
    const early = offerEarly(at("/?dial=1002"), new BroadcastChannel("t4"));
    expect(early?.target).toBe("1002");
    const fresh = new FakeDialler();
    fresh.register();
    window.close = () => undefined;
    // dialFromUrl's own channel would offer it again: it is given the early offer instead.
    await dialFromUrl(fresh, at("/?dial=1002"), new BroadcastChannel("t4"), early);
    await tick(10);
    expect(open.asked).toEqual(["1002"]);
    expect(offers).toHaveLength(1);
    expect(fresh.asked).toEqual([]);
    expect(fresh.notices[0]).toBe("1002 was passed to your other phone window: confirm the call there");
  });

  it("a link that also provisions is not offered early: it is set up here first", () => {
    expect(offerEarly(at("/?provision=%2Fp.json&dial=1002"), new BroadcastChannel("t5"))).toBeUndefined();
    expect(offerEarly(at("/?x=1"), new BroadcastChannel("t5"))).toBeUndefined();
  });

  it("`handed` (the service worker gave the number to an open window): says so and closes; never asks, dials or offers, even beside a `dial`", async () => {
    const channel = new BroadcastChannel("t6");
    const offers: unknown[] = [];
    const listener = new BroadcastChannel("t6");
    listener.addEventListener("message", (e) => offers.push(e.data));
    const closed: unknown[] = [];
    window.close = () => closed.push(1);
    for (const path of ["/?handed=1002", "/?view=history&handed=1002&dial=1900123&offered=1"]) {
      history.replaceState(null, "", path);
      expect(offerEarly(at(path), channel), path).toBeUndefined();
      const fresh = new FakeDialler();
      fresh.register();
      await dialFromUrl(fresh, at(path), channel);
      await tick(500); // longer than any hand-off wait
      expect(fresh.asked, path).toEqual([]);
      expect(fresh.notices, path).toEqual(["1002 was passed to your other phone window: confirm the call there"]);
      expect(sessionStorage.getItem("webphone-pending-dial")).toBeNull();
      // A reload does not show it again.
      expect(new URL(location.href).searchParams.has("handed"), path).toBe(false);
      expect(new URL(location.href).searchParams.has("dial"), path).toBe(false);
    }
    expect(location.search).toBe("?view=history");
    expect(closed).toHaveLength(2);
    expect(offers).toEqual([]);
    listener.close();
    channel.close();
  });

  it("`offered=1` (offered by the service worker, not taken): not offered again, asked about here at once, as any link", async () => {
    const { open, offers } = openPhoneWindow("t7");
    history.replaceState(null, "", "/?dial=1002&offered=1");
    expect(offerEarly(at("/?dial=1002&offered=1"), new BroadcastChannel("t7"))).toBeUndefined();
    const fresh = new FakeDialler();
    fresh.register();
    fresh.answer = false;
    const started = Date.now();
    await dialFromUrl(fresh, at("/?dial=1002&offered=1"), new BroadcastChannel("t7"));
    expect(Date.now() - started).toBeLessThan(300); // no hand-off wait (400 ms)
    await tick(10);
    expect(offers).toEqual([]);
    expect(open.asked).toEqual([]);
    // The confirmation rule holds: the user is asked, and said no here.
    expect(fresh.asked).toEqual(["1002"]);
    expect(location.search).toBe("");
  });

  it("with no other window, the number is asked about here", async () => {
    const fresh = new FakeDialler();
    fresh.register();
    await dialFromUrl(fresh, at("/?dial=1002"), new BroadcastChannel("t2"));
    expect(fresh.asked).toEqual(["1002"]);
  });

  it("a link the user cancels leaves no notice and no pending number", async () => {
    const fresh = new FakeDialler();
    fresh.register();
    fresh.answer = false;
    await dialFromUrl(fresh, at("/?dial=1900123"), new BroadcastChannel("t3"));
    expect(fresh.asked).toEqual(["1900123"]);
    expect(fresh.notices).toEqual([]);
    expect(sessionStorage.getItem("webphone-pending-dial")).toBeNull();
  });

  it("a launch of the installed app (launch queue) is asked about too", async () => {
    let consumer: ((p: { targetURL?: string }) => void) | undefined;
    (window as { launchQueue?: unknown }).launchQueue = { setConsumer: (c: typeof consumer) => (consumer = c) };
    try {
      const open = new FakeDialler();
      open.register();
      acceptLaunchQueue(open);
      consumer!({ targetURL: "https://p/?dial=tel%3A%2B4315056410" });
      await tick();
      expect(open.asked).toEqual(["tel:+4315056410"]);
    } finally {
      delete (window as { launchQueue?: unknown }).launchQueue;
    }
  });
});
