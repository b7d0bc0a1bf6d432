import { HistorySearch, type DirectionFilter } from "./history-search.js";
import { consume } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { historyRetentionOf, type HistoryRetention } from "../app/history-retention.js";
import { CallState } from "../sip/api/call-state.js";
import type { HistoryEntry } from "../storage/history-store.js";
import { appContext, type AppService } from "./app-context.js";
import { downloadText } from "./download.js";
import type { PlainId } from "../i18n/catalogue.js";
import { english } from "../i18n/languages.js";
import type { Words } from "../i18n/words.js";
import { describeParty, describePhoneError, describeStorageTrouble } from "./messages.js";
import { wordsContext } from "./words-context.js";
import { PhoneStateController } from "./phone-state-controller.js";
import { describeQualitySummary, hasQualitySummary, qualitySummaryDetails } from "./quality-words.js";
// Icons through shared-styles.js, not icons.js: see the note there.
import { avatar, avatarStyles, buttonStyles, fieldStyles, phoneIcon, resumeIcon, searchIcon, trashIcon } from "./shared-styles.js";
import { recordingButtonLabel, recordingRowText } from "./recording-words.js";
import { retentionLoses, retentionText } from "./retention-words.js";

const ROW_HEIGHT = 52;
const OVERSCAN = 6;
const FIRST_PAGE = 60;

const RESULT_TEXT: Record<HistoryEntry["result"], PlainId> = {
  answered: "result.answered",
  missed: "result.missed",
  declined: "result.declined",
  cancelled: "result.cancelled",
  failed: "result.failed",
  "answered-elsewhere": "result.answeredElsewhere",
  "declined-elsewhere": "result.declinedElsewhere",
};

/** What the retention control offers (Settings → General takes any numbers: retention-setting.ts). */
const RETENTION_CHOICES: Array<[PlainId, HistoryRetention]> = [
  ["retention.year", { maxEntries: 10_000, maxAgeDays: 365 }],
  ["retention.90days", { maxEntries: 10_000, maxAgeDays: 90 }],
  ["retention.30days", { maxEntries: 10_000, maxAgeDays: 30 }],
  ["retention.1000calls", { maxEntries: 1_000, maxAgeDays: 0 }],
  ["retention.everything", { maxEntries: 0, maxAgeDays: 0 }],
];
const retentionKey = (r: HistoryRetention) => `${r.maxEntries}/${r.maxAgeDays}`;

