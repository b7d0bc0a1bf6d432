import { consume } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { english } from "../i18n/languages.js";
import { wordsContext } from "./words-context.js";
import { buttonStyles } from "./shared-styles.js";

/** A request from outside (a link, a provisioning URL) that the user confirms or cancels. */
export interface ConfirmQuestion {
  heading: string;
  note?: string;
  /** Labelled values: the number, the line… */
  rows?: Array<[label: string, value: string]>;
  /** A list of points: the changes a configuration makes… */
  items?: string[];
  /** The yes button ("Call", "Apply"). */
  action: string;
}

/**
 * How long the yes button stays disabled after a question appears: a key pressed for something
 * else (Enter in the dialpad the moment a link arrives) must not answer a question the user
 * has not seen.
 */
export const ARM_MS = 500;

/**
 * Asks the user about a request from outside: its details, a focused yes button (Enter or a
 * click says yes), Cancel (or Esc). Answers with `confirm-answer` (detail: true for yes), sent
 * to this element only.
 */
@customElement("sip-confirm-request")
export class SipConfirmRequest extends LitElement {
  static override styles = [
    buttonStyles,
    css`
      section {
        border: 2px solid var(--sip-accent, #1f6feb);
        border-radius: 10px;
        padding: 0.8rem;
        display: grid;
        gap: 0.5rem;
      }
      h2 {
        font-size: 1.1em;
        margin: 0;
      }
      p {
        margin: 0;
        color: var(--sip-muted, #57606a);
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0.2rem 0.8rem;
        margin: 0;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      ul {
        margin: 0;
        padding-left: 1.2em;
        overflow-wrap: anywhere;
      }
      .actions {
        display: flex;
        gap: 0.5rem;
      }
    `,
  ];

  @property({ attribute: false }) question?: ConfirmQuestion;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  @state() private armed = false;
  private armTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape" && this.question) {
      e.preventDefault();
      this.answer(false);
    }
  };

  override connectedCallback(): void {
    super.connectedCallback();
    // Esc anywhere in the window cancels: the user need not find the question first.
    window.addEventListener("keydown", this.onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("keydown", this.onKey);
    clearTimeout(this.armTimer);
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (!changed.has("question")) return;
    this.armed = false;
    clearTimeout(this.armTimer);
    this.armTimer = setTimeout(() => (this.armed = true), ARM_MS);
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has("armed") && this.armed) this.renderRoot.querySelector<HTMLButtonElement>("button.call")?.focus();
  }

  override render() {
    const q = this.question;
    if (!q) return nothing;
    return html`<section role="alertdialog" aria-labelledby="heading" aria-describedby="note">
      <h2 id="heading">${q.heading}</h2>
      ${q.note ? html`<p id="note">${q.note}</p>` : nothing}
      ${
        q.rows?.length
          ? html`<dl>
              ${q.rows.map(
                ([label, value]) =>
                  html`<dt>${label}</dt>
                    <dd>${value}</dd>`,
              )}
            </dl>`
          : nothing
      }
      ${
        q.items?.length
          ? html`<ul>
              ${q.items.map((item) => html`<li>${item}</li>`)}
            </ul>`
          : nothing
      }
      <div class="actions">
        <button class="call" ?disabled=${!this.armed} @click=${() => this.answer(true)}>${q.action}</button>
        <button @click=${() => this.answer(false)}>${this.words.t("question.cancel")}</button>
      </div>
    </section>`;
  }

  private answer(yes: boolean): void {
    this.dispatchEvent(new CustomEvent("confirm-answer", { detail: yes }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-confirm-request": SipConfirmRequest;
  }
  interface HTMLElementEventMap {
    "confirm-answer": CustomEvent<boolean>;
  }
}
