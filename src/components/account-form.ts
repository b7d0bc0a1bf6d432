import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { AccountConfig, ConfigProblem } from "../config/phone-config.js";
import { emit } from "./events.js";
import { buttonStyles } from "./shared-styles.js";

type Field = "sipUri" | "password" | "server" | "displayName" | "authUser";

/**
 * A minimal account editor (one line). The full multi-line editor replaces it later.
 * It only collects and checks the fields; saving is the host's job (`account-save` event),
 * which reports field problems back through `problems`.
 */
@customElement("sip-account-form")
export class SipAccountForm extends LitElement {
  static override styles = [
    buttonStyles,
    css`
      form { display: grid; gap: 0.6rem; }
      .field { display: grid; gap: 0.2rem; }
      label { font-weight: 600; }
      input { font: inherit; font-weight: normal; padding: 0.35em 0.5em; border-radius: 6px; border: 1px solid var(--sip-border, #c9d1d9); }
      input[aria-invalid="true"] { border-color: #cf222e; }
      .help { font-size: 0.85em; color: var(--sip-muted, #57606a); }
      .error { color: #cf222e; font-size: 0.9em; }
      .actions { display: flex; gap: 0.5rem; }
    `,
  ];

  @property({ attribute: false }) account?: AccountConfig;
  /** Problems from validation, with fields as the configuration names them. */
  @property({ attribute: false }) problems: ConfigProblem[] = [];
  @property() status = "";
  @state() private values: Record<Field, string> = { sipUri: "", password: "", server: "", displayName: "", authUser: "" };

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has("account") && this.account) {
      const a = this.account;
      this.values = { sipUri: a.sipUri, password: a.password, server: a.servers[0] ?? "", displayName: a.displayName ?? "", authUser: a.authUser ?? "" };
    }
  }

  private problemFor(field: Field): string | undefined {
    const key = field === "server" ? "servers" : field;
    return this.problems.find((p) => p.field.replace(/^accounts\[\d+\]\./, "").startsWith(key))?.message;
  }

  private field(field: Field, label: string, help: string, type = "text", autocomplete = "off") {
    const problem = this.problemFor(field);
    return html`<div class="field">
      <label for="${field}-input">${label}</label>
      <input
        id="${field}-input"
        name=${field}
        type=${type}
        autocomplete=${autocomplete}
        .value=${this.values[field]}
        aria-invalid=${problem ? "true" : "false"}
        aria-describedby="${field}-help"
        @input=${(e: Event) => (this.values = { ...this.values, [field]: (e.target as HTMLInputElement).value })}
      />
      <span class="help" id="${field}-help">${help}</span>
      ${problem ? html`<span class="error" role="alert">${problem}</span>` : null}
    </div>`;
  }

  override render() {
    return html`<form @submit=${this.onSubmit} aria-label="Account">
      ${this.field("sipUri", "SIP address", "Your SIP account, e.g. sip:1001@pbx.example.com")}
      ${this.field("password", "Password", "The SIP password (stored encrypted in this browser)", "password", "new-password")}
      ${this.field("server", "WebSocket server", "The PBX's WebRTC address, e.g. wss://pbx.example.com:8089/ws")}
      ${this.field("displayName", "Display name", "Shown to the people you call (optional)")}
      ${this.field("authUser", "Authentication user", "Only if it differs from the user in the SIP address (optional)")}
      <div class="actions">
        <button class="call" type="submit">Save</button>
        <button type="button" @click=${() => emit(this, "account-cancel", undefined as never)}>Cancel</button>
      </div>
      <p role="status">${this.status}</p>
    </form>`;
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    const v = this.values;
    const account: AccountConfig = {
      ...(this.account ?? { id: "line1" }),
      sipUri: v.sipUri.trim(),
      password: v.password,
      servers: v.server.trim() ? [v.server.trim()] : [],
      displayName: v.displayName.trim() || undefined,
      authUser: v.authUser.trim() || undefined,
    };
    emit(this, "account-save", account);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-account-form": SipAccountForm;
  }
}
