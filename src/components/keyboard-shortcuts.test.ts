// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { CallState, type CallSnapshot } from "../sip/api/call-state.js";
import { keyBelongsElsewhere, shortcutFor } from "./keyboard-shortcuts.js";

const call = (id: string, state: CallState, patch: Partial<CallSnapshot> = {}): CallSnapshot =>
  ({ id, state, muted: false, held: false, direction: "in", remote: "1002", lineId: "l1", ...patch }) as CallSnapshot;

describe("shortcutFor", () => {
  it("answers and declines the oldest ringing call, and nothing when none rings", () => {
    const calls = [call("c1", CallState.Incoming), call("c2", CallState.Incoming)];
    expect(shortcutFor("a", calls)).toEqual({ action: "answer", callId: "c1" });
    expect(shortcutFor("D", calls)).toEqual({ action: "decline", callId: "c1" });
    expect(shortcutFor("a", [call("c3", CallState.Established)])).toBeUndefined();
  });

  it("mutes, holds, transfers and ends the call in progress, not the held one", () => {
    const calls = [call("held", CallState.Established, { held: true }), call("talk", CallState.Established, { muted: true })];
    expect(shortcutFor("m", calls)).toEqual({ action: "mute", callId: "talk", on: false });
    expect(shortcutFor("h", calls)).toEqual({ action: "hold", callId: "talk", on: true });
    expect(shortcutFor("t", calls)).toEqual({ action: "transfer", callId: "talk" });
    expect(shortcutFor("e", calls)).toEqual({ action: "hangup", callId: "talk" });
  });

  it("h resumes the held call when no other call is in progress", () => {
    expect(shortcutFor("h", [call("held", CallState.Established, { held: true })])).toEqual({ action: "hold", callId: "held", on: false });
    // Dialling a second call: h must not take the first back in the middle of it.
    expect(shortcutFor("h", [call("held", CallState.Established, { held: true }), call("out", CallState.Dialing)])).toBeUndefined();
  });

  it("e cancels a call still dialling; m and t wait for it to connect", () => {
    const calls = [call("out", CallState.Ringing, { direction: "out" })];
    expect(shortcutFor("e", calls)).toEqual({ action: "hangup", callId: "out" });
    expect(shortcutFor("m", calls)).toBeUndefined();
    expect(shortcutFor("t", calls)).toBeUndefined();
  });

  it("digits send tones in a connected call and go to the number otherwise", () => {
    expect(shortcutFor("5", [call("c", CallState.Established)])).toEqual({ action: "tone", callId: "c", key: "5" });
    expect(shortcutFor("#", [])).toEqual({ action: "dial-key", key: "#" });
    expect(shortcutFor("*", [call("r", CallState.Incoming)])).toEqual({ action: "dial-key", key: "*" });
  });

  it("a click-to-call leg has no audio: no tones, mute or hold on it", () => {
    const c2c = [call("c", CallState.Established, { clickToCall: { mode: "desk", target: "1003", deskPhone: "2001" } })];
    expect(shortcutFor("m", c2c)).toBeUndefined();
    expect(shortcutFor("1", c2c)).toEqual({ action: "dial-key", key: "1" });
  });

  it("? is the help; other keys are left alone", () => {
    expect(shortcutFor("?", [])).toEqual({ action: "help" });
    for (const key of ["x", "Enter", " ", "Tab", "ArrowDown", "F5"])
      expect(shortcutFor(key, [call("c", CallState.Established)])).toBeUndefined();
  });
});

describe("keyBelongsElsewhere", () => {
  const press = (target: HTMLElement, init: KeyboardEventInit = {}) => {
    let result: boolean | undefined;
    document.body.append(target);
    target.addEventListener("keydown", (e) => (result = keyBelongsElsewhere(e)));
    target.dispatchEvent(new KeyboardEvent("keydown", { key: "a", bubbles: true, composed: true, ...init }));
    target.remove();
    return result;
  };

  it("keys typed into a text field, a text area, a select or an editable element are theirs", () => {
    const editable = document.createElement("div");
    editable.contentEditable = "true";
    for (const el of [document.createElement("input"), document.createElement("textarea"), document.createElement("select"), editable])
      expect(press(el), el.tagName).toBe(true);
    const search = document.createElement("input");
    search.type = "search";
    expect(press(search)).toBe(true);
  });

  it("on a button, a checkbox or the page the letters are the phone's, unless a modifier is held", () => {
    const box = document.createElement("input");
    box.type = "checkbox";
    expect(press(document.createElement("button"))).toBe(false);
    expect(press(box)).toBe(false);
    expect(press(document.createElement("div"))).toBe(false);
    expect(press(document.createElement("button"), { ctrlKey: true })).toBe(true);
    expect(press(document.createElement("div"), { altKey: true })).toBe(true);
    expect(press(document.createElement("div"), { metaKey: true })).toBe(true);
  });
});
