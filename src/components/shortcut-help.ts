import { consume } from "@lit/context";
import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { PlainId } from "../i18n/catalogue.js";
import { english } from "../i18n/languages.js";
import { SHORTCUT_KEYS, type ShortcutKey } from "./keyboard-shortcuts.js";
import { wordsContext } from "./words-context.js";
import { buttonStyles } from "./shared-styles.js";

/** What each key does, in the catalogue. */
const KEY_TEXT = {
  a: "shortcuts.a",
  d: "shortcuts.d",
  e: "shortcuts.e",
  m: "shortcuts.m",
  h: "shortcuts.h",
  t: "shortcuts.t",
  "0-9 * #": "shortcuts.dial",
  "?": "shortcuts.help",
} satisfies Record<ShortcutKey, PlainId>;

/**
 * The list of keyboard shortcuts, in a modal `<dialog>`: the browser traps the focus in it,
 * closes it on Esc and gives the focus back to where it was. Loaded on first use (`?`).
 */
@customElement("sip-shortcut-help")
export class SipShortcutHelp extends LitElement {
  static override styles = [
    buttonStyles,
    css`
      dialog {
        border: 1px solid var(--sip-border, #d0d7de);
        border-radius: var(--sip-radius-lg, 12px);
        background: var(--sip-surface, #fff);
        color: var(--sip-text, #1f2328);
        padding: var(--sip-space-4, 1rem);
        max-width: min(28rem, calc(100vw - 2rem));
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 40%);
      }
      h2 {
        margin: 0 0 var(--sip-space-2, 0.5rem);
        font-size: var(--sip-text-lg, 1.15rem);
      }
      p {
        margin: 0 0 var(--sip-space-3, 0.75rem);
        color: var(--sip-muted, #57606a);
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: var(--sip-space-2, 0.5rem) var(--sip-space-3, 0.75rem);
        margin: 0 0 var(--sip-space-4, 1rem);
      }
      dt {
        margin: 0;
      }
      dd {
        margin: 0;
      }
      kbd {
        font: inherit;
        font-family: ui-monospace, monospace;
        border: 1px solid var(--sip-border, #d0d7de);
        border-bottom-width: 2px;
        border-radius: 4px;
        padding: 0 0.35em;
        white-space: nowrap;
      }
      form {
        display: flex;
        justify-content: end;
      }
    `,
  ];

  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;

  /** Opens the list as a modal dialog. */
  async show(): Promise<void> {
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector("dialog");
    if (dialog && !dialog.open) dialog.showModal();
  }

  get open(): boolean {
    return !!this.renderRoot.querySelector("dialog")?.open;
  }

  override render() {
    const w = this.words;
    return html`<dialog aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">${w.t("shortcuts.title")}</h2>
      <p>${w.t("shortcuts.note")}</p>
      <dl>
        ${SHORTCUT_KEYS.map(
          (key) =>
            html`<dt>${key === "0-9 * #" ? html`<kbd>0</kbd>–<kbd>9</kbd> <kbd>*</kbd> <kbd>#</kbd>` : html`<kbd>${key}</kbd>`}</dt>
              <dd>${w.t(KEY_TEXT[key])}</dd>`,
        )}
      </dl>
      <form method="dialog"><button>${w.t("shortcuts.close")}</button></form>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-shortcut-help": SipShortcutHelp;
  }
}
