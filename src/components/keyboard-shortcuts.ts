import { CallState, type CallSnapshot } from "../sip/api/call-state.js";

/**
 * The phone's keyboard shortcuts: single keys, as in Gmail or GitHub, because a phone's
 * actions have to be at hand while the other hand holds nothing: no chord to remember. They
 * act only when no text field has the focus (a key typed into the number, a message or a form
 * is that field's), and never with Ctrl, Alt or Meta (the browser's and the system's).
 *
 * Decided:
 * - `a` answers and `d` declines the ringing call; `e` ends (hangs up) the call in progress; `m`
 *   mutes and unmutes it; `h` holds and resumes it (resumes the held call when none is in
 *   progress); `t` opens its transfer field. Enter and Space on a focused button act as usual.
 * - Digits, `*` and `#` send tones in a connected call (as a desk phone's keypad does) and go to
 *   the dialpad's number otherwise: typing a number "anywhere" starts dialling.
 * - `?` shows the list (shortcut-help.ts); Esc closes it (the dialog's own Esc).
 *
 * `shortcutFor` decides what a key means in the calls' current state (unit-tested);
 * ShortcutKeys (shortcut-keys.ts) listens and carries it out.
 */
export type Shortcut =
  | { action: "answer" | "decline" | "hangup" | "transfer"; callId: string }
  | { action: "mute" | "hold"; callId: string; on: boolean }
  | { action: "tone"; callId: string; key: string }
  | { action: "dial-key"; key: string }
  | { action: "help" };

/** The keys and what they do, in the order the help lists them. */
export const SHORTCUT_KEYS = ["a", "d", "e", "m", "h", "t", "0-9 * #", "?"] as const;
export type ShortcutKey = (typeof SHORTCUT_KEYS)[number];

const DIAL_KEYS = /^[0-9*#]$/;

/** The ringing call the user would answer: the oldest one. */
function ringing(calls: readonly CallSnapshot[]): CallSnapshot | undefined {
  return calls.find((c) => c.state === CallState.Incoming);
}

/** The call the user is talking in or placing: connected and not held, else dialling. */
function current(calls: readonly CallSnapshot[]): CallSnapshot | undefined {
  return (
    calls.find((c) => c.state === CallState.Established && !c.held && !c.clickToCall) ??
    calls.find((c) => c.state === CallState.Dialing || c.state === CallState.Ringing)
  );
}

/** What `key` does now; undefined: nothing (the key is left to the page). */
export function shortcutFor(key: string, calls: readonly CallSnapshot[]): Shortcut | undefined {
  if (key === "?") return { action: "help" };
  const k = key.length === 1 ? key.toLowerCase() : key;
  const inCall = current(calls);
  const talking = inCall?.state === CallState.Established ? inCall : undefined;
  if (DIAL_KEYS.test(k)) return talking ? { action: "tone", callId: talking.id, key: k } : { action: "dial-key", key: k };
  const rings = ringing(calls);
  switch (k) {
    case "a":
      return rings && { action: "answer", callId: rings.id };
    case "d":
      return rings && { action: "decline", callId: rings.id };
    case "e":
      return inCall && { action: "hangup", callId: inCall.id };
    case "m":
      return talking && { action: "mute", callId: talking.id, on: !talking.muted };
    case "h": {
      if (talking) return { action: "hold", callId: talking.id, on: true };
      const held = calls.find((c) => c.state === CallState.Established && c.held && !c.clickToCall);
      return held && !inCall ? { action: "hold", callId: held.id, on: false } : undefined;
    }
    case "t":
      return talking && { action: "transfer", callId: talking.id };
    default:
      return undefined;
  }
}

/** Whether `el` takes typed text: a text field, a text area, a select or an editable element. */
export function keyBelongsElsewhereTarget(el: Element): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !NOT_TEXT.includes(el.type);
  // A focused button or tab keeps Enter and Space; the letters are the phone's.
  return false;
}

const NOT_TEXT = ["button", "checkbox", "radio", "submit", "reset", "range", "color", "file"];

/**
 * Whether a key event belongs to what has the focus rather than to the phone: typed into a
 * field, with a modifier, or part of an IME composition.
 */
export function keyBelongsElsewhere(e: KeyboardEvent): boolean {
  if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing || e.defaultPrevented) return true;
  const target = e.composedPath()[0];
  return target instanceof Element && keyBelongsElsewhereTarget(target);
}
