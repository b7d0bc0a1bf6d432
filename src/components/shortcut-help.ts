import { LitElement, css, html } from "lit";
import { customElement } from "lit/decorators.js";
import { SHORTCUT_KEYS } from "./keyboard-shortcuts.js";
import { SHORTCUT_WORDS as W } from "./keyboard-shortcuts-words.js";
import { buttonStyles } from "./shared-styles.js";

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
    return html`<dialog aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">${W.title}</h2>
      <p>${W.note}</p>
      <dl>
        ${SHORTCUT_KEYS.map(
          (key) =>
            html`<dt>${key === "0-9 * #" ? html`<kbd>0</kbd>–<kbd>9</kbd> <kbd>*</kbd> <kbd>#</kbd>` : html`<kbd>${key}</kbd>`}</dt>
              <dd>${W.keys[key]}</dd>`,
        )}
      </dl>
      <form method="dialog"><button>${W.close}</button></form>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-shortcut-help": SipShortcutHelp;
  }
}
