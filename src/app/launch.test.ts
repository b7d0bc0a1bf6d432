// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { LineState, type LineSnapshot } from "../sip/api/line-state.js";
import { acceptLaunches, dialFromUrl, dialParam, resumePendingDial, type Dialler } from "./launch.js";

class FakeDialler extends EventTarget implements Dialler {
  ready = Promise.resolve();
  lines: LineSnapshot[] = [];
  dialled: string[] = [];
  notices: string[] = [];
  async dial(t: string) {
    this.dialled.push(t);
    return "c1";
  }
  showNotice(text: string) {
    this.notices.push(text);
  }
  register() {
    this.lines = [{ id: "l1", label: "l1", aor: "sip:1001@x", state: LineState.Registered, server: "wss://x" }];
    this.dispatchEvent(new Event("line-state"));
  }
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

  it("with no account: says so, keeps the number, dials it once a line is set up and registered", async () => {
    const phone = new FakeDialler();
    void dialFromUrl(phone, at("/?dial=tel%3A%2B4315056410"), new BroadcastChannel("t0"));
    await tick(500); // no other window answers the hand-off
    expect(phone.notices[0]).toMatch(/No account is set up yet.*tel:\+4315056410 will be dialled/);
    expect(sessionStorage.getItem("webphone-pending-dial")).toBe("tel:+4315056410");
    expect(phone.dialled).toEqual([]);
    // A reload during set-up keeps it too.
    const after = new FakeDialler();
    resumePendingDial(after);
    after.register();
    await tick();
    expect(after.dialled).toEqual(["tel:+4315056410"]);
    expect(sessionStorage.getItem("webphone-pending-dial")).toBeNull();
  });

  it("an open window with a line takes the number; the new window does not dial it", async () => {
    const open = new FakeDialler();
    open.register();
    acceptLaunches(open, new BroadcastChannel("t1"));
    const fresh = new FakeDialler();
    fresh.register();
    const closed: unknown[] = [];
    window.close = () => closed.push(1);
    await dialFromUrl(fresh, at("/?dial=1002"), new BroadcastChannel("t1"));
    await tick(10);
    expect(open.dialled).toEqual(["1002"]);
    expect(fresh.dialled).toEqual([]);
    expect(fresh.notices[0]).toMatch(/other phone window/);
  });

  it("with no other window, the number is dialled here", async () => {
    const fresh = new FakeDialler();
    fresh.register();
    await dialFromUrl(fresh, at("/?dial=1002"), new BroadcastChannel("t2"));
    expect(fresh.dialled).toEqual(["1002"]);
  });
});
