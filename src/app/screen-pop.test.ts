import { describe, expect, it } from "vitest";
import { CallState, type CallSnapshot } from "../sip/api/call-state.js";
import type { ScreenPop } from "../config/screen-pop.js";
import { ScreenPopper } from "./screen-pop.js";

const call = (state: CallState, patch: Partial<CallSnapshot> = {}): CallSnapshot =>
  ({
    id: "c1",
    lineId: "l1",
    direction: "in",
    remote: "+4930123",
    remoteName: "Anna",
    state,
    muted: false,
    held: false,
    ...patch,
  }) as CallSnapshot;

function popper(screenPop: ScreenPop | undefined, { allowed = true, leader = true } = {}) {
  const opened: string[] = [];
  const p = new ScreenPopper({
    lineOf: (id) => (id === "l1" ? { screenPop, label: "Sales" } : undefined),
    open: (url) => {
      opened.push(url);
      return allowed;
    },
    opens: () => leader,
  });
  return { p, opened };
}

describe("ScreenPopper", () => {
  it("opens the caller's page once as the call rings, with the caller's number and name", () => {
    const { p, opened } = popper({ url: "https://crm.test/s?n={number}&name={name}&l={line}" });
    expect(p.callChanged(call(CallState.Incoming))).toEqual({ url: "https://crm.test/s?n=%2B4930123&name=Anna&l=Sales", opened: "yes" });
    p.callChanged(call(CallState.Incoming));
    p.callChanged(call(CallState.Established));
    expect(opened).toHaveLength(1);
    expect(p.stateOf("c1")?.opened).toBe("yes");
    p.callChanged(call(CallState.Ended));
    expect(p.stateOf("c1")).toBeUndefined();
  });

  it('on: "answer" waits for the answer; a call that is never answered opens nothing', () => {
    const { p, opened } = popper({ url: "https://crm.test/{number}", on: "answer" });
    expect(p.callChanged(call(CallState.Incoming))).toBeUndefined();
    p.callChanged(call(CallState.Ended));
    expect(opened).toEqual([]);
    p.callChanged(call(CallState.Incoming, { id: "c2" }));
    expect(p.callChanged(call(CallState.Established, { id: "c2" }))?.url).toBe("https://crm.test/%2B4930123");
    expect(opened).toHaveLength(1);
  });

  it("a refused window is reported as blocked (the card offers the link); a follower tab opens nothing", () => {
    expect(popper({ url: "https://crm.test/{number}" }, { allowed: false }).p.callChanged(call(CallState.Incoming))?.opened).toBe(
      "blocked",
    );
    const follower = popper({ url: "https://crm.test/{number}" }, { leader: false });
    expect(follower.p.callChanged(call(CallState.Incoming))?.opened).toBe("other-tab");
    expect(follower.opened).toEqual([]);
  });

  it("outgoing calls, click-to-call legs and lines without a screen pop open nothing", () => {
    const { p, opened } = popper({ url: "https://crm.test/{number}" });
    p.callChanged(call(CallState.Established, { direction: "out" }));
    p.callChanged(call(CallState.Established, { id: "c3", clickToCall: { mode: "desk", target: "1", deskPhone: "2" } }));
    p.callChanged(call(CallState.Incoming, { id: "c4", lineId: "other" }));
    expect(opened).toEqual([]);
    const none = popper(undefined);
    expect(none.p.callChanged(call(CallState.Incoming))).toBeUndefined();
  });
});
