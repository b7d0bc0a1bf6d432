import { consume } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { english } from "../i18n/languages.js";
import { wordsContext } from "./words-context.js";
import { sameIdentity } from "../app/saved-secrets.js";
import type { AccountConfig, ConfigProblem, DeskPhoneAnswer, LocationConfig, NumberRules } from "../config/phone-config.js";
import { accountFromForm, FIELDS, fieldValues, type TextField } from "./account-fields.js";
import "./account-test.js";
import "./number-settings.js";
import type { AccountView } from "./app-context.js";
import { emit } from "./events.js";
import { buttonStyles, fieldStyles } from "./shared-styles.js";

/**
 * The account editor form: every setting of one line with a label and help text. It collects
 * and parses the fields; saving and validating is the host's job (`account-save`), which sends
 * problems back through `problems`, each shown under its field.
 */
@customElement("sip-account-form")
export class SipAccountForm extends LitElement {
  static override styles = [
    buttonStyles,
    fieldStyles,
    css`
      :host {
        display: block;
      }
      form {
        display: grid;
        gap: var(--sip-space-4);
      }
      .field {
        display: grid;
        gap: var(--sip-space-1);
      }
      .check {
        display: flex;
        gap: var(--sip-space-2);
        align-items: baseline;
      }
      label {
        font-weight: 600;
      }
      input[type="checkbox"] {
        accent-color: var(--sip-accent);
      }
      textarea {
        min-height: 3.2em;
        resize: vertical;
      }
      [aria-invalid="true"] {
        border-color: var(--sip-danger);
      }
      .help {
        font-size: var(--sip-text-sm);
        color: var(--sip-muted);
      }
      .error {
        color: var(--sip-danger);
        font-size: var(--sip-text-sm);
      }
      .actions {
        display: flex;
        gap: var(--sip-space-2);
      }
      details {
        border-top: 1px solid var(--sip-border);
        padding-top: var(--sip-space-3);
      }
      summary {
        cursor: pointer;
        font-weight: 600;
      }
      p {
        margin: 0;
      }
    `,
  ];

