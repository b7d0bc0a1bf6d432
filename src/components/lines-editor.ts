import { consume } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { AccountConfig } from "../config/phone-config.js";
import { ConfigError, type ConfigProblem } from "../config/config-error.js";
import { appContext, type AccountView, type AppService } from "./app-context.js";
import { english } from "../i18n/languages.js";
import { describeImport, describeLineError, describeLineState, describePasswordNeeded } from "./messages.js";
import { wordsContext } from "./words-context.js";
import { PhoneStateController } from "./phone-state-controller.js";
// Icons through shared-styles.js, not icons.js: see the note there.
import { buttonStyles, plusIcon } from "./shared-styles.js";
import "./account-form.js";
import "./forwarding-form.js";
import "./sip-trace-view.js";

/**
 * All lines: their state at a glance, enable/disable, edit, delete, add; import and export of
 * the whole configuration.
 */
@customElement("sip-lines-editor")
export class SipLinesEditor extends LitElement {
  static override styles = [
    buttonStyles,
    css`
      :host {
        display: grid;
        gap: var(--sip-space-4);
      }
      h3 {
        margin: 0;
        font-size: var(--sip-text-md);
      }
      table {
        border-collapse: collapse;
        width: 100%;
      }
      td,
      th {
        text-align: start;
        padding: var(--sip-space-2);
        border-bottom: 1px solid var(--sip-border);
        vertical-align: top;
      }
      th {
        font-size: var(--sip-text-xs);
        font-weight: 600;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--sip-muted);
      }
      td:first-child {
        font-weight: 600;
      }
      .state {
        font-size: var(--sip-text-sm);
        color: var(--sip-muted);
      }
      .state[data-state="registered"],
      .state[data-state="connected"] {
        color: var(--sip-state-registered);
      }
      .state[data-state="failed"] {
        color: var(--sip-state-error);
      }
      .tools {
        display: flex;
        flex-wrap: wrap;
        gap: var(--sip-space-2);
        align-items: center;
      }
      td.tools button {
        min-height: 2rem;
        padding: var(--sip-space-1) var(--sip-space-2);
        font-size: var(--sip-text-sm);
      }
      input[type="file"] {
        font: inherit;
        font-size: var(--sip-text-sm);
        max-width: 100%;
      }
      .error {
        color: var(--sip-danger);
        white-space: pre-line;
        font-weight: 400;
      }
      .warning {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--sip-space-2);
        background: var(--sip-notice-bg);
        padding: var(--sip-space-3);
        border-radius: var(--sip-radius);
      }
      .aor {
        font-size: var(--sip-text-sm);
        font-weight: 400;
        color: var(--sip-muted);
        overflow-wrap: anywhere;
      }
      p {
        margin: 0;
      }
    `,
  ];

  @consume({ context: appContext, subscribe: true }) app?: AppService;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  private readonly phone = new PhoneStateController(this);
  @state() private editing: AccountView | undefined;
  @state() private problems: ConfigProblem[] = [];
  @state() private status = "";
  @state() private importError = "";
  @state() private exportWarning = false;
  @state() private tracing: string | undefined;
  /** The line whose forwarding form is open. */
  @state() private forwarding: string | undefined;

  /** Notifications need the user's gesture to ask for permission: this button is it. */
  private async askNotifications(): Promise<void> {
    const answer = await Notification.requestPermission();
    this.status = this.words.t(answer === "granted" ? "lines.notificationsOn" : "lines.notificationsBlocked");
  }

  private registerLinks(): void {
    const url = `${location.origin}${location.pathname}?dial=%s`;
    try {
      navigator.registerProtocolHandler("tel", url);
      navigator.registerProtocolHandler("sip", url);
      this.status = this.words.t("lines.linksAsked");
    } catch (e) {
      this.status = this.words.t("lines.linksRefused", { why: (e as Error).message });
    }
  }

