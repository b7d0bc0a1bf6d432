import { HistorySearch, type DirectionFilter } from "./history-search.js";
import { consume } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { historyRetentionOf, type HistoryRetention } from "../app/history-retention.js";
import { CallState } from "../sip/api/call-state.js";
import type { HistoryEntry } from "../storage/history-store.js";
import { appContext, type AppService } from "./app-context.js";
import { downloadText } from "./download.js";
import { describeStorageTrouble } from "./messages.js";
import { PhoneStateController } from "./phone-state-controller.js";
import { describeQualitySummary, hasQualitySummary, qualitySummaryDetails } from "./quality-words.js";
// Icons through shared-styles.js, not icons.js: see the note there.
import { avatar, avatarStyles, buttonStyles, fieldStyles, phoneIcon, searchIcon, trashIcon } from "./shared-styles.js";

const ROW_HEIGHT = 52;
const OVERSCAN = 6;
const FIRST_PAGE = 60;

const RESULT_TEXT: Record<HistoryEntry["result"], string> = {
  answered: "answered",
  missed: "missed",
  declined: "declined",
  cancelled: "not answered",
  failed: "failed",
  "answered-elsewhere": "answered elsewhere",
  "declined-elsewhere": "declined elsewhere",
};

/** What the retention control offers (a full settings view may offer any numbers). */
const RETENTION_CHOICES: Array<[string, HistoryRetention]> = [
  ["Keep a year (10 000 calls at most)", { maxEntries: 10_000, maxAgeDays: 365 }],
  ["Keep 90 days", { maxEntries: 10_000, maxAgeDays: 90 }],
  ["Keep 30 days", { maxEntries: 10_000, maxAgeDays: 30 }],
  ["Keep the last 1 000 calls", { maxEntries: 1_000, maxAgeDays: 0 }],
  ["Keep everything", { maxEntries: 0, maxAgeDays: 0 }],
];
const retentionKey = (r: HistoryRetention) => `${r.maxEntries}/${r.maxAgeDays}`;

function retentionText(r: HistoryRetention): string {
  const count = r.maxEntries ? `${r.maxEntries} calls` : "";
  const age = r.maxAgeDays ? `${r.maxAgeDays} days` : "";
  return count || age ? `Keep ${[count, age].filter(Boolean).join(", at most ")}` : "Keep everything";
}

function when(t: number): string {
  const d = new Date(t);
  const today = new Date();
  return d.toDateString() === today.toDateString()
    ? d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })
    : d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/**
 * The call history: newest first, filters, search, redial, clear, CSV export. Only the rows in
 * view are in the DOM (fixed row height), so 100 000 entries open and scroll smoothly: the
 * newest page comes from a cursor at once, the rest loads behind it.
 */
@customElement("sip-history")
export class SipHistory extends LitElement {
  static override styles = [
    buttonStyles,
    fieldStyles,
    avatarStyles,
    css`
      :host {
        display: grid;
        gap: var(--sip-space-3);
      }
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: var(--sip-space-2);
      }
      .search {
        position: relative;
        flex: 1 1 100%;
        display: flex;
      }
      .search .icon {
        position: absolute;
        inset-inline-start: var(--sip-space-3);
        top: 50%;
        translate: 0 -50%;
        color: var(--sip-muted);
        pointer-events: none;
      }
      .search input {
        flex: 1;
        padding-inline-start: 2.5rem;
      }
      .filters select {
        flex: 1 1 auto;
      }
      .viewport {
        height: var(--sip-history-height, 24rem);
        overflow-y: auto;
        position: relative;
        border: 1px solid var(--sip-border);
        border-radius: var(--sip-radius-lg);
        background: var(--sip-bg);
      }
      .row {
        position: absolute;
        left: 0;
        right: 0;
        height: ${ROW_HEIGHT}px;
        box-sizing: border-box;
        padding: 0 var(--sip-space-3);
        display: grid;
        grid-template-columns: auto minmax(0, 1fr) auto;
        gap: var(--sip-space-3);
        align-items: center;
        border-bottom: 1px solid var(--sip-border);
      }
      .row:hover {
        background: var(--sip-surface);
      }
      .row .avatar {
        --size: 2.25rem;
      }
      .who {
        font-weight: 500;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .dir {
        color: var(--sip-muted);
      }
      .row[data-result="missed"] .who,
      .row[data-result="missed"] .dir {
        color: var(--sip-danger);
        font-weight: 600;
      }
      .row[data-result="ongoing"] .dir {
        color: var(--sip-state-in-call);
      }
      .meta {
        font-size: var(--sip-text-xs);
        color: var(--sip-muted);
      }
      .row .meta {
        /* Rows have a fixed height: a long line is cut, the row's title has all of it. */
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .row button {
        min-height: 2.25rem;
        padding-inline: var(--sip-space-3);
        font-size: var(--sip-text-sm);
      }
      .empty {
        padding: var(--sip-space-5) var(--sip-space-4);
        text-align: center;
        color: var(--sip-muted);
      }
      [role="alert"] {
        margin: 0;
        color: var(--sip-danger);
      }
    `,
  ];