  /** The line to edit, without its secrets: an empty password field keeps the saved one. */
  @property({ attribute: false }) account?: AccountView;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  @property({ attribute: false }) problems: ConfigProblem[] = [];
  @property() status = "";
  @state() private values: Record<TextField, string> = fieldValues(undefined);
  @state() private flags = { enabled: true, register: true, autoAnswer: false };
  @state() private dtmf: "rfc4733" | "info" = "rfc4733";
  @state() private clickToCall: "browser" | "desk" | "reverse" = "browser";
  @state() private referPolicy: "always" | "ask" | "never" = "always";
  @state() private deskPhoneAnswer: DeskPhoneAnswer = "call-info";
  @state() private numbers: { location?: LocationConfig; numberRules?: NumberRules } = {};

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has("account")) {
      const a = this.account;
      this.values = fieldValues(a);
      this.flags = { enabled: a?.enabled !== false, register: a?.register !== false, autoAnswer: a?.autoAnswer === true };
      this.dtmf = a?.dtmf ?? "rfc4733";
      this.clickToCall = a?.clickToCall ?? "browser";
      this.referPolicy = a?.referPolicy ?? "always";
      this.deskPhoneAnswer = a?.deskPhoneAnswer ?? "call-info";
      this.numbers = { location: a?.location, numberRules: a?.numberRules };
    }
  }

  private problemFor(key: string): string | undefined {
    return this.problems.find((p) => {
      const f = p.field.replace(/^accounts\[\d+\]\.?/, "");
      return f === key || f.startsWith(key + "[") || f.startsWith(key + ".");
    })?.message;
  }

  /** Problems in nested settings, each named by its path (`numberRules.dial[2].search: …`). */
  private problemsUnder(...keys: string[]): string[] {
    return this.problems
      .map((p) => ({ f: p.field.replace(/^accounts\[\d+\]\.?/, ""), m: p.message }))
      .filter(({ f }) => keys.some((k) => f === k || f.startsWith(k + ".") || f.startsWith(k + "[")))
      .map(({ f, m }) => `${f}: ${m}`);
  }

  private text(field: TextField) {
    const spec = FIELDS[field];
    const w = this.words;
    const problem = this.problemFor(field);
    const id = `${field}-input`;
    const onInput = (e: Event) => (this.values = { ...this.values, [field]: (e.target as HTMLInputElement).value });
    return html`<div class="field">
      <label for=${id}>${w.t(`field.${field}`)}</label>
      ${
        spec.multiline
          ? html`<textarea
              id=${id}
              name=${field}
              .value=${this.values[field]}
              aria-invalid=${problem ? "true" : "false"}
              aria-describedby="${field}-help"
              @input=${onInput}
            ></textarea>`
          : html`<input
              id=${id}
              name=${field}
              type=${spec.type ?? "text"}
              autocomplete=${spec.type === "password" ? "new-password" : "off"}
              placeholder=${field === "password" && this.account?.passwordSaved ? w.t("password.saved") : nothing}
              .value=${this.values[field]}
              aria-invalid=${problem ? "true" : "false"}
              aria-describedby="${field}-help"
              @input=${onInput}
            />`
      }
      <span class="help" id="${field}-help"
        >${field === "password" && this.passwordLost() ? w.t("password.neededAgain") : w.t(`field.${field}.help`)}</span
      >
      ${problem ? html`<span class="error" role="alert">${problem}</span>` : nothing}
    </div>`;
  }

  /**
   * The saved password stays only while the address, auth user, servers and proxy do
   * (app/saved-secrets.ts): say so as soon as an edit changes them and no new one is typed.
   */
  private passwordLost(): boolean {
    const a = this.account;
    if (!a?.passwordSaved || this.values.password !== "") return false;
    const v = this.values;
    const servers = v.servers
      .split("\n")
      .map((x) => x.trim())
      .filter(Boolean);
    return !sameIdentity(a, { sipUri: v.sipUri, authUser: v.authUser.trim() || undefined, servers, outboundProxy: v.outboundProxy });
  }

  private check(key: keyof SipAccountForm["flags"]) {
    return html`<div class="field">
      <div class="check">
        <input
          type="checkbox"
          id="${key}-input"
          .checked=${this.flags[key]}
          aria-describedby="${key}-help"
          @change=${(e: Event) => (this.flags = { ...this.flags, [key]: (e.target as HTMLInputElement).checked })}
        />
        <label for="${key}-input">${this.words.t(`field.${key}`)}</label>
      </div>
      <span class="help" id="${key}-help">${this.words.t(`field.${key}.help`)}</span>
    </div>`;
  }

  override render() {
    const w = this.words;
    return html`<form @submit=${this.onSubmit} aria-label=${w.t("account.form")}>
      ${this.text("label")} ${this.text("sipUri")} ${this.text("password")} ${this.text("servers")} ${this.text("displayName")}
      ${this.text("authUser")} ${this.check("enabled")}
      <details>
        <summary>${w.t("account.more")}</summary>
        ${this.check("register")} ${this.text("expires")} ${this.text("outboundProxy")}
        <div class="field">
          <label for="dtmf-input">${w.t("field.dtmf")}</label>
          <select
            id="dtmf-input"
            .value=${this.dtmf}
            @change=${(e: Event) => (this.dtmf = (e.target as HTMLSelectElement).value as "rfc4733")}
          >
            <option value="rfc4733">${w.t("field.dtmf.rfc4733")}</option>
            <option value="info">${w.t("field.dtmf.info")}</option>
          </select>
          <span class="help">${w.t("field.dtmf.help")}</span>
        </div>
        ${this.text("iceServers")} ${this.check("autoAnswer")} ${this.text("deskPhone")}
        <div class="field">
          <label for="c2c-input">${w.t("field.clickToCall")}</label>
          <select
            id="c2c-input"
            .value=${this.clickToCall}
            @change=${(e: Event) => (this.clickToCall = (e.target as HTMLSelectElement).value as "browser")}
          >
            <option value="browser">${w.t("field.clickToCall.browser")}</option>
            <option value="desk">${w.t("field.clickToCall.desk")}</option>
            <option value="reverse">${w.t("field.clickToCall.reverse")}</option>
          </select>
          <span class="help">${w.t("field.clickToCall.help")}</span>
        </div>
        <div class="field">
          <label for="answer-input">${w.t("field.deskPhoneAnswer")}</label>
          <select
            id="answer-input"
            .value=${this.deskPhoneAnswer}
            @change=${(e: Event) => (this.deskPhoneAnswer = (e.target as HTMLSelectElement).value as DeskPhoneAnswer)}
          >
            <option value="call-info">Call-Info answer-after=0 (Snom, Yealink, Grandstream)</option>
            <option value="alert-info">Alert-Info info=alert-autoanswer (Polycom, Cisco)</option>
            <option value="ring-answer">Alert-Info: Ring Answer</option>
            <option value="none">${w.t("field.deskPhoneAnswer.none")}</option>
          </select>
          <span class="help">${w.t("field.deskPhoneAnswer.help")}</span>
        </div>
        ${this.text("deskPhoneTimeout")}
        <div class="field">
          <label for="refer-input">${w.t("field.referPolicy")}</label>
          <select
            id="refer-input"
            .value=${this.referPolicy}
            @change=${(e: Event) => (this.referPolicy = (e.target as HTMLSelectElement).value as "always")}
          >
            <option value="always">${w.t("field.referPolicy.always")}</option>
            <option value="ask">${w.t("field.referPolicy.ask")}</option>
            <option value="never">${w.t("field.referPolicy.never")}</option>
          </select>
          <span class="help">${w.t("field.referPolicy.help")}</span>
        </div>
      </details>
      <details>
        <summary>${w.t("account.numbers")}</summary>
        <sip-number-settings
          .value=${this.numbers}
          @numbers-change=${(e: CustomEvent<SipAccountForm["numbers"]>) => (this.numbers = e.detail)}
        ></sip-number-settings>
        ${this.problemsUnder("location", "numberRules").map((p) => html`<span class="error" role="alert">${p}</span>`)}
      </details>
      ${this.problemFor("") ? html`<span class="error" role="alert">${this.problemFor("")}</span>` : nothing}
      <sip-account-test .collect=${this.collect}></sip-account-test>
      <div class="actions">
        <button class="primary" type="submit">${w.t("form.save")}</button>
        <button type="button" @click=${() => emit(this, "account-cancel", undefined as never)}>${w.t("form.cancel")}</button>
      </div>
      <p role="status">${this.status}</p>
    </form>`;
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    const account = this.collect();
    // Not emit(): the detail carries the password just typed, and an event that bubbles out of
    // the shadow roots reaches host-page listeners. The one listener is on this element.
    this.dispatchEvent(new CustomEvent("account-save", { detail: account }));
  }

  /** The account as the fields say now (Save sends it; Test registers with it, account-test.ts). */
  private readonly collect = (): AccountConfig =>
    accountFromForm(this.account, this.values, {
      ...this.flags,
      dtmf: this.dtmf,
      clickToCall: this.clickToCall,
      referPolicy: this.referPolicy,
      deskPhoneAnswer: this.deskPhoneAnswer,
      ...this.numbers,
    });
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-account-form": SipAccountForm;
  }
}
