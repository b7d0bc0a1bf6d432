import { html, nothing } from "lit";
import type { ScreenPopState } from "../app/screen-pop.js";
import type { Words } from "../i18n/words.js";

/**
 * The link to the caller's CRM page under the call's card (a line's `screenPop`): there whether
 * or not the window opened by itself, so the page is one click away whatever the pop-up rules.
 */
export function screenPopLink(w: Words, state: ScreenPopState | undefined) {
  if (!state) return nothing;
  return html`<p class="screen-pop" part="screen-pop">
    <a href=${state.url} target="_blank" rel="noopener noreferrer">${w.t("screenPop.link")}</a>
    ${state.opened === "blocked" ? html`<span class="note">${w.t("screenPop.blocked")}</span>` : nothing}
  </p>`;
}
