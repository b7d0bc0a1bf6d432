import { consume } from "@lit/context";
import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { PlainId } from "../i18n/catalogue.js";
import { english } from "../i18n/languages.js";
import type { LineSnapshot } from "../sip/api/line-state.js";
import { describeForwarding, describeLineError, describeVoicemail } from "./messages.js";
import { wordsContext } from "./words-context.js";
import { PhoneStateController } from "./phone-state-controller.js";

/** From this many lines on, a summary and a row of dots instead of one row per line. */
const COMPACT_FROM = 6;

const STATE_TEXT: Record<string, PlainId> = {
  disabled: "lineStatus.disabled",
  connecting: "lineStatus.connecting",
  registering: "lineStatus.registering",
  registered: "lineStatus.registered",
  unregistering: "lineStatus.unregistering",
  failed: "lineStatus.failed",
  connected: "lineStatus.connected",
};

const OK = new Set(["registered", "connected"]);

/** The lines at a glance: name, state and, when something is wrong, why. */
@customElement("sip-line-status")
export class SipLineStatus extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-size: var(--sip-text-sm);
    }
    p {
      margin: 0;
      color: var(--sip-muted);
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: var(--sip-space-1);
    }
    li {
      display: grid;
      grid-template-columns: auto 1fr auto;
      gap: 0 var(--sip-space-2);
      align-items: center;
    }
    .dot {
      width: 0.625rem;
      height: 0.625rem;
      border-radius: 50%;
      background: var(--sip-muted);
    }
    .label {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    [data-state="registered"] .dot,
    [data-state="connected"] .dot,
    .dots .dot[data-state="registered"],
    .dots .dot[data-state="connected"] {
      background: var(--sip-state-registered);
      box-shadow: 0 0 0 3px color-mix(in srgb, var(--sip-state-registered) 22%, transparent);
    }
    [data-state="failed"] .dot,
    .dots .dot[data-state="failed"] {
      background: var(--sip-state-error);
    }
    [data-state="connecting"] .dot,
    [data-state="registering"] .dot,
    .dots .dot[data-state="connecting"],
    .dots .dot[data-state="registering"] {
      background: var(--sip-state-ringing);
    }
    .state {
      color: var(--sip-muted);
      text-align: end;
    }
    [data-state="registered"] .state,
    [data-state="connected"] .state {
      color: var(--sip-state-registered);
    }
    .error {
      grid-column: 2 / 4;
      color: var(--sip-state-error);
    }
    .dots {
      display: flex;
      flex-wrap: wrap;
      gap: 3px;
      margin: var(--sip-space-1) 0;
    }
    .dots .dot {
      box-shadow: none;
    }
    .voicemail {
      grid-column: 2 / 4;
      display: flex;
      gap: var(--sip-space-2);
      align-items: center;
    }
    .voicemail .count[data-waiting] {
      background: var(--sip-hangup-bg);
      color: #fff;
      border-radius: var(--sip-radius-full);
      padding: 0 0.5em;
    }
    .voicemail button {
      font: inherit;
      color: inherit;
      border: 1px solid var(--sip-border);
      background: var(--sip-button-bg);
      border-radius: var(--sip-radius-sm);
      padding: 0.15em 0.6em;
      cursor: pointer;
    }
    .voicemail button:focus-visible {
      outline: 2px solid var(--sip-focus);
      outline-offset: 2px;
    }
    .compact li {
      grid-template-columns: auto 1fr;
    }
    .compact .error {
      grid-column: 2;
    }
  `;

  private readonly phone = new PhoneStateController(this);
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;

  private stateText(l: LineSnapshot): string {
    const id = STATE_TEXT[l.state];
    return id ? this.words.t(id) : l.state;
  }

  override render() {
    const lines = this.phone.lines;
    const w = this.words;
    if (!lines.length) return html`<p>${w.t("lineStatus.none")}</p>`;
    if (lines.length > COMPACT_FROM) return this.renderCompact();
    return html`<ul aria-label=${w.t("lineStatus.lines")}>
      ${lines.map(
        (l) =>
          html`<li data-state=${l.state} data-line=${l.id}>
            <span class="dot" aria-hidden="true"></span>
            <span class="label">${l.label}</span>
            <span class="state" part="line-state"
              >${l.error?.offline ? w.t("lineStatus.offline") : this.stateText(l)}${l.dnd ? ` · ${w.t("lineStatus.dnd")}` : ""}${this.forwarding(l)}</span
            >
            ${l.error ? html`<span class="error" role="alert">${describeLineError(w, l.error)}</span>` : null} ${this.renderVoicemail(l)}
          </li>`,
      )}
    </ul>`;
  }

  /** Every forwarding mode that is on (a snapshot from an older leader has only forwardTo). */
  private forwarding(l: LineSnapshot): string {
    const text = describeForwarding(this.words, l.forward ?? (l.forwardTo ? { always: { to: l.forwardTo } } : undefined));
    return text ? ` · ${text}` : "";
  }

  /** Message waiting (RFC 3842): the counts as a badge, and a button that dials the mailbox. */
  private renderVoicemail(l: LineSnapshot) {
    const w = this.words;
    const counts = describeVoicemail(w, l.voicemail);
    if (!counts && !l.voicemailNumber) return null;
    return html`<span class="voicemail" part="voicemail">
      ${counts ? html`<span class="count" role="status" ?data-waiting=${l.voicemail?.waiting}>${counts}</span>` : null}
      ${
        l.voicemailNumber
          ? html`<button aria-label=${w.t("lineStatus.callVoicemailOf", { line: l.label })} @click=${() => this.callVoicemail(l)}>
              ${w.t("lineStatus.callVoicemail")}
            </button>`
          : null
      }
    </span>`;
  }

  private callVoicemail(l: LineSnapshot): void {
    this.phone.phone?.dial(l.voicemailNumber!, { lineId: l.id }).catch(() => undefined);
  }

  private renderCompact() {
    const lines = this.phone.lines;
    const ok = lines.filter((l) => OK.has(l.state)).length;
    const problems = lines.filter((l) => l.error);
    const w = this.words;
    const named = (l: LineSnapshot) => w.t("lineStatus.lineState", { line: l.label, state: this.stateText(l) });
    return html`<div class="compact">
      <div class="summary" role="status">${w.t("lineStatus.ready", { count: lines.length, ok })}</div>
      <div class="dots" role="list" aria-label=${w.t("lineStatus.lines")}>
        ${lines.map((l) => html`<span role="listitem" class="dot" data-state=${l.state} data-line=${l.id} title=${named(l)} aria-label=${named(l)}></span>`)}
      </div>
      ${
        problems.length
          ? html`<ul aria-label=${w.t("lineStatus.problems")}>
              ${problems.map((l) => html`<li data-state=${l.state}><span class="label">${l.label}</span><span class="error" role="alert">${describeLineError(w, l.error!)}</span></li>`)}
            </ul>`
          : null
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-line-status": SipLineStatus;
  }
}
