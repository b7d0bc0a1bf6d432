import { consume } from "@lit/context";
import { LitElement, css, html, nothing, svg, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { english } from "../i18n/languages.js";
import type { HistoryEntry } from "../storage/history-store.js";
import { appContext, type AppService } from "./app-context.js";
import { describeStorageTrouble } from "./messages.js";
import { fileSize, recordedLength, recordingFileName, recordingTitle } from "./recording-words.js";
import { wordsContext } from "./words-context.js";
// Icons through shared-styles.js, not icons.js: see the note there.
import { buttonStyles, icon, trashIcon } from "./shared-styles.js";

const downloadIcon = /* @__PURE__ */ icon(svg`<path d="M12 4v11m-5-5 5 5 5-5M5 20h14" />`);

/**
 * One history entry's recording: played from the stored file (an `<audio>` on a `blob:` URL:
 * the CSP's `media-src` allows `blob:`, docs/security.md), downloaded, or deleted with its
 * entry. Sends `recording-close` when it should go (closed, or its entry deleted). Loaded when a
 * recording is first opened (history-list.ts).
 */
@customElement("sip-recording-player")
export class SipRecordingPlayer extends LitElement {
  static override styles = [
    buttonStyles,
    css`
      :host {
        display: block;
      }
      section {
        display: grid;
        gap: var(--sip-space-2);
        padding: var(--sip-space-3);
        border: 1px solid var(--sip-border);
        border-radius: var(--sip-radius-lg);
        background: var(--sip-surface);
      }
      h3 {
        margin: 0;
        font-size: var(--sip-text-md);
      }
      .meta {
        font-size: var(--sip-text-sm);
        color: var(--sip-muted);
      }
      audio {
        width: 100%;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--sip-space-2);
      }
      [role="alert"] {
        margin: 0;
        color: var(--sip-danger);
      }
    `,
  ];

  @property({ attribute: false }) entry!: HistoryEntry;
  @consume({ context: appContext, subscribe: true }) private app?: AppService;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  @state() private url = "";
  @state() private type = "";
  @state() private error = "";
  private loadToken = 0;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("entry")) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.release();
    // Connected again (a view that comes back): the file is read again.
    this.loadToken++;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.entry && !this.url) void this.load();
  }

  private release(): void {
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = "";
  }

  private async load(): Promise<void> {
    const token = ++this.loadToken;
    this.release();
    this.error = "";
    if (!this.app || !this.entry) return;
    try {
      const stored = await this.app.recordingOf(this.entry);
      if (token !== this.loadToken) return;
      if (!stored) {
        this.error = this.words.t("recording.gone");
        return;
      }
      this.type = stored.mimeType;
      this.url = URL.createObjectURL(stored.blob);
    } catch (e) {
      if (token === this.loadToken) this.error = describeStorageTrouble(this.words, this.words.t("recording.readIt"), e);
    }
  }

  override render() {
    const e = this.entry;
    if (!e) return nothing;
    const w = this.words;
    const who = e.remoteName ? w.t("party.nameAndNumber", { name: e.remoteName, number: e.remote }) : e.remote;
    const kept = e.recording?.kept ? e.recording : undefined;
    return html`<section aria-label=${recordingTitle(w, who)}>
      <h3>${recordingTitle(w, who)}</h3>
      ${kept ? html`<div class="meta">${recordedLength(w, kept.durationMs)} · ${fileSize(w, kept.bytes)}</div>` : nothing}
      ${this.url ? html`<audio controls preload="metadata" src=${this.url}></audio>` : nothing}
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      <div class="actions">
        <button ?disabled=${!this.url} @click=${this.download}>${downloadIcon}${w.t("recording.download")}</button>
        <button @click=${this.deleteCall}>${trashIcon}${w.t("recording.delete")}</button>
        <button @click=${this.close}>${w.t("recording.close")}</button>
      </div>
    </section>`;
  }

  private download(): void {
    if (!this.url) return;
    const a = document.createElement("a");
    a.href = this.url;
    a.download = recordingFileName(this.entry.remote, this.entry.startedAt, this.type);
    a.click();
  }

  private async deleteCall(): Promise<void> {
    if (!this.app || !confirm(this.words.t("recording.confirmDelete"))) return;
    this.error = "";
    try {
      await this.app.deleteHistoryEntry(this.entry);
      this.close();
    } catch (e) {
      this.error = describeStorageTrouble(this.words, this.words.t("recording.deleteIt"), e);
    }
  }

  private close(): void {
    this.dispatchEvent(new CustomEvent("recording-close", { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-recording-player": SipRecordingPlayer;
  }
  interface HTMLElementEventMap {
    "recording-close": CustomEvent<void>;
  }
}
