import { consume } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { diagnosticsReport } from "../app/diagnostics.js";
import { recentLog } from "../sip/core/logger.js";
import type { PlainId } from "../i18n/catalogue.js";
import { english, LANGUAGES } from "../i18n/languages.js";
import type { Settings } from "../storage/settings-store.js";
import { appContext, type AppService, type AccountView } from "./app-context.js";
import { downloadText } from "./download.js";
import { PhoneStateController } from "./phone-state-controller.js";
import { wordsContext } from "./words-context.js";
import { buttonStyles, fieldStyles } from "./shared-styles.js";
import "./retention-setting.js";

/** A language's name in that language ("Deutsch"), as a menu of languages shows it. */
function languageName(lang: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: "language" }).of(lang) ?? lang;
  } catch {
    return lang;
  }
}

type Theme = NonNullable<Settings["theme"]>;
const THEMES: readonly Theme[] = ["auto", "light", "dark"];
const THEME_TEXT = {
  auto: "general.theme.auto",
  light: "general.theme.light",
  dark: "general.theme.dark",
} satisfies Record<Theme, PlainId>;
const NOTIFICATION_TEXT = {
  granted: "general.notifications.granted",
  denied: "general.notifications.denied",
  default: "general.notifications.default",
  unsupported: "general.notifications.unsupported",
} satisfies Record<NotificationPermission | "unsupported", PlainId>;
type LogLevel = NonNullable<Settings["logLevel"]>;
/** Least to most: what the console and the diagnostics file get (sip/core/logger.ts). */
const LOG_LEVELS = {
  off: "general.log.off",
  error: "general.log.error",
  warn: "general.log.warn",
  info: "general.log.info",
  debug: "general.log.debug",
} satisfies Record<LogLevel, PlainId>;

/**
 * Settings → General: the theme, whether links ask before dialling (per line, the account's
 * `dialLinksWithoutConfirm`), notifications, how long the call history is kept
 * (retention-setting.ts), the log level, and the diagnostics file. Each applies at once and is
 * kept (in IndexedDB; notifications are the browser's permission). The log level is the one
 * the SIP trace view sets too: one setting, `settings.logLevel`.
 */
@customElement("sip-settings-general")
export class SipSettingsGeneral extends LitElement {
  static override styles = [
    buttonStyles,
    fieldStyles,
    css`
      :host {
        display: grid;
        gap: var(--sip-space-4);
      }
      fieldset {
        border: 1px solid var(--sip-border);
        border-radius: var(--sip-radius);
        padding: var(--sip-space-3);
        margin: 0;
        display: grid;
        gap: var(--sip-space-2);
      }
      legend {
        font-weight: 600;
        padding: 0 var(--sip-space-1);
      }
      .choices {
        display: flex;
        flex-wrap: wrap;
        gap: var(--sip-space-3);
      }
      p {
        margin: 0;
        color: var(--sip-muted);
        font-size: var(--sip-text-sm);
      }
      .error {
        color: var(--sip-danger);
      }
    `,
  ];

  @consume({ context: appContext, subscribe: true }) app?: AppService;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  @state() private error = "";
  @state() private permission: NotificationPermission | "unsupported" =
    typeof Notification === "undefined" ? "unsupported" : Notification.permission;
  private readonly phone = new PhoneStateController(this);

