import { describe, expect, it } from "vitest";
import { onCallNotificationClick, type WindowLike } from "./notification-click.js";

function windowLike(focused = false) {
  const w = {
    focused,
    focusedCalls: 0,
    messages: [] as unknown[],
    async focus() {
      w.focusedCalls++;
    },
    postMessage(m: unknown) {
      w.messages.push(m);
    },
  };
  return w;
}

describe("call notification clicks (service worker)", () => {
  it("Answer: focuses the focused phone window (else the first) and passes the action with the call id", async () => {
    const a = windowLike();
    const b = windowLike(true);
    await onCallNotificationClick(
      "answer",
      { callId: "c7" },
      { matchAll: async () => [a, b] as WindowLike[], openWindow: async () => undefined },
    );
    expect(b.focusedCalls).toBe(1);
    expect(b.messages).toEqual([{ type: "notification-action", action: "answer", callId: "c7" }]);
    expect(a.messages).toEqual([]);
  });

  it("a click on the body focuses and says focus; no window: opens the phone", async () => {
    const a = windowLike();
    await onCallNotificationClick("", { callId: "c1" }, { matchAll: async () => [a], openWindow: async () => undefined });
    expect(a.messages).toEqual([{ type: "notification-action", action: "focus", callId: "c1" }]);
    const opened: string[] = [];
    await onCallNotificationClick("decline", { callId: "c1" }, { matchAll: async () => [], openWindow: async (u) => opened.push(u) });
    expect(opened).toEqual(["/"]);
  });
});