function when(w: Words, t: number): string {
  return new Date(t).toDateString() === new Date().toDateString() ? w.time(t) : w.dayAndTime(t);
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
      .acts {
        display: flex;
        gap: var(--sip-space-1);
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
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
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
  /** The entry whose recording is open in the player. */
  @state() private playing: HistoryEntry | undefined;
  private unsubscribe: (() => void) | undefined;
  private unsubscribeSettings: (() => void) | undefined;
  private loadToken = 0;
  /**
   * The viewport's height, told by the browser when it changes. Reading clientHeight at every
   * update forced a layout each time, also for updates that changed nothing here (the lines:
   * npm run bench, "1000 lines").
   */
  private readonly resize =
    typeof ResizeObserver === "function"
      ? new ResizeObserver(([entry]) => {
          const height = (entry?.target as HTMLElement | undefined)?.clientHeight;
          if (height && height !== this.viewportHeight) this.viewportHeight = height;
        })
      : undefined;
  private observed: Element | undefined;
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
    this.resize?.disconnect();
    this.observed = undefined;
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
      this.readError = describeStorageTrouble(this.words, this.words.t("history.readIt"), e);
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
    const keep = this.renderRoot.querySelector<HTMLSelectElement>("select.keep");
    if (keep) keep.value = retentionKey(this.retention);
    const vp = this.renderRoot.querySelector(".viewport");
    if (vp && vp !== this.observed) {
      if (this.observed) this.resize?.unobserve(this.observed);
      this.resize?.observe(vp);
      this.observed = vp;
    }
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
    const w = this.words;
    const offered = RETENTION_CHOICES.map(([id, r]) => [w.t(id), r] as [string, HistoryRetention]);
    const choices = RETENTION_CHOICES.some(([, r]) => retentionKey(r) === current)
      ? offered
      : [...offered, [retentionText(w, this.retention), this.retention] as [string, HistoryRetention]];
    return html`
      <div class="filters">
        <span class="search"
          >${searchIcon}<input
            type="search"
            aria-label=${w.t("history.search")}
            placeholder=${w.t("history.searchPlaceholder")}
            .value=${this.query}
            @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}
        /></span>
        <select
          aria-label=${w.t("history.direction")}
          .value=${this.direction}
          @change=${(e: Event) => (this.direction = (e.target as HTMLSelectElement).value as "")}
        >
          <option value="">${w.t("history.allCalls")}</option>
          <option value="in">${w.t("history.incoming")}</option>
          <option value="out">${w.t("history.outgoing")}</option>
          <option value="missed">${w.t("history.missed")}</option>
        </select>
        ${
          lines.length > 1
            ? html`<select
                aria-label=${w.t("history.line")}
                .value=${this.lineId}
                @change=${(e: Event) => (this.lineId = (e.target as HTMLSelectElement).value)}
              >
                <option value="">${w.t("history.allLines")}</option>
                ${lines.map((l) => html`<option value=${l.id}>${l.label}</option>`)}
              </select>`
            : nothing
        }
        <button @click=${this.exportCsv}>${w.t("history.export")}</button>
        <button @click=${this.clear}>${trashIcon}${w.t("history.clear")}</button>
        <select class="keep" aria-label=${w.t("history.keep")} @change=${this.changeRetention}>
          ${choices.map(([label, r]) => html`<option value=${retentionKey(r)}>${label}</option>`)}
        </select>
      </div>
      ${this.readError ? html`<p role="alert">${this.readError}</p>` : nothing}
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      ${this.playing ? html`<sip-recording-player .entry=${this.playing} @recording-close=${() => (this.playing = undefined)}></sip-recording-player>` : nothing}
      <div
        class="viewport"
        role="list"
        aria-label=${w.t("history.list")}
        aria-busy=${this.complete ? "false" : "true"}
        @scroll=${(e: Event) => (this.listScrollTop = (e.target as HTMLElement).scrollTop)}
      >
        <div .style=${`height:${rows.length * ROW_HEIGHT}px`}></div>
        ${rows.length === 0 && this.complete ? html`<div class="empty" role="listitem">${w.t(this.entries.length ? "history.noMatch" : "history.none")}</div>` : nothing}
        ${rows.slice(first, last).map((e, i) => {
          const who = describeParty(w, e.remote, e.remoteName);
          const ongoing = e.open && live.has(e.id);
          const quality = hasQualitySummary(e.quality) ? e.quality : undefined;
          // A property binding sets style.cssText (CSSOM), which a CSP without 'unsafe-inline'
          // allows; a style attribute (or styleMap's first render) would be blocked.
          return html`<div
            class="row"
            role="listitem"
            .style=${`top:${(first + i) * ROW_HEIGHT}px`}
            data-result=${ongoing ? "ongoing" : e.result}
            title=${quality ? qualitySummaryDetails(w, quality) : nothing}
          >
            ${avatar(e.remoteName || e.remote)}
            <div>
              <div class="who"><span class="dir">${e.direction === "in" ? "↙" : "↗"}</span> ${who}</div>
              <div class="meta">
                ${when(w, e.startedAt)} · ${e.lineLabel} ·
                ${
                  ongoing
                    ? w.t("history.inProgress")
                    : html`${RESULT_TEXT[e.result] ? w.t(RESULT_TEXT[e.result]) : e.result}${e.sipCode && e.result !== "answered" ? ` (${e.sipCode})` : ""}${e.durationMs ? ` · ${w.duration(e.durationMs / 1000)}` : ""}`
                }${quality ? ` · ${describeQualitySummary(w, quality)}` : ""}${e.recording ? ` · ${recordingRowText(w, e.recording)}` : ""}
              </div>
            </div>
            <span class="acts"
              ><button aria-label=${w.t("history.callBack", { who })} @click=${() => this.redial(e)}>${phoneIcon}${w.t("dial.call")}</button
              >${
                e.recording?.kept
                  ? html`<button aria-label=${recordingButtonLabel(w, who, e.recording.bytes)} @click=${() => this.openRecording(e)}>
                      ${resumeIcon}
                    </button>`
                  : nothing
              }</span
            >
          </div>`;
        })}
      </div>
      <div class="meta" role="status">${w.t(this.complete ? "history.count" : "history.countLoading", { count: rows.length })}</div>
    `;
  }

  private redial(e: HistoryEntry): void {
    const phone = this.phone.phone;
    if (!phone) return;
    this.error = "";
    const lineId = phone.lines.some((l) => l.id === e.lineId) ? e.lineId : undefined;
    phone.dial(e.remote, { lineId }).catch((err: unknown) => this.showError(describePhoneError(this.words, err)));
  }

  private async exportCsv(): Promise<void> {
    if (!this.app) return;
    this.error = "";
    try {
      downloadText(`call-history-${new Date().toISOString().slice(0, 10)}.csv`, await this.app.historyCsv(), "text/csv");
    } catch (e) {
      this.showError(describeStorageTrouble(this.words, this.words.t("history.exportIt"), e));
    }
  }

  private changeRetention(e: Event): void {
    const key = (e.target as HTMLSelectElement).value;
    const choice = RETENTION_CHOICES.find(([, r]) => retentionKey(r) === key)?.[1];
    if (!choice) return;
    const loses = retentionLoses(choice, this.retention);
    // Pruning deletes at once and for good.
    const label = this.words.t(RETENTION_CHOICES.find(([, r]) => r === choice)![0]);
    if (loses && !confirm(this.words.t("retention.confirm", { choice: label }))) {
      (e.target as HTMLSelectElement).value = retentionKey(this.retention);
      return;
    }
    this.error = "";
    this.app?.updateSettings({ historyRetention: choice }).catch((err: Error) => this.showError(err.message));
  }

  /** Opens an entry's recording in the player (loaded on first use). */
  private openRecording(e: HistoryEntry): void {
    void import("./recording-player.js");
    this.playing = e;
  }

  private async clear(): Promise<void> {
    if (!this.app || !confirm(this.words.t("history.confirmClear"))) return;
    this.error = "";
    try {
      await this.app.clearHistory();
    } catch (e) {
      this.showError(describeStorageTrouble(this.words, this.words.t("history.clearIt"), e));
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-history": SipHistory;
  }
}
