import { wordsFor } from "../i18n/languages.js";
import type { LineSnapshot } from "../sip/api/line-state.js";

/** What waiting for a line needs of the phone element. */
export interface LineSource {
  readonly lines: LineSnapshot[];
  /** The language the element speaks (SipPhone.language): its words for the failure. */
  readonly language?: string;
  addEventListener(type: "line-state", listener: () => void): void;
  removeEventListener(type: "line-state", listener: () => void): void;
}

/** A line that can place a call now (registered, or connected for a line that does not register). */
export function hasUsableLine(phone: Pick<LineSource, "lines">): boolean {
  return phone.lines.some((l) => l.state === "registered" || l.state === "connected");
}

/**
 * Resolves once a line can call. With `timeoutMs`, rejects after it with the line's own words
 * (a link or a button clicked while the phone is still connecting, or cannot).
 */
export function lineReady(phone: LineSource, timeoutMs?: number): Promise<void> {
  if (hasUsableLine(phone)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      phone.removeEventListener("line-state", check);
    };
    const check = () => {
      if (!hasUsableLine(phone)) return;
      done();
      resolve();
    };
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            done();
            const why = phone.lines.find((l) => l.error)?.error?.message;
            const w = wordsFor(phone.language);
            reject(
              new Error(
                !phone.lines.length ? w.t("ready.noAccount") : why ? w.t("ready.notConnectedWhy", { why }) : w.t("ready.notConnected"),
              ),
            );
          }, timeoutMs);
    phone.addEventListener("line-state", check);
  });
}
