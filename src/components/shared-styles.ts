import { css, unsafeCSS } from "lit";

/**
 * The icons and the avatar, for the views that load on demand. Imported from here, not from
 * icons.js: a lazy view importing icons.js itself (or <sip-call-button> not importing this
 * module) makes Rolldown 1.2 (Vite 8) move Lit and other shared modules out of the app's entry
 * into chunks of their own: five requests at start instead of two and 1.3 KiB more gzip (as in
 * rolldown/rolldown#10731, "module already loaded by the entry is emitted as a separate
 * chunk"). The `$initial` chunk group in vite.config.ts now keeps the entry whole either way;
 * this module stays as the views' one place for the icons.
 */
export * from "./icons.js";

/**
 * The colours of the design system: `[name, light, dark]`. Each is the public custom property
 * `--sip-<name>` (docs/embedding.md): a host page sets it on `<sip-phone>` or any ancestor, and
 * that value wins in both themes; otherwise the light or dark default applies, by the element's
 * `color-scheme` (the system's choice, or `data-theme`). shared-styles.test.ts checks that every
 * text colour meets WCAG AA (4.5:1) on the surfaces it is used on, in both themes.
 */
export const PALETTE = [
  // Surfaces: the element, raised areas (call card, tab bar), buttons and keys, lines.
  ["bg", "#ffffff", "#0d1117"],
  ["surface", "#f6f8fa", "#151b23"],
  ["button-bg", "#eff2f5", "#212830"],
  ["border", "#d1d9e0", "#3d444d"],
  // Text.
  ["fg", "#1f2328", "#e6edf3"],
  ["muted", "#59636e", "#9198a1"],
  ["link", "#0969da", "#4493f8"],
  // Fills with text on them: accent (selected, pressed, primary), call (green), hang up (red).
  ["accent", "#0969da", "#1f6feb"],
  ["accent-fg", "#ffffff", "#ffffff"],
  ["call-bg", "#1a7f37", "#238636"],
  ["hangup-bg", "#cf222e", "#da3633"],
  // The focus ring (3:1 against the surfaces at least).
  ["focus", "#0969da", "#4493f8"],
  // Messages: text colours, and the backgrounds of notices.
  ["danger", "#d1242f", "#f85149"],
  ["success", "#1a7f37", "#3fb950"],
  ["warning", "#9a6700", "#d29922"],
  ["notice-bg", "#fff8c5", "#2e2a12"],
  ["error-bg", "#ffebe9", "#3a1d1f"],
  // The remote party's initials.
  ["avatar-bg", "#ddf4ff", "#0c2d6b"],
  ["avatar-fg", "#0550ae", "#cae8ff"],
  // States, as text and dots: a line registered, a call ringing, in a call, held, an error.
  ["state-registered", "#1a7f37", "#3fb950"],
  ["state-ringing", "#9a6700", "#d29922"],
  ["state-in-call", "#0969da", "#4493f8"],
  ["state-held", "#8250df", "#ab7df8"],
  ["state-error", "#d1242f", "#f85149"],
] as const;

export type ColourToken = (typeof PALETTE)[number][0];

/**
 * The design tokens, for the elements a page places (`<sip-phone>`, `<sip-call-button>`): their
 * `:host` reads each `--sip-*` colour the page set (on the element or above it) or takes the
 * theme's default, and passes the result on to every element inside under the same name, so
 * nested views use `var(--sip-fg)` without fallbacks. Declared on the host under another name
 * (`--_sip-*`) so that a value set on an ancestor is not shadowed by a default.
 *
 * Scales (set on the element to change them): spacing `--sip-space-1…6`, type `--sip-text-xs…2xl`,
 * radii `--sip-radius-sm`, `--sip-radius`, `--sip-radius-lg`, `--sip-radius-full`, `--sip-shadow`,
 * `--sip-duration` (0s with `prefers-reduced-motion`).
 */
