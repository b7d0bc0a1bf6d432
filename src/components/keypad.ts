import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
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
      div {
        display: grid;
        grid-template-columns: repeat(3, 1fr);
        gap: 0.4rem;
      }
      button {
        font-size: 1.2em;
        padding: 0.6em 0;
        display: grid;
      }
      small {
        font-size: 0.55em;
        color: var(--sip-muted, #57606a);
        min-height: 1em;
      }
    `,
  ];

  /** Accessible name prefix, e.g. "Dial" or "Send tone". */
  @property() action = "Dial";

  override render() {
    return html`<div role="group" aria-label="Keypad">
      ${KEYS.map(
        ([k, letters]) =>
          html`<button
            type="button"
            aria-label="${this.action} ${k === "*" ? "star" : k === "#" ? "hash" : k}"
            data-key=${k}
            @click=${() => this.dispatchEvent(new CustomEvent("key-press", { detail: k, bubbles: true, composed: true }))}
          >
            ${k}<small>${letters}</small>
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
