import { consume } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { diagnosticsReport } from "../app/diagnostics.js";
import type { Settings } from "../storage/settings-store.js";
import { appContext, type AppService, type AccountView } from "./app-context.js";
import { downloadText } from "./download.js";
import { PhoneStateController } from "./phone-state-controller.js";
import { GENERAL_WORDS as W } from "./settings-general-words.js";
import { buttonStyles } from "./shared-styles.js";

type Theme = NonNullable<Settings["theme"]>;
const THEMES: readonly Theme[] = ["auto", "light", "dark"];

/**
 * Settings → General: the theme, whether links ask before dialling (per line, the account's
 * `dialLinksWithoutConfirm`), notifications, and the diagnostics file. Each applies at once and
 * is kept (the theme and links in IndexedDB; notifications are the browser's permission).
 */
@customElement("sip-settings-general")
export class SipSettingsGeneral extends LitElement {
  static override styles = [
    buttonStyles,
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
  @state() private error = "";
  @state() private permission: NotificationPermission | "unsupported" =
    typeof Notification === "undefined" ? "unsupported" : Notification.permission;
  private readonly phone = new PhoneStateController(this);

  override render() {
    const app = this.app;
    if (!app) return nothing;
    const theme = app.settings.theme ?? "auto";
    return html`
      <fieldset>
        <legend>${W.theme}</legend>
        <div class="choices" role="radiogroup" aria-label=${W.theme}>
          ${THEMES.map(
            (t) =>
              html`<label
                ><input type="radio" name="theme" value=${t} .checked=${theme === t} @change=${() => this.save({ theme: t })} />
                ${W.themes[t]}</label
              >`,
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>${W.links}</legend>
        <p>${W.linksNote}</p>
        ${app.accounts.map(
          (a) =>
            html`<label
              ><input type="checkbox" .checked=${a.dialLinksWithoutConfirm !== true} @change=${(e: Event) => this.askLinks(a, e)} />
              ${W.askBefore(a.label || a.displayName || a.sipUri)}</label
            >`,
        )}
      </fieldset>
      <fieldset>
        <legend>${W.notifications}</legend>
        <p role="status">${W.notificationState[this.permission]}</p>
        ${this.permission === "default" ? html`<div><button @click=${this.allowNotifications}>${W.allow}</button></div>` : nothing}
      </fieldset>
      <fieldset>
        <legend>${W.diagnostics}</legend>
        <p>${W.diagnosticsNote}</p>
        <div><button @click=${this.exportDiagnostics}>${W.exportDiagnostics}</button></div>
      </fieldset>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    `;
  }

  private save(patch: Partial<Settings>): void {
    this.error = "";
    this.app?.updateSettings(patch).then(
      () => this.requestUpdate(),
      (e: Error) => (this.error = W.saveFailed(e.message)),
    );
  }

  private askLinks(account: AccountView, e: Event): void {
    const ask = (e.target as HTMLInputElement).checked;
    this.error = "";
    // An empty password keeps the saved one (AppService.saveAccount): only the flag changes.
    const { passwordSaved: _saved, ...rest } = account;
    this.app
      ?.saveAccount({ ...rest, password: "", dialLinksWithoutConfirm: !ask })
      .catch((err: Error) => (this.error = W.saveFailed(err.message)));
  }

  private readonly allowNotifications = async (): Promise<void> => {
    this.permission = await Notification.requestPermission();
  };

  private readonly exportDiagnostics = (): void => {
    const phone = this.phone.phone;
    if (!this.app || !phone) return;
    const text = diagnosticsReport({
      now: new Date(),
      userAgent: navigator.userAgent,
      page: location.href,
      lines: phone.lines,
      calls: phone.calls,
      accounts: this.app.accounts,
      settings: this.app.settings,
      trace: phone.trace.toText(),
    });
    downloadText(`phone-diagnostics-${new Date().toISOString().replace(/[:.]/g, "-")}.txt`, text, "text/plain");
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-settings-general": SipSettingsGeneral;
  }
}