export const themeTokens = css`
  :host {
    ${unsafeCSS(PALETTE.map(([n, light, dark]) => `--_sip-${n}:var(--sip-${n},light-dark(${light},${dark}));`).join(""))}
    --sip-space-1: 0.25rem;
    --sip-space-2: 0.5rem;
    --sip-space-3: 0.75rem;
    --sip-space-4: 1rem;
    --sip-space-5: 1.5rem;
    --sip-space-6: 2rem;
    --sip-text-xs: 0.75rem;
    --sip-text-sm: 0.875rem;
    --sip-text-md: 1rem;
    --sip-text-lg: 1.25rem;
    --sip-text-xl: 1.75rem;
    --sip-text-2xl: 2.25rem;
    --sip-radius-sm: 6px;
    --sip-radius: 10px;
    --sip-radius-lg: 16px;
    --sip-radius-full: 999px;
    --sip-shadow: 0 1px 2px light-dark(#1f232814, #0009), 0 6px 20px light-dark(#1f23281a, #0008);
    --sip-duration: 0.15s;
  }
  :host([data-theme="light"]) {
    color-scheme: light;
  }
  :host([data-theme="dark"]) {
    color-scheme: dark;
  }
  @media (prefers-reduced-motion: reduce) {
    :host {
      --sip-duration: 0s;
    }
  }
  * {
    ${unsafeCSS(PALETTE.map(([n]) => `--sip-${n}:var(--_sip-${n});`).join(""))}
  }
`;

/**
 * Buttons (plain; `.call` green, `.hangup` red, `.primary` accent; `aria-pressed` toggles), the
 * focus ring, icons beside labels, `.visually-hidden`, and no motion when the user asks for none.
 */
export const buttonStyles = css`
  button {
    font: inherit;
    font-weight: 500;
    line-height: 1.2;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--sip-space-2);
    min-height: 2.5rem;
    padding: var(--sip-space-2) var(--sip-space-3);
    border: 1px solid var(--sip-border);
    border-radius: var(--sip-radius);
    background: var(--sip-button-bg);
    color: var(--sip-fg);
    cursor: pointer;
    transition: background-color var(--sip-duration);
  }
  button:hover:not(:disabled) {
    background-image: linear-gradient(light-dark(#1f23280f, #ffffff14) 0 0);
  }
  button:active:not(:disabled) {
    background-image: linear-gradient(light-dark(#1f232824, #ffffff29) 0 0);
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  :focus-visible {
    outline: 2px solid var(--sip-focus);
    outline-offset: 2px;
  }
  button.call,
  button.hangup,
  button.primary,
  button[aria-pressed="true"] {
    color: #fff;
    border-color: var(--sip-call-bg);
    background: var(--sip-call-bg);
  }
  button.hangup {
    border-color: var(--sip-hangup-bg);
    background: var(--sip-hangup-bg);
  }
  button.primary,
  button[aria-pressed="true"] {
    color: var(--sip-accent-fg);
    border-color: var(--sip-accent);
    background: var(--sip-accent);
  }
  .icon {
    width: 1.25em;
    height: 1.25em;
    flex: none;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    ::before,
    ::after {
      animation: none !important;
      transition: none !important;
    }
  }
  @media (forced-colors: active) {
    button[aria-pressed="true"] {
      forced-color-adjust: none;
      background: Highlight;
      color: HighlightText;
    }
  }
`;

/** Text fields, selects and text areas. */
export const fieldStyles = css`
  input:not([type="checkbox"], [type="radio"], [type="range"], [type="file"]),
  select,
  textarea {
    font: inherit;
    min-height: 2.5rem;
    box-sizing: border-box;
    padding: var(--sip-space-2) var(--sip-space-3);
    border: 1px solid var(--sip-border);
    border-radius: var(--sip-radius);
    background: var(--sip-bg);
    color: var(--sip-fg);
    min-width: 0;
  }
  ::placeholder {
    color: var(--sip-muted);
    opacity: 1;
  }
`;

/** The list views' plain lists and their "nothing here yet" line (contacts, conversations). */
export const listStyles = css`
  p {
    margin: 0;
  }
  .empty {
    color: var(--sip-muted);
    text-align: center;
    padding: var(--sip-space-4);
  }
  ul {
    list-style: none;
    padding: 0;
    margin: 0;
    display: grid;
  }
`;

/** The round avatar of a party (icons.ts `avatar()`): its initials, or a person. */
export const avatarStyles = css`
  .avatar {
    --size: 2.5rem;
    width: var(--size);
    height: var(--size);
    flex: none;
    display: inline-grid;
    place-items: center;
    border-radius: 50%;
    background: var(--sip-avatar-bg);
    color: var(--sip-avatar-fg);
    font-weight: 600;
    font-size: calc(var(--size) * 0.4);
    line-height: 1;
    user-select: none;
  }
  .avatar::before {
    content: attr(data-initials);
  }
  .avatar .icon {
    width: 55%;
    height: 55%;
  }
`;
