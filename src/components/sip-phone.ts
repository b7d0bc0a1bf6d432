import { provide } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { PhoneApp } from "../app/phone-app.js";
import { ConfigError, type AccountConfig, type ConfigProblem, type PhoneConfig } from "../config/phone-config.js";
import type { CallSnapshot } from "../sip/call-state.js";
import type { LineSnapshot } from "../sip/line-state.js";
import type { CallStats } from "../sip/call-stats.js";
import { emit } from "./events.js";
import { phoneContext } from "./phone-context.js";
import type { PhoneService } from "./phone-service.js";
import { buttonStyles } from "./shared-styles.js";
import "./account-form.js";
import "./call-panel.js";
import "./dial-pad.js";
import "./line-status.js";

const ENDED_TEXT: Partial<Record<NonNullable<CallSnapshot["reason"]>, string>> = {
  missed: "Missed call",
  cancelled: "Call cancelled",
  hangup: "Call ended",
  "remote-hangup": "Call ended by the other side",
  declined: "Call declined",
};

/**
 * The whole phone as one element. Its public methods are the embedding API
 * (docs/embedding.md); they are thin calls into the phone.
 */
@customElement("sip-phone")
export class SipPhone extends LitElement {
  static override styles = [
    buttonStyles,
    css`
      :host { display: block; max-width: 26rem; font-family: var(--sip-font, system-ui, sans-serif); color: var(--sip-fg, #1f2328); }
      .bar { display: flex; justify-content: space-between; align-items: start; gap: 0.5rem; margin-bottom: 0.8rem; }
      .calls { display: grid; gap: 0.6rem; margin-bottom: 0.8rem; }
      .notice { margin: 0 0 0.6rem; padding: 0.4rem 0.6rem; border-radius: 8px; background: #fff8c5; }
      .notice[data-kind="error"] { background: #ffebe9; }
    `,
  ];

  private readonly app = new PhoneApp();

  @provide({ context: phoneContext })
  protected service: PhoneService | undefined = this.app.phone;

  @state() private lineList: LineSnapshot[] = [];
  @state() private callList: CallSnapshot[] = [];
  @state() private editing = false;
  @state() private loaded = false;
  @state() private problems: ConfigProblem[] = [];
  @state() private formStatus = "";
  @state() private notice: { text: string; kind: "info" | "error" } | undefined;
  /** Line used for calls from the dialpad and dial() without a lineId. */
  @property() line?: string;
  private unsubscribe: Array<() => void> = [];
  private started: Promise<unknown> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    const phone = this.app.phone;
    this.unsubscribe = [
      phone.on("line-state", (l) => {
        this.lineList = phone.lines;
        emit(this, "line-state", l);
      }),
      phone.on("call-state", (c) => {
        this.callList = phone.calls;
        if (c.state === "ended") this.noteEnded(c);
        else if (c.state !== "incoming") this.notice = undefined;
        emit(this, "call-state", c);
      }),
      phone.on("incoming-call", (c) => {
        this.notice = undefined;
        emit(this, "incoming-call", c);
      }),
    ];
    this.started ??= this.app.start().then(
      (saved) => {
        this.loaded = true;
        if (!saved) this.editing = true;
      },
      (e: Error) => {
        this.loaded = true;
        this.notice = { text: `Could not read the saved settings: ${e.message}`, kind: "error" };
      },
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
  }

  // ---- public API (docs/embedding.md) ----

  /** Resolves when the saved configuration has been loaded and applied. */
  get ready(): Promise<void> {
    return (this.started ?? Promise.resolve()).then(() => undefined);
  }

  /** Replaces the configuration (validated whole, saved encrypted, then applied). */
  async configure(config: PhoneConfig): Promise<void> {
    await this.ready;
    await this.app.configure(config);
    this.editing = false;
  }

  get lines(): LineSnapshot[] {
    return this.app.phone.lines;
  }

  get calls(): CallSnapshot[] {
    return this.app.phone.calls;
  }

  dial(target: string, options: { lineId?: string } = {}): Promise<string> {
    return this.app.phone.dial(target, { lineId: options.lineId ?? this.line });
  }

  answer(callId?: string): Promise<void> {
    return this.app.phone.answer(callId);
  }

  decline(callId?: string, code: 486 | 603 = 603): Promise<void> {
    return this.app.phone.decline(callId, code);
  }

  hangup(callId?: string): Promise<void> {
    return this.app.phone.hangup(callId);
  }

  mute(callId: string, on: boolean): void {
    this.app.phone.mute(callId, on);
  }

  sendDtmf(callId: string, digits: string): Promise<void> {
    return this.app.phone.sendDtmf(callId, digits);
  }

  /** Media statistics of a call: packets, loss, jitter, remote audio level. */
  callStats(callId: string): Promise<CallStats | undefined> {
    return this.app.phone.callStats(callId);
  }

  /** Shows a message above the dialpad (provisioning errors, host page notices). */
  showNotice(text: string, kind: "info" | "error" = "info"): void {
    this.notice = { text, kind };
  }

  // ---- rendering ----

  private noteEnded(c: CallSnapshot): void {
    const who = c.remoteName ? `${c.remoteName} (${c.remote})` : c.remote;
    if (c.message) this.notice = { text: `${c.message} — ${who}`, kind: "error" };
    else if (c.reason === "missed") this.notice = { text: `Missed call from ${who}`, kind: "info" };
    else this.notice = { text: `${ENDED_TEXT[c.reason ?? "hangup"] ?? "Call ended"} — ${who}`, kind: "info" };
  }

  private async onAccountSave(e: CustomEvent<AccountConfig>): Promise<void> {
    this.problems = [];
    this.formStatus = "Saving…";
    try {
      await this.app.saveAccount(e.detail);
      this.formStatus = "";
      this.editing = false;
    } catch (err) {
      this.formStatus = "";
      if (err instanceof ConfigError) this.problems = err.problems;
      else this.formStatus = (err as Error).message;
    }
  }

  override render() {
    const active = this.callList.filter((c) => c.state !== "ended");
    // While talking, the call's own keypad sends tones; the dialpad returns when the call ends.
    const inCall = active.some((c) => c.state !== "incoming");
    const account = this.app.phone.currentConfig.accounts[0];
    return html`
      <div class="bar">
        <sip-line-status></sip-line-status>
        ${this.loaded && !this.editing ? html`<button @click=${() => (this.editing = true)} aria-label="Edit account">Account</button>` : nothing}
      </div>
      ${this.notice ? html`<p class="notice" data-kind=${this.notice.kind} role="status">${this.notice.text}</p>` : nothing}
      ${this.editing
        ? html`<sip-account-form
            .account=${account}
            .problems=${this.problems}
            .status=${this.formStatus}
            @account-save=${this.onAccountSave}
            @account-cancel=${() => (this.editing = !this.lineList.length)}
          ></sip-account-form>`
        : html`<div class="calls">${active.map((c) => html`<sip-call-panel .call=${c}></sip-call-panel>`)}</div>
            ${inCall ? nothing : html`<sip-dialpad .lineId=${this.line}></sip-dialpad>`}`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-phone": SipPhone;
  }
}
