import { consume } from "@lit/context";
import { english } from "../i18n/languages.js";
import { wordsContext } from "./words-context.js";
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import {
  DEFAULT_FORWARD_AFTER_S,
  FORWARD_MODES,
  MAX_FORWARD_AFTER_S,
  MIN_FORWARD_AFTER_S,
  isForwardMode,
  type ForwardMode,
  type LineForwarding,
} from "../sip/api/forwarding.js";
import { appContext, type AppService } from "./app-context.js";
import { describeForwardingError, describeForwardMode } from "./forwarding-words.js";
import { buttonStyles } from "./shared-styles.js";

/**
 * One line's call forwarding, as a desk phone offers it: each mode that is on with its target
 * (and Clear), and a form to set one more: always, when busy, after N seconds of ringing, for
 * internal or for external callers only (who is internal: the line's `internalCallers`).
 * Changes go through the app, which keeps them across reloads (PhoneApp.setForward).
 */
@customElement("sip-forwarding-form")
export class SipForwardingForm extends LitElement {
  static override styles = [
    buttonStyles,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 0 0 0.4rem;
      }
      li,
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        align-items: center;
      }
      input,
      select {
        font: inherit;
      }
      .error {
        color: var(--sip-hangup-bg, #cf222e);
      }
    `,
  ];

  @property() lineId = "";
  @property() lineLabel = "";
  @property({ attribute: false }) forward: LineForwarding | undefined;
  @consume({ context: appContext, subscribe: true }) app?: AppService;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  @state() private mode: ForwardMode = "always";
  @state() private error = "";

  override render() {
    const on = FORWARD_MODES.filter((m) => this.forward?.[m]);
    const w = this.words;
    return html`<section aria-label=${w.t("forward.section", { line: this.lineLabel })}>
      ${
        on.length
          ? html`<ul aria-label=${w.t("forward.on")}>
              ${on.map(
                (m) =>
                  html`<li>
                    <span>${describeForwardMode(w, m, this.forward![m]!)}</span>
                    <button aria-label=${w.t("forward.stop", { mode: describeForwardMode(w, m) })} @click=${() => this.set(m, undefined)}>
                      ${w.t("forward.clear")}
                    </button>
                  </li>`,
              )}
            </ul>`
          : html`<p>${w.t("forward.none")}</p>`
      }
      <form @submit=${this.submit}>
        <select aria-label=${w.t("forward.when")} @change=${(e: Event) => this.pick((e.target as HTMLSelectElement).value)}>
          ${FORWARD_MODES.map((m) => html`<option value=${m} ?selected=${m === this.mode}>${describeForwardMode(w, m)}</option>`)}
        </select>
        <input name="target" aria-label=${w.t("forward.target")} placeholder=${w.t("dial.placeholder")} autocomplete="off" required />
        ${
          this.mode === "no-answer"
            ? html`<label
                >${w.t("forward.after")}
                <input
                  name="after"
                  type="number"
                  min=${MIN_FORWARD_AFTER_S}
                  max=${MAX_FORWARD_AFTER_S}
                  value=${DEFAULT_FORWARD_AFTER_S}
                  aria-label=${w.t("forward.seconds")}
                />
                ${w.t("forward.secondsUnit")}</label
              >`
            : nothing
        }
        <button type="submit">${w.t("forward.submit")}</button>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }

  private pick(value: string): void {
    if (isForwardMode(value)) this.mode = value;
  }

  private submit(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const target = (form.elements.namedItem("target") as HTMLInputElement).value.trim();
    const afterField = form.elements.namedItem("after") as HTMLInputElement | null;
    if (!target) return;
    void this.set(this.mode, target, afterField ? Number(afterField.value) : undefined).then((ok) => ok && form.reset());
  }

  private async set(mode: ForwardMode, target: string | undefined, after?: number): Promise<boolean> {
    this.error = "";
    try {
      await this.app!.setForward(this.lineId, target, after === undefined ? { mode } : { mode, after });
      return true;
    } catch (err) {
      this.error = describeForwardingError(this.words, err);
      return false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-forwarding-form": SipForwardingForm;
  }
}
