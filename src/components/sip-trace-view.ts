import { consume } from "@lit/context";
import { english } from "../i18n/languages.js";
import { wordsContext } from "./words-context.js";
import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { SipTrace, TraceEntry } from "../sip/core/sip-trace.js";
import { appContext, type AppService } from "./app-context.js";
import { downloadText } from "./download.js";
import { PhoneStateController } from "./phone-state-controller.js";
import { buttonStyles } from "./shared-styles.js";

/**
 * Diagnostics for one line: every SIP message in and out with its time, filter by call, copy
 * or save as a text file for a support desk. Digest credentials are already redacted.
 */
@customElement("sip-trace-view")
export class SipTraceView extends LitElement {
  static override styles = [
    buttonStyles,
    css`
      :host {
        display: grid;
        gap: 0.5rem;
      }
      .tools {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        align-items: center;
      }
      select {
        font: inherit;
        padding: 0.3em;
        border-radius: 6px;
        border: 1px solid var(--sip-border, #c9d1d9);
      }
      ol {
        list-style: none;
        padding: 0;
        margin: 0;
        max-height: 24rem;
        overflow: auto;
        border: 1px solid var(--sip-border, #c9d1d9);
        border-radius: 8px;
      }
      li {
        border-bottom: 1px solid var(--sip-border, #eaeef2);
        padding: 0.2rem 0.4rem;
      }
      summary {
        cursor: pointer;
        font-family: ui-monospace, monospace;
        font-size: 0.85em;
        overflow-wrap: anywhere;
      }
      pre {
        margin: 0.3rem 0;
        font-size: 0.8em;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .out summary::before {
        content: "→ ";
      }
      .in summary::before {
        content: "← ";
      }
    `,
  ];

  @property({ attribute: "line-id" }) lineId = "";
  @consume({ context: appContext, subscribe: true }) app?: AppService;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  private readonly phone = new PhoneStateController(this);
  @state() private callId = "";
  @state() private entries: TraceEntry[] = [];
  @state() private status = "";
  private unsubscribe: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    queueMicrotask(() => {
      // Removed again in the same task (or moved: connected twice), this view follows the trace once or not at all.
      if (!this.isConnected || this.unsubscribe) return;
      const trace = this.phone.phone?.trace;
      if (!trace) return;
      this.entries = trace.list(this.lineId);
      // The newest entries at once, the older (compressed) ones when read back: put in front.
      const following = (this.unsubscribe = trace.on("entry", (e) => {
        if (e.lineId === this.lineId) this.entries = this.withNewest(trace);
      }));
      void trace.all(this.lineId).then((all) => {
        if (this.unsubscribe !== following) return;
        const first = this.entries[0]?.seq ?? Infinity;
        this.entries = [...all.filter((e) => e.seq >= trace.oldestSeq && e.seq < first), ...this.entries];
      });
    });
  }

  /**
   * What is shown, with the trace's newest entries read again: older ones as shown (the trace
   * compresses them meanwhile) but not those it dropped since. The view never keeps more than
   * the trace does, though it keeps them uncompressed while it is open.
   */
  private withNewest(trace: SipTrace): TraceEntry[] {
    const newest = trace.list(this.lineId);
    const first = newest[0]?.seq ?? Infinity;
    return [...this.entries.filter((e) => e.seq >= trace.oldestSeq && e.seq < first), ...newest];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  override render() {
    const calls = [
      ...new Set(this.entries.filter((e) => /^(INVITE|SIP\/2\.0 .*\r?\n(?:[\s\S]*)CSeq: \d+ INVITE)/.test(e.text)).map((e) => e.callId)),
    ];
    const shown = this.callId ? this.entries.filter((e) => e.callId === this.callId) : this.entries;
    const w = this.words;
    return html`
      <div class="tools">
        <select
          aria-label=${w.t("trace.filter")}
          .value=${this.callId}
          @change=${(e: Event) => (this.callId = (e.target as HTMLSelectElement).value)}
        >
          <option value="">${w.t("trace.all")}</option>
          ${calls.map((c) => html`<option value=${c}>${w.t("trace.call", { id: c })}</option>`)}
        </select>
        <button @click=${this.copy}>${w.t("trace.copy")}</button>
        <button @click=${this.save}>${w.t("trace.save")}</button>
        <label
          >${w.t("trace.logLevel")}
          <select
            .value=${this.app?.settings.logLevel ?? "warn"}
            @change=${(e: Event) => this.app?.updateSettings({ logLevel: (e.target as HTMLSelectElement).value as "warn" })}
          >
            <!-- Written out, not mapped: they must exist when the .value above is set (a mapped list renders after it). -->
            <option value="off">off</option>
            <option value="error">error</option>
            <option value="warn">warn</option>
            <option value="info">info</option>
            <option value="debug">debug</option>
          </select>
        </label>
        <span role="status">${this.status}</span>
      </div>
      <ol aria-label=${w.t("trace.messages")}>
        ${shown.map(
          (e) =>
            html`<li class=${e.direction}>
              <details>
                <summary>${w.timeWithSeconds(e.at)} ${e.summary}</summary>
                <pre>${e.text}</pre>
              </details>
            </li>`,
        )}
      </ol>
    `;
  }

  /** Every message of the line (or the call) the trace keeps, the compressed ones read back. */
  private async text(): Promise<string> {
    return (await this.phone.phone?.trace.toText(this.lineId, this.callId || undefined)) ?? "";
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(await this.text());
      this.status = this.words.t("trace.copied");
    } catch (e) {
      this.status = this.words.t("trace.copyFailed", { why: (e as Error).message });
    }
  }

  private async save(): Promise<void> {
    const name = `sip-trace-${this.lineId}-${new Date().toISOString().replace(/[:.]/g, "-")}.txt`;
    downloadText(name, await this.text(), "text/plain");
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-trace-view": SipTraceView;
  }
}
