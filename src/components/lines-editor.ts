import { consume } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { ConfigError, type AccountConfig, type ConfigProblem } from "../config/phone-config.js";
import { appContext, type AccountView, type AppService } from "./app-context.js";
import { describeImport, describePasswordNeeded } from "./messages.js";
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
    this.status =
      answer === "granted"
        ? "Incoming calls will show as notifications, with Answer and Decline."
        : "Notifications are blocked: allow them in the browser's site settings to see incoming calls from other windows.";
  }

  private registerLinks(): void {
    const url = `${location.origin}${location.pathname}?dial=%s`;
    try {
      navigator.registerProtocolHandler("tel", url);
      navigator.registerProtocolHandler("sip", url);
      this.status = "Asked your browser to open tel: and sip: links here: confirm in its prompt (next to the address bar).";
    } catch (e) {
      this.status = `Your browser did not accept this phone for links: ${(e as Error).message}`;
    }
  }

  override render() {
    if (this.tracing) {
      // Named as its Trace button names it: the label, else the SIP address (never the internal id).
      const traced = this.app?.accounts.find((a) => a.id === this.tracing);
      return html`<button @click=${() => (this.tracing = undefined)}>Back to lines</button>
        <h3>SIP trace: ${traced ? traced.label || traced.sipUri : this.tracing}</h3>
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
      <table aria-label="Lines">
        <thead>
          <tr>
            <th>Line</th>
            <th>State</th>
            <th><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          ${accounts.map((a) => {
            const s = states.get(a.id);
            return html`<tr data-line=${a.id}>
                <td>
                  ${a.label || a.displayName || a.sipUri}
                  <div class="aor">${a.sipUri}</div>
                </td>
                <td class="state" data-state=${s?.state ?? "disabled"}>
                  ${s?.state ?? "disabled"}${s?.dnd ? " · DND" : ""}${s?.forwardTo ? ` · → ${s.forwardTo}` : s?.forward ? " · Forwarded" : ""}${s?.error ? html`<div class="error">${s.error.message}</div>` : nothing}
                </td>
                <td class="tools">
                  <button
                    aria-pressed=${a.enabled !== false ? "true" : "false"}
                    aria-label="Enabled: ${a.label || a.sipUri}"
                    @click=${() => this.run(() => this.app!.setEnabled(a.id, a.enabled === false))}
                  >
                    Enabled
                  </button>
                  <button
                    aria-pressed=${a.id === defaultId ? "true" : "false"}
                    aria-label="Default line: ${a.label || a.sipUri}"
                    title="Calls go out on the default line unless you choose another"
                    @click=${() => this.run(() => this.app!.updateSettings({ defaultLineId: a.id }))}
                  >
                    Default
                  </button>
                  <button
                    aria-pressed=${s?.dnd ? "true" : "false"}
                    aria-label="DND (do not disturb): ${a.label || a.sipUri}"
                    @click=${() => this.run(() => this.app!.setDnd(!s?.dnd, a.id))}
                  >
                    DND
                  </button>
                  <button
                    aria-expanded=${this.forwarding === a.id ? "true" : "false"}
                    aria-label="Forward calls: ${a.label || a.sipUri}"
                    @click=${() => (this.forwarding = this.forwarding === a.id ? undefined : a.id)}
                  >
                    Forward
                  </button>
                  <button aria-label="Edit ${a.label || a.sipUri}" @click=${() => this.edit(a)}>Edit</button>
                  <button aria-label="SIP trace of ${a.label || a.sipUri}" @click=${() => (this.tracing = a.id)}>Trace</button>
                  <button aria-label="Delete ${a.label || a.sipUri}" @click=${() => this.removeLine(a)}>Delete</button>
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
        <button class="primary" @click=${() => this.edit(undefined)}>${plusIcon}Add line</button>
        <label
          >Import <input type="file" accept="application/json,.json" aria-label="Import configuration file" @change=${this.onImport}
        /></label>
        <button @click=${() => this.download(false)}>Export</button>
        <button @click=${() => (this.exportWarning = true)}>Export with passwords…</button>
        ${canRegisterLinks() ? html`<button @click=${this.registerLinks}>Open tel: and sip: links with this phone</button>` : nothing}
        ${
          typeof Notification !== "undefined" && Notification.permission !== "granted"
            ? html`<button @click=${this.askNotifications}>Notify me of incoming calls</button>`
            : nothing
        }
      </div>
      ${
        this.exportWarning
          ? html`<div class="warning" role="alertdialog" aria-label="Export with passwords">
              The file will contain your SIP and TURN passwords in plain text. Anyone who gets it can use your lines.
              <button @click=${() => this.download(true)}>Export with passwords</button>
              <button @click=${() => (this.exportWarning = false)}>Cancel</button>
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
    this.status = "Saving…";
    try {
      const { needsPassword } = await this.app!.saveAccount(a);
      this.status = needsPassword ? describePasswordNeeded([a.label || a.displayName || a.sipUri]) : "";
      this.editing = undefined;
    } catch (e) {
      this.status = "";
      if (e instanceof ConfigError) this.problems = e.problems;
      else this.status = (e as Error).message;
    }
  }

  private async removeLine(a: AccountView): Promise<void> {
    if (!confirm(`Delete the line ${a.label || a.sipUri}? Its settings and password are removed from this browser.`)) return;
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
      this.status = describeImport(file.name, await this.app!.importText(await file.text()));
    } catch (err) {
      this.importError =
        err instanceof ConfigError
          ? `${file.name} was not imported, nothing changed:\n${err.problems.map((p) => `${p.field}: ${p.message}`).join("\n")}`
          : `${file.name} was not imported: ${(err as Error).message}`;
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
