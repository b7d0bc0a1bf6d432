import { html, nothing, svg, type SVGTemplateResult } from "lit";

/**
 * Small inline icons (24×24, drawn with the text colour) for beside the text labels of actions:
 * decoration only (`aria-hidden`), the text stays the accessible name. Sized by `.icon`
 * (shared-styles.ts `buttonStyles`: 1.25em).
 */
export const icon = (paths: SVGTemplateResult) =>
  html`<svg
    class="icon"
    viewBox="0 0 24 24"
    width="24"
    height="24"
    fill="none"
    stroke="currentColor"
    stroke-width="2"
    stroke-linecap="round"
    stroke-linejoin="round"
    aria-hidden="true"
    focusable="false"
  >
    ${paths}
  </svg>`;

const HANDSET = "M6.5 3h3l1.5 4.5-2 1.5a12 12 0 0 0 6 6l1.5-2 4.5 1.5v3a2 2 0 0 1-2 2A17 17 0 0 1 4.5 5a2 2 0 0 1 2-2z";
const HISTORY = "M3.5 12a8.5 8.5 0 1 0 2.5-6L3 9M3 4v5h5M12 7.5V12l3 2.5";
const MESSAGE = "M5 4h14a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H9l-5 4V5a1 1 0 0 1 1-1z";
const PERSON = "M8 8a4 4 0 1 0 8 0 4 4 0 1 0-8 0M4 21a8 8 0 0 1 16 0";
const LINES = "M9 6h11M9 12h11M9 18h11M4 6h.01M4 12h.01M4 18h.01";
const SLIDERS =
  "M4 6h9m4 0h3M4 12h3m4 0h9M4 18h11m4 0h1M13 6a2 2 0 1 0 4 0 2 2 0 1 0-4 0M7 12a2 2 0 1 0 4 0 2 2 0 1 0-4 0m8 6a2 2 0 1 0 4 0 2 2 0 1 0-4 0";
const MIC = /* @__PURE__ */ svg`<rect x="9" y="2" width="6" height="12" rx="3" /><path d="M5 10v1a7 7 0 0 0 14 0v-1M12 18v4M8 22h8" />`;
const DOTS = "M6 3.5h.01M12 3.5h.01M18 3.5h.01M6 9h.01M12 9h.01M18 9h.01M6 14.5h.01M12 14.5h.01M18 14.5h.01M12 20h.01";

/**
 * The outlines of the views' tabs (by the view's name): phone-views.ts draws them inline
 * (`tabIcon`). Not as CSS masks with data: URLs, which the documented CSP (img-src 'self',
 * docs/security.md) blocks.
 */
export const TAB_ICONS: Record<string, string> = {
  phone: HANDSET,
  history: HISTORY,
  messages: MESSAGE,
  contacts: PERSON,
  lines: LINES,
  settings: SLIDERS,
};

/** The icon of a view's tab (decoration: the tab's text is its name). */
export function tabIcon(view: string) {
  const d = TAB_ICONS[view];
  return d ? icon(svg`<path d=${d} />`) : nothing;
}

export const phoneIcon = /* @__PURE__ */ icon(svg`<path d=${HANDSET} />`);
export const hangupIcon = /* @__PURE__ */ icon(svg`<path d=${HANDSET} transform="rotate(135 12 12) translate(0 -1.5)" />`);
export const micIcon = /* @__PURE__ */ icon(MIC);
export const micOffIcon = /* @__PURE__ */ icon(svg`${MIC}<path d="M3 3l18 18" />`);
export const holdIcon = /* @__PURE__ */ icon(
  svg`<rect x="6" y="5" width="4" height="14" rx="1" /><rect x="14" y="5" width="4" height="14" rx="1" />`,
);
export const resumeIcon = /* @__PURE__ */ icon(svg`<path d="M7 4.5v15l12-7.5z" />`);
export const transferIcon = /* @__PURE__ */ icon(svg`<path d="M4 8h15m-4-4 4 4-4 4M20 16H5m4-4-4 4 4 4" />`);
export const keypadIcon = /* @__PURE__ */ icon(svg`<path d=${DOTS} stroke-width="3.5" />`);
export const historyIcon = /* @__PURE__ */ icon(svg`<path d=${HISTORY} />`);
export const contactsIcon = /* @__PURE__ */ icon(svg`<path d=${PERSON} />`);
export const messageIcon = /* @__PURE__ */ icon(svg`<path d=${MESSAGE} />`);
export const settingsIcon = /* @__PURE__ */ icon(svg`<path d=${SLIDERS} />`);
export const linesIcon = /* @__PURE__ */ icon(svg`<path d=${LINES} />`);
export const searchIcon = /* @__PURE__ */ icon(svg`<circle cx="11" cy="11" r="7" /><path d="m21 21-5-5" />`);
export const trashIcon = /* @__PURE__ */ icon(svg`<path d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6m4-6v6" />`);
export const plusIcon = /* @__PURE__ */ icon(svg`<path d="M12 5v14M5 12h14" />`);
export const backIcon = /* @__PURE__ */ icon(svg`<path d="m15 5-7 7 7 7" />`);
export const sendIcon = /* @__PURE__ */ icon(svg`<path d="M21 3 10 14M21 3l-7 18-4-7-7-4z" />`);

/**
 * One or two capital letters for a party: the first letters of its first and last words
 * ("Bob Builder" → "BB", "alice" from "sip:alice@pbx" → "A"); "" when it has no letters (a
 * number), for which the avatar shows a person.
 */
export function initials(name: string): string {
  const words =
    name
      .replace(/^(sips?|tel):/i, "")
      .replace(/@.*/, "")
      .match(/\p{L}[\p{L}\p{M}]*/gu) ?? [];
  const first = words[0];
  if (!first) return "";
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  return (Array.from(first)[0]! + (last ? Array.from(last)[0]! : "")).toLocaleUpperCase();
}

/**
 * The party's round avatar (`avatarStyles`): initials as generated content, so that they add
 * nothing to the row's text or accessible name (the name is beside them).
 */
export function avatar(name: string) {
  const letters = initials(name);
  return html`<span class="avatar" data-initials=${letters} aria-hidden="true">${letters ? nothing : contactsIcon}</span>`;
}
