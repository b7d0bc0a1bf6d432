import type { PlainId } from "../i18n/catalogue.js";
import type { Words } from "../i18n/words.js";
import { MAX_FORWARD_AFTER_S, MIN_FORWARD_AFTER_S, type ForwardMode, type ForwardSetting } from "../sip/api/forwarding.js";
import { PhoneError } from "../sip/api/phone-errors.js";

const MODE_WORDS: Record<ForwardMode, PlainId> = {
  always: "forward.always",
  busy: "forward.busy",
  "no-answer": "forward.noAnswer",
  internal: "forward.internal",
  external: "forward.external",
};

/** A forwarding mode in words, with its target when given: "when busy → 1004". */
export function describeForwardMode(w: Words, mode: ForwardMode, setting?: ForwardSetting): string {
  const what = w.t(MODE_WORDS[mode]);
  if (!setting) return what;
  return mode === "no-answer" && setting.after !== undefined
    ? w.t("forward.toAfter", { mode: what, after: setting.after, to: setting.to })
    : w.t("forward.to", { mode: what, to: setting.to });
}

/** Why forwarding could not be set, from the error's code and facts (forwarding.ts). */
export function describeForwardingError(w: Words, e: unknown): string {
  if (!(e instanceof PhoneError)) return (e as Error).message;
  const detail = (e.detail ?? {}) as { mode?: string; after?: unknown };
  if (e.code === "bad-target") return w.t("forward.badTarget");
  if (e.code === "no-line") return w.t("forward.noLine");
  if (detail.after !== undefined) return w.t("forward.badAfter", { min: MIN_FORWARD_AFTER_S, max: MAX_FORWARD_AFTER_S });
  if (detail.mode === "internal" || detail.mode === "external") return w.t("forward.whoIsInternal");
  return e.message;
}
