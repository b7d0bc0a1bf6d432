import { consume } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { live } from "lit/directives/live.js";
import { historyRetentionOf, type HistoryRetention } from "../app/history-retention.js";
import { english } from "../i18n/languages.js";
import { appContext, type AppService } from "./app-context.js";
import { retentionLoses, retentionText } from "./retention-words.js";
import { fieldStyles } from "./shared-styles.js";
import { wordsContext } from "./words-context.js";

/**
 * Settings → General, Call history: how many calls and how many days the history keeps, as any
 * numbers (0: no limit). The one setting is `settings.historyRetention`, the same the History
 * view's menu sets with its presets; whichever changes it, the other shows it
 * (`settings-changed`). A smaller retention deletes calls at once (PhoneApp.updateSettings
 * prunes), so it asks first, as the History view does.
 */
@customElement("sip-retention-setting")
export class SipRetentionSetting extends LitElement {
  static override styles = [
    fieldStyles,
    css`
      :host {
        display: grid;
        gap: var(--sip-space-2);
      }
      .fields {
        display: flex;
        flex-wrap: wrap;
        gap: var(--sip-space-3);
      }
      label {
        display: grid;
        gap: var(--sip-space-1);
      }
      input {
        width: 9rem;
      }
      p {
        margin: 0;
        font-size: var(--sip-text-sm);
        color: var(--sip-muted);
      }
      .error {
        color: var(--sip-danger);
      }
    `,
  ];

  @consume({ context: appContext, subscribe: true }) app?: AppService;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  @state() private retention: HistoryRetention = historyRetentionOf({});
  @state() private error = "";
  private off: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.retention = historyRetentionOf(this.app?.settings ?? {});
    this.off = this.app?.on("settings-changed", (s) => (this.retention = historyRetentionOf(s)));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.off?.();
  }

  override render() {
    const w = this.words;
    const field = (key: keyof HistoryRetention, label: string) =>
      html`<label
        >${label}<input
          name=${key}
          type="number"
          min="0"
          step="1"
          inputmode="numeric"
          aria-describedby="retention-help"
          .value=${live(String(this.retention[key]))}
          @change=${this.onChange}
      /></label>`;
    return html`<div class="fields">${field("maxEntries", w.t("general.keepCalls"))} ${field("maxAgeDays", w.t("general.keepDays"))}</div>
      <p id="retention-help">${w.t("general.historyNote")}</p>
      <p role="status">${retentionText(w, this.retention)}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}`;
  }

  private readonly onChange = (): void => {
    const read = (key: keyof HistoryRetention) => this.renderRoot.querySelector<HTMLInputElement>(`input[name="${key}"]`)!.value.trim();
    const typed = { maxEntries: read("maxEntries"), maxAgeDays: read("maxAgeDays") };
    const whole = (s: string) => /^\d{1,9}$/.test(s);
    if (!whole(typed.maxEntries) || !whole(typed.maxAgeDays)) {
      this.error = this.words.t("general.retentionInvalid");
      return;
    }
    this.error = "";
    const next: HistoryRetention = { maxEntries: Number(typed.maxEntries), maxAgeDays: Number(typed.maxAgeDays) };
    const was = this.retention;
    if (next.maxEntries === was.maxEntries && next.maxAgeDays === was.maxAgeDays) return;
    // Pruning deletes at once and for good.
    if (retentionLoses(next, was) && !confirm(this.words.t("retention.confirm", { choice: retentionText(this.words, next) }))) {
      this.requestUpdate();
      return;
    }
    this.retention = next;
    this.app?.updateSettings({ historyRetention: next }).catch((e: Error) => {
      this.retention = was;
      this.error = this.words.t("general.saveFailed", { why: e.message });
    });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-retention-setting": SipRetentionSetting;
  }
}
