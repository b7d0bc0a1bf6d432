import { css } from "lit";
import { buttonStyles } from "./shared-styles.js";

/** The look of `<sip-phone>` (its parts and custom properties are listed in docs/embedding.md). */
export const sipPhoneStyles = [
  buttonStyles,
  css`
    :host {
      display: block;
      max-width: 26rem;
      font-family: var(--sip-font, system-ui, sans-serif);
      color: var(--sip-fg, #1f2328);
    }
    .bar {
      display: flex;
      justify-content: space-between;
      align-items: start;
      gap: 0.5rem;
      margin-bottom: 0.8rem;
    }
    .calls {
      display: grid;
      gap: 0.6rem;
      margin-bottom: 0.8rem;
    }
    .notice {
      margin: 0 0 0.6rem;
      padding: 0.4rem 0.6rem;
      border-radius: 8px;
      background: #fff8c5;
    }
    .notice[data-kind="error"] {
      background: #ffebe9;
    }
    nav {
      display: flex;
      gap: 0.3rem;
      margin-bottom: 0.8rem;
      flex-wrap: wrap;
    }
    nav button[aria-selected="true"] {
      background: var(--sip-accent, #1f6feb);
      color: #fff;
    }
    .badge {
      background: #cf222e;
      color: #fff;
      border-radius: 1em;
      padding: 0 0.45em;
      font-size: 0.8em;
      margin-left: 0.3em;
    }
  `,
];
