import { html, nothing } from "lit";
import type { ScreenPopState } from "../app/screen-pop.js";
import { SCREEN_POP_WORDS as W } from "./screen-pop-words.js";

/**
 * The link to the caller's CRM page under the call's card (a line's `screenPop`): there whether
 * or not the window opened by itself, so the page is one click away whatever the pop-up rules.
 */
export function screenPopLink(state: ScreenPopState | undefined) {
  if (!state) return nothing;
  return html`<p class="screen-pop" part="screen-pop">
    <a href=${state.url} target="_blank" rel="noopener noreferrer">${W.link}</a>
    ${state.opened === "blocked" ? html`<span class="note">${W.blocked}</span>` : nothing}
  </p>`;
}
