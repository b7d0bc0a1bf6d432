import { MAX_FORWARD_AFTER_S, MIN_FORWARD_AFTER_S, type ForwardMode, type ForwardSetting } from "../sip/api/forwarding.js";
import { PhoneError } from "../sip/api/phone-errors.js";

const MODE_WORDS: Record<ForwardMode, string> = {
  always: "always",
  busy: "when busy",
  "no-answer": "when not answered",
  internal: "internal callers",
  external: "external callers",
};

/** A forwarding mode in words, with its target when given: "when busy → 1004". */
export function describeForwardMode(mode: ForwardMode, setting?: ForwardSetting): string {
  if (!setting) return MODE_WORDS[mode];
  const after = mode === "no-answer" && setting.after !== undefined ? ` (after ${setting.after} s)` : "";
  return `${MODE_WORDS[mode]}${after} → ${setting.to}`;
}

/** Why forwarding could not be set, from the error's code and facts (forwarding.ts). */
export function describeForwardingError(e: unknown): string {
  if (!(e instanceof PhoneError)) return (e as Error).message;
  const detail = (e.detail ?? {}) as { mode?: string; after?: unknown };
  if (e.code === "bad-target") return "Forward to: that is not a number or SIP address";
  if (e.code === "no-line") return "That line is gone";
  if (detail.after !== undefined) return `Ring for ${MIN_FORWARD_AFTER_S} to ${MAX_FORWARD_AFTER_S} whole seconds before forwarding`;
  if (detail.mode === "internal" || detail.mode === "external")
    return "This line does not say who is internal: set the extension length or pattern in its number settings";
  return e.message;
}