  @consume({ context: appContext, subscribe: true }) app?: AppService;
  private readonly phone = new PhoneStateController(this);
  @state() private entries: HistoryEntry[] = [];
  @state() private complete = false;
  @state() private listScrollTop = 0;
  @state() private viewportHeight = 400;
  @state() private query = "";
  @state() private direction: DirectionFilter = "";
  /** Every keystroke searches all entries: keys made once, narrowing as one types (history-search.ts). */
  private readonly search = new HistorySearch();
  @state() private lineId = "";
  /** Why the history could not be read: goes with the next read that works. */
  @state() private readError = "";
  /** Why the last action (call back, export, clear, retention) failed: goes with the next action, or a reload. */
  @state() private error = "";
  /** Counts the action errors shown, so that a reload clears only those on screen when it began. */
  private errorsShown = 0;
  @state() private retention: HistoryRetention = historyRetentionOf({});
  private unsubscribe: (() => void) | undefined;
  private unsubscribeSettings: (() => void) | undefined;
  private loadToken = 0;
  /** When the first rows were put on screen, after connect (read by the benchmark). */
  firstRenderMs: number | undefined;
  private connectedAt = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    this.connectedAt = performance.now();
    this.firstRenderMs = undefined;
    void this.load();
    this.unsubscribe = this.app?.on("history-changed", () => void this.load());
    this.retention = historyRetentionOf(this.app?.settings ?? {});
    this.unsubscribeSettings = this.app?.on("settings-changed", (s) => (this.retention = historyRetentionOf(s)));
    void this.app?.markHistoryViewed();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribeSettings?.();
  }

  private async load(): Promise<void> {
    if (!this.app) return;
    const token = ++this.loadToken;
    const errorsBefore = this.errorsShown;
    try {
      const first = await this.app.recentHistory(FIRST_PAGE);
      if (token !== this.loadToken) return;
      // Things work again: old errors go (not one that came while this read was under way).
      this.readError = "";
      if (this.errorsShown === errorsBefore) this.error = "";
      this.entries = first;
      this.complete = first.length < FIRST_PAGE;
      if (!this.complete) {
        const all = await this.app.allHistory();
        if (token !== this.loadToken) return;
        this.entries = all;
        this.complete = true;
      }
    } catch (e) {
      if (token !== this.loadToken) return;
      this.readError = describeStorageTrouble("read the call history", e);
    }
  }

  private showError(text: string): void {
    this.error = text;
    this.errorsShown++;
  }

  private get filtered(): HistoryEntry[] {
    this.search.setEntries(this.entries);
    return this.search.filter({ query: this.query, lineId: this.lineId, direction: this.direction });
  }

  override updated(): void {
    // Set after the options exist: a `.value` binding on the <select> runs before its options render.
    const keep = this.renderRoot.querySelector<HTMLSelectElement>('select[aria-label="Keep history"]');
    if (keep) keep.value = retentionKey(this.retention);
    const vp = this.renderRoot.querySelector(".viewport") as HTMLElement | null;
    if (vp && vp.clientHeight && vp.clientHeight !== this.viewportHeight) this.viewportHeight = vp.clientHeight;
    if (this.firstRenderMs === undefined && this.entries.length) this.firstRenderMs = performance.now() - this.connectedAt;
  }

  override render() {
    const rows = this.filtered;
    const first = Math.max(0, Math.floor(this.listScrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(rows.length, Math.ceil((this.listScrollTop + this.viewportHeight) / ROW_HEIGHT) + OVERSCAN);
    const lines = this.phone.lines;
    // An entry written while its call is up, whose call is still up here.
    const live = new Set(this.phone.calls.filter((c) => c.state !== CallState.Ended).map((c) => c.id));
    const current = retentionKey(this.retention);
    const choices = RETENTION_CHOICES.some(([, r]) => retentionKey(r) === current)
      ? RETENTION_CHOICES
      : [...RETENTION_CHOICES, [retentionText(this.retention), this.retention] as [string, HistoryRetention]];
    return html`
      <div class="filters">
        <span class="search"
          >${searchIcon}<input
            type="search"
            aria-label="Search history"
            placeholder="Search name or number"
            .value=${this.query}
            @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}
        /></span>
        <select
          aria-label="Direction"
          .value=${this.direction}
          @change=${(e: Event) => (this.direction = (e.target as HTMLSelectElement).value as "")}
        >
          <option value="">All calls</option>
          <option value="in">Incoming</option>
          <option value="out">Outgoing</option>
          <option value="missed">Missed</option>
        </select>
        ${
          lines.length > 1
            ? html`<select
                aria-label="Line"
                .value=${this.lineId}
                @change=${(e: Event) => (this.lineId = (e.target as HTMLSelectElement).value)}
              >
                <option value="">All lines</option>
                ${lines.map((l) => html`<option value=${l.id}>${l.label}</option>`)}
              </select>`
            : nothing
        }
        <button @click=${this.exportCsv}>Export CSV</button>
        <button @click=${this.clear}>${trashIcon}Clear</button>
        <select aria-label="Keep history" @change=${this.changeRetention}>
          ${choices.map(([label, r]) => html`<option value=${retentionKey(r)}>${label}</option>`)}
        </select>
      </div>
      ${this.readError ? html`<p role="alert">${this.readError}</p>` : nothing}
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      <div
        class="viewport"
        role="list"
        aria-label="Call history"
        aria-busy=${this.complete ? "false" : "true"}
        @scroll=${(e: Event) => (this.listScrollTop = (e.target as HTMLElement).scrollTop)}
      >
        <div .style=${`height:${rows.length * ROW_HEIGHT}px`}></div>
        ${rows.length === 0 && this.complete ? html`<div class="empty" role="listitem">${this.entries.length ? "No call matches." : "No calls yet."}</div>` : nothing}
        ${rows.slice(first, last).map((e, i) => {
          const who = e.remoteName ? `${e.remoteName} (${e.remote})` : e.remote;
          const ongoing = e.open && live.has(e.id);
          const quality = hasQualitySummary(e.quality) ? e.quality : undefined;
          // A property binding sets style.cssText (CSSOM), which a CSP without 'unsafe-inline'
          // allows; a style attribute (or styleMap's first render) would be blocked.
          return html`<div
            class="row"
            role="listitem"
            .style=${`top:${(first + i) * ROW_HEIGHT}px`}
            data-result=${ongoing ? "ongoing" : e.result}
            title=${quality ? qualitySummaryDetails(quality) : nothing}
          >
            ${avatar(e.remoteName || e.remote)}
            <div>
              <div class="who"><span class="dir">${e.direction === "in" ? "↙" : "↗"}</span> ${who}</div>
              <div class="meta">
                ${when(e.startedAt)} · ${e.lineLabel} ·
                ${
                  ongoing
                    ? "in progress"
                    : html`${RESULT_TEXT[e.result]}${e.sipCode && e.result !== "answered" ? ` (${e.sipCode})` : ""}${e.durationMs ? ` · ${Math.round(e.durationMs / 1000)} s` : ""}`
                }${quality ? ` · ${describeQualitySummary(quality)}` : ""}
              </div>
            </div>
            <button aria-label="Call ${who} back" @click=${() => this.redial(e)}>${phoneIcon}Call</button>
          </div>`;
        })}
      </div>
      <div class="meta" role="status">${rows.length} call${rows.length === 1 ? "" : "s"}${this.complete ? "" : " (loading…)"}</div>
    `;
  }

  private redial(e: HistoryEntry): void {
    const phone = this.phone.phone;
    if (!phone) return;
    this.error = "";
    const lineId = phone.lines.some((l) => l.id === e.lineId) ? e.lineId : undefined;
    phone.dial(e.remote, { lineId }).catch((err: Error) => this.showError(err.message));
  }

  private async exportCsv(): Promise<void> {
    if (!this.app) return;
    this.error = "";
    try {
      downloadText(`call-history-${new Date().toISOString().slice(0, 10)}.csv`, await this.app.historyCsv(), "text/csv");
    } catch (e) {
      this.showError(describeStorageTrouble("export the call history", e));
    }
  }

  private changeRetention(e: Event): void {
    const key = (e.target as HTMLSelectElement).value;
    const choice = RETENTION_CHOICES.find(([, r]) => retentionKey(r) === key)?.[1];
    if (!choice) return;
    const fewer = (n: number, was: number) => n > 0 && (was === 0 || n < was);
    const loses = fewer(choice.maxEntries, this.retention.maxEntries) || fewer(choice.maxAgeDays, this.retention.maxAgeDays);
    // Pruning deletes at once and for good.
    if (loses && !confirm(`${RETENTION_CHOICES.find(([, r]) => r === choice)![0]}: older calls are deleted now. Go on?`)) {
      (e.target as HTMLSelectElement).value = retentionKey(this.retention);
      return;
    }
    this.error = "";
    this.app?.updateSettings({ historyRetention: choice }).catch((err: Error) => this.showError(err.message));
  }

  private async clear(): Promise<void> {
    if (!this.app || !confirm("Delete the whole call history from this browser?")) return;
    this.error = "";
    try {
      await this.app.clearHistory();
    } catch (e) {
      this.showError(describeStorageTrouble("clear the call history", e));
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-history": SipHistory;
  }
}
