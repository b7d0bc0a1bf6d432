import { LitElement, css, html } from "lit";
import { customElement } from "lit/decorators.js";
import type { LineSnapshot } from "../sip/api/line-state.js";
import { describeForwarding, describeVoicemail } from "./messages.js";
import { PhoneStateController } from "./phone-state-controller.js";

/** From this many lines on, a summary and a row of dots instead of one row per line. */
const COMPACT_FROM = 6;

const STATE_TEXT: Record<string, string> = {
  disabled: "Disabled",
  connecting: "Connecting…",
  registering: "Registering…",
  registered: "Registered",
  unregistering: "Signing out…",
  failed: "Not registered",
  connected: "Connected (outgoing only)",
};

const OK = new Set(["registered", "connected"]);

/** The lines at a glance: name, state and, when something is wrong, why. */
@customElement("sip-line-status")
export class SipLineStatus extends LitElement {
  static override styles = css`
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.25rem;
    }
    li {
      display: grid;
      grid-template-columns: auto 1fr auto;
      gap: 0.5rem;
      align-items: center;
    }
    .dot {
      width: 0.6rem;
      height: 0.6rem;
      border-radius: 50%;
      background: #8c959f;
    }
    [data-state="registered"] .dot {
      background: #1a7f37;
    }
    [data-state="failed"] .dot {
      background: #cf222e;
    }
    [data-state="connecting"] .dot,
    [data-state="registering"] .dot {
      background: #bf8700;
    }
    .error {
      grid-column: 2 / 4;
      color: #cf222e;
      font-size: 0.9em;
    }
    .state {
      color: var(--sip-muted, #57606a);
      font-size: 0.9em;
    }
    .dots {
      display: flex;
      flex-wrap: wrap;
      gap: 3px;
      margin: 0.3rem 0;
    }
    .dots .dot[data-state="registered"],
    .dots .dot[data-state="connected"],
    [data-state="connected"] .dot {
      background: #1a7f37;
    }
    .dots .dot[data-state="failed"] {
      background: #cf222e;
    }
    .dots .dot[data-state="connecting"],
    .dots .dot[data-state="registering"] {
      background: #bf8700;
    }
    .voicemail {
      grid-column: 2 / 4;
      display: flex;
      gap: 0.5rem;
      align-items: center;
      font-size: 0.9em;
    }
    .voicemail .count[data-waiting] {
      background: #cf222e;
      color: #fff;
      border-radius: 999px;
      padding: 0 0.5em;
    }
    .voicemail button {
      font: inherit;
      border: 1px solid var(--sip-border, #c9d1d9);
      background: var(--sip-button-bg, #f6f8fa);
      border-radius: 6px;
      padding: 0.1em 0.5em;
      cursor: pointer;
    }
    .compact li {
      grid-template-columns: auto 1fr;
    }
    .compact .error {
      grid-column: 2;
    }
  `;

  private readonly phone = new PhoneStateController(this);

  override render() {
    const lines = this.phone.lines;
    if (!lines.length) return html`<p>No account set up yet.</p>`;
    if (lines.length > COMPACT_FROM) return this.renderCompact();
    return html`<ul aria-label="Lines">
      ${lines.map(
        (l) =>
          html`<li data-state=${l.state} data-line=${l.id}>
            <span class="dot" aria-hidden="true"></span>
            <span class="label">${l.label}</span>
            <span class="state" part="line-state"
              >${l.error?.offline ? "Offline" : (STATE_TEXT[l.state] ?? l.state)}${l.dnd ? " · Do not disturb" : ""}${this.forwarding(l)}</span
            >
            ${l.error ? html`<span class="error" role="alert">${l.error.message}</span>` : null} ${this.renderVoicemail(l)}
          </li>`,
      )}
    </ul>`;
  }

  /** Every forwarding mode that is on (a snapshot from an older leader has only forwardTo). */
  private forwarding(l: LineSnapshot): string {
    const text = describeForwarding(l.forward ?? (l.forwardTo ? { always: { to: l.forwardTo } } : undefined));
    return text ? ` · ${text}` : "";
  }

  /** Message waiting (RFC 3842): the counts as a badge, and a button that dials the mailbox. */
  private renderVoicemail(l: LineSnapshot) {
    const counts = describeVoicemail(l.voicemail);
    if (!counts && !l.voicemailNumber) return null;
    return html`<span class="voicemail" part="voicemail">
      ${counts ? html`<span class="count" role="status" ?data-waiting=${l.voicemail?.waiting}>${counts}</span>` : null}
      ${
        l.voicemailNumber
          ? html`<button aria-label="Call voicemail of ${l.label}" @click=${() => this.callVoicemail(l)}>Call voicemail</button>`
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
    return html`<div class="compact">
      <div class="summary" role="status">${ok} of ${lines.length} lines ready</div>
      <div class="dots" role="list" aria-label="Lines">
        ${lines.map((l) => html`<span role="listitem" class="dot" data-state=${l.state} data-line=${l.id} title="${l.label}: ${STATE_TEXT[l.state] ?? l.state}" aria-label="${l.label}: ${STATE_TEXT[l.state] ?? l.state}"></span>`)}
      </div>
      ${
        problems.length
          ? html`<ul aria-label="Lines with problems">
              ${problems.map((l) => html`<li data-state=${l.state}><span class="label">${l.label}</span><span class="error" role="alert">${l.error!.message}</span></li>`)}
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
