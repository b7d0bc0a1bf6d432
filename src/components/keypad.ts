import { consume } from "@lit/context";
import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { english } from "../i18n/languages.js";
import { wordsContext } from "./words-context.js";
import { buttonStyles } from "./shared-styles.js";

const KEYS: Array<[string, string]> = [
  ["1", ""],
  ["2", "ABC"],
  ["3", "DEF"],
  ["4", "GHI"],
  ["5", "JKL"],
  ["6", "MNO"],
  ["7", "PQRS"],
  ["8", "TUV"],
  ["9", "WXYZ"],
  ["*", ""],
  ["0", "+"],
  ["#", ""],
];

/** The 12 phone keys. Fires `key-press` with the digit. */
@customElement("sip-keypad")
export class SipKeypad extends LitElement {
  static override styles = [
    buttonStyles,
    css`
      :host {
        display: block;
      }
      div {
        display: grid;
        grid-template-columns: repeat(3, var(--sip-key-size, 4.25rem));
        justify-content: center;
        gap: var(--sip-space-3) var(--sip-space-5);
      }
      button {
        width: var(--sip-key-size, 4.25rem);
        height: var(--sip-key-size, 4.25rem);
        padding: 0;
        border-color: transparent;
        border-radius: 50%;
        flex-direction: column;
        gap: 0;
        font-size: var(--sip-text-xl);
        font-weight: 400;
        line-height: 1;
        font-variant-numeric: tabular-nums;
      }
      small {
        font-size: 0.625rem;
        font-weight: 600;
        letter-spacing: 0.12em;
        color: var(--sip-muted);
        min-height: 0.75rem;
        margin-top: 0.15rem;
      }
      @media (forced-colors: active) {
        button {
          border-color: ButtonText;
        }
      }
    `,
  ];

  /**
   * What the keys do: "dial" ("Dial 2 ABC") or "tone" ("Send tone 2 ABC"). The name also
   * carries the key's letters: a name must contain the text the key shows (WCAG 2.5.3).
   */
  @property() action: "dial" | "tone" = "dial";
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;

  override render() {
    const w = this.words;
    const named = (k: string) => (k === "*" ? w.t("keypad.star") : k === "#" ? w.t("keypad.hash") : k);
    return html`<div role="group" aria-label=${w.t("keypad.label")}>
      ${KEYS.map(
        ([k, letters]) =>
          html`<button
            type="button"
            aria-label=${w.t(this.action === "tone" ? "keypad.tone" : "keypad.dial", {
              key: `${named(k)}${/^[A-Z]+$/.test(letters) ? ` ${letters}` : ""}`,
            })}
            data-key=${k}
            @click=${() => this.dispatchEvent(new CustomEvent("key-press", { detail: k, bubbles: true, composed: true }))}
          >
            ${k} <small>${letters}</small>
          </button>`,
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-keypad": SipKeypad;
  }
  interface HTMLElementEventMap {
    "key-press": CustomEvent<string>;
  }
}