  override render() {
    const w = this.words;
    if (this.tracing) {
      // Named as its Trace button names it: the label, else the SIP address (never the internal id).
      const traced = this.app?.accounts.find((a) => a.id === this.tracing);
      return html`<button @click=${() => (this.tracing = undefined)}>${w.t("lines.back")}</button>
        <h3>${w.t("lines.traceOf", { line: traced ? traced.label || traced.sipUri : this.tracing })}</h3>
        <sip-trace-view line-id=${this.tracing}></sip-trace-view>`;
    }
    if (this.editing) {
      return html`<sip-account-form
        .account=${this.editing}
        .problems=${this.problems}
        .status=${this.status}
        @account-save=${(e: CustomEvent<AccountConfig>) => this.save(e.detail)}
        @account-cancel=${() => (this.editing = undefined)}
      ></sip-account-form>`;
    }
    const accounts = this.app?.accounts ?? [];
    const states = new Map(this.phone.lines.map((l) => [l.id, l]));
    const defaultId = accounts.some((a) => a.id === this.app?.settings.defaultLineId) ? this.app?.settings.defaultLineId : accounts[0]?.id;
    return html`
      <table aria-label=${w.t("lines.table")}>
        <thead>
          <tr>
            <th>${w.t("lines.line")}</th>
            <th>${w.t("lines.state")}</th>
            <th><span class="visually-hidden">${w.t("lines.actions")}</span></th>
          </tr>
        </thead>
        <tbody>
          ${accounts.map((a) => {
            const s = states.get(a.id);
            const name = a.label || a.sipUri;
            return html`<tr data-line=${a.id}>
                <td>
                  ${a.label || a.displayName || a.sipUri}
                  <div class="aor">${a.sipUri}</div>
                </td>
                <td class="state" data-state=${s?.state ?? "disabled"}>
                  ${describeLineState(w, s?.state ?? "disabled")}${s?.dnd ? ` · ${w.t("lines.dnd")}` : ""}${s?.forwardTo ? ` · → ${s.forwardTo}` : s?.forward ? ` · ${w.t("lines.forwarded")}` : ""}${s?.error ? html`<div class="error">${describeLineError(w, s.error)}</div>` : nothing}
                </td>
                <td class="tools">
                  <button
                    aria-pressed=${a.enabled !== false ? "true" : "false"}
                    aria-label=${w.t("lines.enabledOf", { line: name })}
                    @click=${() => this.run(() => this.app!.setEnabled(a.id, a.enabled === false))}
                  >
                    ${w.t("lines.enabled")}
                  </button>
                  <button
                    aria-pressed=${a.id === defaultId ? "true" : "false"}
                    aria-label=${w.t("lines.defaultOf", { line: name })}
                    title=${w.t("lines.defaultHint")}
                    @click=${() => this.run(() => this.app!.updateSettings({ defaultLineId: a.id }))}
                  >
                    ${w.t("lines.default")}
                  </button>
                  <button
                    aria-pressed=${s?.dnd ? "true" : "false"}
                    aria-label=${w.t("lines.dndOf", { line: name })}
                    @click=${() => this.run(() => this.app!.setDnd(!s?.dnd, a.id))}
                  >
                    ${w.t("lines.dnd")}
                  </button>
                  <button
                    aria-expanded=${this.forwarding === a.id ? "true" : "false"}
                    aria-label=${w.t("lines.forwardOf", { line: name })}
                    @click=${() => (this.forwarding = this.forwarding === a.id ? undefined : a.id)}
                  >
                    ${w.t("lines.forward")}
                  </button>
                  <button aria-label=${w.t("lines.editOf", { line: name })} @click=${() => this.edit(a)}>${w.t("lines.edit")}</button>
                  <button aria-label=${w.t("lines.traceOfButton", { line: name })} @click=${() => (this.tracing = a.id)}>
                    ${w.t("lines.trace")}
                  </button>
                  <button aria-label=${w.t("lines.deleteOf", { line: name })} @click=${() => this.removeLine(a)}>
                    ${w.t("form.delete")}
                  </button>
                </td>
              </tr>
              ${
                this.forwarding === a.id
                  ? html`<tr>
                      <td colspan="3">
                        <sip-forwarding-form .lineId=${a.id} .lineLabel=${a.label || a.sipUri} .forward=${s?.forward}></sip-forwarding-form>
                      </td>
                    </tr>`
                  : nothing
              }`;
          })}
        </tbody>
      </table>
      <div class="tools">
        <button class="primary" @click=${() => this.edit(undefined)}>${plusIcon}${w.t("lines.add")}</button>
        <label
          >${w.t("lines.import")}
          <input type="file" accept="application/json,.json" aria-label=${w.t("lines.importFile")} @change=${this.onImport}
        /></label>
        <button @click=${() => this.download(false)}>${w.t("lines.export")}</button>
        <button @click=${() => (this.exportWarning = true)}>${w.t("lines.exportWithPasswordsAsk")}</button>
        ${canRegisterLinks() ? html`<button @click=${this.registerLinks}>${w.t("lines.openLinks")}</button>` : nothing}
        ${
          typeof Notification !== "undefined" && Notification.permission !== "granted"
            ? html`<button @click=${this.askNotifications}>${w.t("lines.notifyMe")}</button>`
            : nothing
        }
      </div>
      ${
        this.exportWarning
          ? html`<div class="warning" role="alertdialog" aria-label=${w.t("lines.exportWithPasswords")}>
              ${w.t("lines.exportWarning")}
              <button @click=${() => this.download(true)}>${w.t("lines.exportWithPasswords")}</button>
              <button @click=${() => (this.exportWarning = false)}>${w.t("form.cancel")}</button>
            </div>`
          : nothing
      }
      ${this.importError ? html`<p class="error" role="alert">${this.importError}</p>` : nothing}
      <p role="status">${this.status}</p>
    `;
  }

