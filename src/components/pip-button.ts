import { html, svg } from "lit";
import type { Words } from "../i18n/words.js";
import type { PipRequest } from "./call-pip.js";
// Icons through shared-styles.js, not icons.js: see the note there.
import { icon } from "./shared-styles.js";

const popOutIcon = /* @__PURE__ */ icon(
  svg`<rect x="3" y="5" width="18" height="14" rx="2" /><rect x="12" y="11" width="7" height="6" rx="1" />`,
);

/** Whether this browser has Document Picture-in-Picture (Chromium 116+). */
export const canPopOut = (): boolean => "documentPictureInPicture" in globalThis;

/**
 * A connected call's Pop out button (call-panel.ts): asks `<sip-phone>` (call-pip.ts) for the
 * call window within the click, the user activation Chromium wants for it. `failed` gets the
 * sentence when the browser refuses.
 */
export function popOutButton(from: HTMLElement, words: Words, callId: string, failed: (text: string) => void) {
  const click = () => {
    const detail: PipRequest = { callId };
    from.dispatchEvent(new CustomEvent("sip-call-pip", { detail, bubbles: true, composed: true }));
    (detail.result ?? Promise.reject(new Error("no call window here"))).catch((e: Error) =>
      failed(words.t("pip.failed", { why: e.message })),
    );
  };
  return html`<button class="pop-out" title=${words.t("pip.popOutHelp")} @click=${click}>${popOutIcon}${words.t("pip.popOut")}</button>`;
}
