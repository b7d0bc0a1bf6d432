import type { ShortcutKey } from "./keyboard-shortcuts.js";

/**
 * The shortcut list's words (English). Kept apart from the key logic so that the translation
 * catalogue can take them over.
 */
export const SHORTCUT_WORDS = {
  title: "Keyboard shortcuts",
  note: "When no text field has the focus. In an embedded phone, while the focus is inside it.",
  close: "Close",
  keys: {
    a: "Answer the ringing call",
    d: "Decline the ringing call",
    e: "End the call (hang up or cancel)",
    m: "Mute or unmute",
    h: "Hold or resume",
    t: "Transfer: opens the field for the number",
    "0-9 * #": "Dial: tones in a call, else the number to call",
    "?": "Show this list",
  } satisfies Record<ShortcutKey, string>,
  /** The button that opens the list, for those who do not know `?`. */
  open: "Keyboard shortcuts",
};