  override render() {
    const app = this.app;
    if (!app) return nothing;
    const theme = app.settings.theme ?? "auto";
    const w = this.words;
    return html`
      <fieldset>
        <legend>${w.t("general.theme")}</legend>
        <div class="choices" role="radiogroup" aria-label=${w.t("general.theme")}>
          ${THEMES.map(
            (t) =>
              html`<label
                ><input type="radio" name="theme" value=${t} .checked=${theme === t} @change=${() => this.save({ theme: t })} />
                ${w.t(THEME_TEXT[t])}</label
              >`,
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>${w.t("general.language")}</legend>
        <label class="visually-hidden" for="language">${w.t("general.language")}</label>
        <select id="language" @change=${(e: Event) => this.save({ language: (e.target as HTMLSelectElement).value })}>
          <option value="auto" ?selected=${(app.settings.language ?? "auto") === "auto"}>${w.t("general.languageAuto")}</option>
          ${LANGUAGES.map((l) => html`<option value=${l} lang=${l} ?selected=${app.settings.language === l}>${languageName(l)}</option>`)}
        </select>
      </fieldset>
      <fieldset>
        <legend>${w.t("general.links")}</legend>
        <p>${w.t("general.linksNote")}</p>
        ${app.accounts.map(
          (a) =>
            html`<label
              ><input type="checkbox" .checked=${a.dialLinksWithoutConfirm !== true} @change=${(e: Event) => this.askLinks(a, e)} />
              ${w.t("general.askBefore", { line: a.label || a.displayName || a.sipUri })}</label
            >`,
        )}
      </fieldset>
      <fieldset>
        <legend>${w.t("general.notifications")}</legend>
        <p role="status">${w.t(NOTIFICATION_TEXT[this.permission])}</p>
        ${this.permission === "default" ? html`<div><button @click=${this.allowNotifications}>${w.t("general.allow")}</button></div>` : nothing}
      </fieldset>
      <fieldset>
        <legend>${w.t("general.history")}</legend>
        <sip-retention-setting></sip-retention-setting>
      </fieldset>
      <fieldset>
        <legend>${w.t("general.log")}</legend>
        <label class="visually-hidden" for="log-level">${w.t("general.logLevel")}</label>
        <select
          id="log-level"
          aria-describedby="log-help"
          .value=${app.settings.logLevel ?? "warn"}
          @change=${(e: Event) => this.save({ logLevel: (e.target as HTMLSelectElement).value as LogLevel })}
        >
          <!-- Written out, not mapped: they must exist when the .value above is set (a mapped list renders after it). -->
          <option value="off">${w.t(LOG_LEVELS.off)}</option>
          <option value="error">${w.t(LOG_LEVELS.error)}</option>
          <option value="warn">${w.t(LOG_LEVELS.warn)}</option>
          <option value="info">${w.t(LOG_LEVELS.info)}</option>
          <option value="debug">${w.t(LOG_LEVELS.debug)}</option>
        </select>
        <p id="log-help">${w.t("general.logNote")}</p>
      </fieldset>
      <fieldset>
        <legend>${w.t("general.diagnostics")}</legend>
        <p>${w.t("general.diagnosticsNote")}</p>
        <div><button @click=${this.exportDiagnostics}>${w.t("general.exportDiagnostics")}</button></div>
      </fieldset>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    `;
  }

  private save(patch: Partial<Settings>): void {
    this.error = "";
    this.app?.updateSettings(patch).then(
      () => this.requestUpdate(),
      (e: Error) => (this.error = this.words.t("general.saveFailed", { why: e.message })),
    );
  }

  private askLinks(account: AccountView, e: Event): void {
    const ask = (e.target as HTMLInputElement).checked;
    this.error = "";
    // An empty password keeps the saved one (AppService.saveAccount): only the flag changes.
    const { passwordSaved: _saved, ...rest } = account;
    this.app
      ?.saveAccount({ ...rest, password: "", dialLinksWithoutConfirm: !ask })
      .catch((err: Error) => (this.error = this.words.t("general.saveFailed", { why: err.message })));
  }

  private readonly allowNotifications = async (): Promise<void> => {
    this.permission = await Notification.requestPermission();
  };

  private readonly exportDiagnostics = async (): Promise<void> => {
    const phone = this.phone.phone;
    if (!this.app || !phone) return;
    // Read first: the trace's older entries come back from their compressed form.
    const trace = await phone.trace.toText();
    const text = diagnosticsReport({
      now: new Date(),
      userAgent: navigator.userAgent,
      page: location.href,
      lines: phone.lines,
      calls: phone.calls,
      accounts: this.app.accounts,
      settings: this.app.settings,
      trace,
      log: recentLog(),
    });
    downloadText(`phone-diagnostics-${new Date().toISOString().replace(/[:.]/g, "-")}.txt`, text, "text/plain");
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-settings-general": SipSettingsGeneral;
  }
}