  private edit(a: AccountView | undefined): void {
    this.problems = [];
    this.status = "";
    this.editing = a ?? { id: `line-${Date.now().toString(36)}`, sipUri: "", servers: [], passwordSaved: false };
  }

  private async save(a: AccountConfig): Promise<void> {
    this.problems = [];
    this.status = this.words.t("account.saving");
    try {
      const { needsPassword } = await this.app!.saveAccount(a);
      this.status = needsPassword ? describePasswordNeeded(this.words, [a.label || a.displayName || a.sipUri]) : "";
      this.editing = undefined;
    } catch (e) {
      this.status = "";
      if (e instanceof ConfigError) this.problems = e.problems;
      else this.status = (e as Error).message;
    }
  }

  private async removeLine(a: AccountView): Promise<void> {
    if (!confirm(this.words.t("lines.confirmDelete", { line: a.label || a.sipUri }))) return;
    await this.run(() => this.app!.removeAccount(a.id));
  }

  private async run(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
      this.requestUpdate();
    } catch (e) {
      this.status = (e as Error).message;
    }
  }

  private async onImport(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    this.importError = "";
    try {
      this.status = describeImport(this.words, file.name, await this.app!.importText(await file.text()));
    } catch (err) {
      this.importError =
        err instanceof ConfigError
          ? this.words.t("lines.importInvalid", {
              file: file.name,
              problems: err.problems.map((p) => `${p.field}: ${p.message}`).join("\n"),
            })
          : this.words.t("lines.importFailed", { file: file.name, why: (err as Error).message });
    }
  }

  private download(includeSecrets: boolean): void {
    this.exportWarning = false;
    this.app!.exportFile(includeSecrets);
  }
}

/**
 * In a browser tab (not the installed app, whose manifest declares the handlers), the browser
 * can be asked to open tel: and sip: links here. Both schemes are on the safe list.
 */
function canRegisterLinks(): boolean {
  return typeof navigator.registerProtocolHandler === "function" && !matchMedia("(display-mode: standalone)").matches;
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-lines-editor": SipLinesEditor;
  }
}
