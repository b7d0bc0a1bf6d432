import { css } from "lit";
import { buttonStyles, themeTokens } from "./shared-styles.js";

/**
 * The look of `<sip-phone>` (its parts and custom properties are listed in docs/embedding.md):
 * a surface of its own, light or dark as the system is (or as `data-theme` says), one column.
 */
export const sipPhoneStyles = [
  themeTokens,
  buttonStyles,
  css`
    :host {
      display: block;
      box-sizing: border-box;
      max-width: 26rem;
      padding: var(--sip-space-4);
      border-radius: var(--sip-radius-lg);
      color-scheme: light dark;
      background: var(--_sip-bg);
      color: var(--_sip-fg);
      font-family: var(--sip-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
      line-height: 1.4;
      -webkit-tap-highlight-color: transparent;
    }
    :host([hidden]) {
      display: none;
    }
    .bar {
      display: flex;
      justify-content: space-between;
      align-items: start;
      gap: var(--sip-space-2);
      margin-bottom: var(--sip-space-3);
    }
    .bar > * {
      flex: 1;
      min-width: 0;
    }
    /* Two panes (wide-layout.ts): the phone beside the open view. */
    .panes {
      display: grid;
      grid-template-columns: minmax(20rem, 26rem) minmax(0, 1fr);
      gap: var(--sip-space-6);
      align-items: start;
    }
    .phone-pane {
      position: sticky;
      top: var(--sip-space-4);
    }
    .calls {
      display: grid;
      gap: var(--sip-space-3);
      margin-bottom: var(--sip-space-3);
    }
    .calls:empty {
      margin: 0;
    }
    .screen-pop {
      margin: var(--sip-space-2) 0 0;
      font-size: var(--sip-text-sm);
    }
    .screen-pop .note {
      display: block;
      color: var(--sip-muted);
    }
    .notice {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--sip-space-2);
      margin: 0 0 var(--sip-space-3);
      padding: var(--sip-space-2) var(--sip-space-3);
      border-radius: var(--sip-radius);
      background: var(--sip-notice-bg);
      font-size: var(--sip-text-sm);
    }
    .notice[data-kind="error"] {
      background: var(--sip-error-bg);
    }
    .notice button {
      min-height: 2rem;
      padding-block: var(--sip-space-1);
    }
    nav {
      display: grid;
      grid-auto-flow: column;
      grid-auto-columns: minmax(0, 1fr);
      gap: 2px;
      margin-bottom: var(--sip-space-4);
      padding: 3px;
      border: 1px solid var(--sip-border);
      border-radius: var(--sip-radius-lg);
      background: var(--sip-surface);
    }
    nav button {
      position: relative;
      flex-direction: column;
      gap: 2px;
      min-height: 3.25rem;
      padding: var(--sip-space-1) 0;
      border: 0;
      border-radius: calc(var(--sip-radius-lg) - 4px);
      background: transparent;
      color: var(--sip-muted);
      font-size: var(--sip-text-xs);
      white-space: nowrap;
    }
    nav button .icon {
      width: 1.375rem;
      height: 1.375rem;
    }
    nav button:hover {
      color: var(--sip-fg);
    }
    nav button:focus-visible {
      outline-offset: -2px;
    }
    nav button[aria-selected="true"] {
      background: var(--sip-accent);
      color: var(--sip-accent-fg);
    }
    nav .badge {
      position: absolute;
      top: 2px;
      inset-inline-start: calc(50% + 0.35rem);
    }
    .badge {
      min-width: 1.125rem;
      box-sizing: border-box;
      padding: 0 0.3em;
      border-radius: var(--sip-radius-full);
      background: var(--sip-hangup-bg);
      color: #fff;
      font-size: 0.6875rem;
      font-weight: 600;
      line-height: 1.125rem;
    }
    @media (forced-colors: active) {
      nav button[aria-selected="true"] {
        forced-color-adjust: none;
        background: Highlight;
        color: HighlightText;
      }
    }
    @media (max-width: 30rem) {
      nav button {
        font-size: 0.6875rem;
      }
    }
  `,
];
