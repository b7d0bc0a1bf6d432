import { consume } from "@lit/context";
import { english } from "../i18n/languages.js";
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { suggest, type Suggestion } from "../app/suggestions.js";
import type { Contact } from "../storage/contacts-store.js";
import type { HistoryEntry } from "../storage/history-store.js";
import { appContext, type AppService } from "./app-context.js";
import { PhoneStateController } from "./phone-state-controller.js";
import { describeLineState, describePhoneError } from "./messages.js";
import { wordsContext } from "./words-context.js";
import { phoneIcon } from "./icons.js";
import { buttonStyles, fieldStyles } from "./shared-styles.js";
import "./keypad.js";
import { loadCallPanel } from "./call-panel-code.js";

/** How long an untouched, non-empty number keeps the phone off-hook (microphone open). */
const OFF_HOOK_IDLE_MS = 30_000;

/**
 * The number field and keypad. Typing takes the phone off-hook (microphone and connection
 * prepared, as a desk phone does when the handset is lifted) so that Call only sends the INVITE.
 */
@customElement("sip-dialpad")
export class SipDialpad extends LitElement {
  static override styles = [
    buttonStyles,
    fieldStyles,
    css`
      :host {
        display: block;
      }
      form {
        display: grid;
        gap: var(--sip-space-3);
        max-width: 20rem;
        margin-inline: auto;
      }
      .hint {
        color: var(--sip-muted);
        margin: 0;
        font-size: var(--sip-text-sm);
      }
      .number {
        display: flex;
        align-items: center;
        gap: var(--sip-space-1);
        border-bottom: 2px solid var(--sip-border);
        transition: border-color var(--sip-duration);
      }
      .number:focus-within {
        border-bottom-color: var(--sip-focus);
      }
      .number input {
        flex: 1;
        width: 0;
        min-height: 3.5rem;
        padding: var(--sip-space-1) 0 var(--sip-space-1) 2.75rem;
        border: 0;
        background: transparent;
        text-align: center;
        font-size: var(--sip-text-xl);
        letter-spacing: 0.02em;
      }
      .number input:focus-visible {
        outline: none;
      }
      .number input::placeholder {
        font-size: var(--sip-text-md);
        letter-spacing: 0;
      }
      .number button {
        width: 2.75rem;
        padding: 0;
        border-color: transparent;
        background: transparent;
        color: var(--sip-muted);
        font-size: var(--sip-text-lg);
        border-radius: 50%;
      }
      .number button:disabled {
        visibility: hidden;
      }
      .error {
        color: var(--sip-danger);
        min-height: 1.2em;
        margin: 0;
        text-align: center;
        font-size: var(--sip-text-sm);
      }
      .error:empty {
        min-height: 0;
      }
      .suggestions {
        list-style: none;
        margin: 0;
        padding: var(--sip-space-1);
        border: 1px solid var(--sip-border);
        border-radius: var(--sip-radius);
        background: var(--sip-bg);
        box-shadow: var(--sip-shadow);
      }
      .suggestions li {
        padding: var(--sip-space-2) var(--sip-space-3);
        border-radius: var(--sip-radius-sm);
        cursor: pointer;
      }
      .suggestions li[aria-selected="true"] {
        background: var(--sip-accent);
        color: var(--sip-accent-fg);
      }
      .suggestions small {
        color: var(--sip-muted);
      }
      .suggestions li[aria-selected="true"] small {
        color: inherit;
      }
      sip-keypad {
        margin-block: var(--sip-space-2);
      }
      button.call {
        justify-self: center;
        width: min(100%, 14rem);
        min-height: 3.5rem;
        border-radius: var(--sip-radius-full);
        font-size: var(--sip-text-lg);
      }
    `,
  ];

  /** Line to call from; the user's default line (or the first) when not set. */
  @property({ attribute: "line" }) lineId?: string;
  @consume({ context: appContext, subscribe: true }) app?: AppService;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  @state() private chosenLine = "";
  @state() private suggestions: Suggestion[] = [];
  @state() private active = -1;
  private sources: { contacts: Contact[]; history: HistoryEntry[] } | undefined;
  @state() private number = "";
  /** Click-to-call mode for the next call; "" is the line's default. */
  @state() private mode: "" | "browser" | "desk" | "reverse" = "";
  @state() private error = "";
  @state() private busy = false;
  @query("input") private input!: HTMLInputElement;
  private readonly phone = new PhoneStateController(this);
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.setNumber("");
  }

  private get line(): string | undefined {
    const lines = this.phone.lines;
    const wanted = this.chosenLine || this.lineId || this.app?.settings.defaultLineId;
    return lines.some((l) => l.id === wanted) ? wanted : lines[0]?.id;
  }

  override render() {
    const lines = this.phone.lines;
    const noLine = lines.length === 0;
    // Once per render: the getter reads the settings and walks the lines (1000 options each).
    const current = this.line;
    const desk = lines.find((l) => l.id === current)?.deskPhone;
    const mode = this.effectiveMode;
    const w = this.words;
    return html`<form @submit=${this.onSubmit} @dragover=${(e: DragEvent) => e.preventDefault()} @drop=${this.onDrop}>
      ${
        lines.length > 1
          ? html`<select
              aria-label=${w.t("dial.fromLine")}
              .value=${current ?? ""}
              @change=${(e: Event) => this.chooseLine((e.target as HTMLSelectElement).value)}
            >
              ${lines.map((l) => html`<option value=${l.id} ?selected=${l.id === current}>${l.state === "registered" || l.state === "connected" ? l.label : w.t("dial.lineState", { line: l.label, state: describeLineState(w, l.state) })}</option>`)}
            </select>`
          : nothing
      }
      ${
        desk
          ? html`<select
                aria-label=${w.t("dial.with")}
                .value=${mode}
                @change=${(e: Event) => this.chooseMode((e.target as HTMLSelectElement).value as "browser")}
              >
                <option value="browser" ?selected=${mode === "browser"}>${w.t("dial.withBrowser")}</option>
                <option value="desk" ?selected=${mode === "desk"}>${w.t("dial.withDesk")}</option>
                <option value="reverse" ?selected=${mode === "reverse"}>${w.t("dial.withReverse")}</option>
              </select>
              ${mode === "reverse" ? html`<p class="hint">${w.t("dial.reverseHint")}</p>` : nothing}`
          : nothing
      }
      <div class="number">
        <input
          type="tel"
          inputmode="tel"
          autocomplete="off"
          aria-label=${w.t("dial.number")}
          placeholder=${w.t("dial.placeholder")}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded=${this.suggestions.length ? "true" : "false"}
          aria-controls="suggestions"
          .value=${this.number}
          @input=${(e: Event) => this.setNumber((e.target as HTMLInputElement).value)}
          @keydown=${this.onKeydown}
          @paste=${this.onPaste}
        />
        <button type="button" aria-label=${w.t("dial.deleteDigit")} @click=${this.backspace} ?disabled=${!this.number}>⌫</button>
      </div>
      ${
        this.suggestions.length
          ? html`<ul class="suggestions" id="suggestions" role="listbox" aria-label=${w.t("dial.suggestions")}>
              ${this.suggestions.map(
                (sg, i) =>
                  html`<li
                    role="option"
                    aria-selected=${i === this.active ? "true" : "false"}
                    @mousedown=${(e: Event) => {
                      e.preventDefault();
                      this.pick(sg);
                    }}
                  >
                    ${sg.name ? html`${sg.name} ` : nothing}${sg.number}
                    <small>${sg.source === "recent" ? w.t("suggestion.recent") : sg.source}</small>
                  </li>`,
              )}
            </ul>`
          : nothing
      }
      <sip-keypad action="dial" @key-press=${(e: CustomEvent<string>) => this.appendKey(e.detail)}></sip-keypad>
      <p class="error" role="alert">${this.error}</p>
      <button class="call" type="submit" ?disabled=${this.busy || noLine}>${phoneIcon}${w.t("dial.call")}</button>
    </form>`;
  }

  private get effectiveMode(): "browser" | "desk" | "reverse" {
    const line = this.phone.lines.find((l) => l.id === this.line);
    if (!line?.deskPhone) return "browser";
    return this.mode || line.clickToCall || "browser";
  }

  private chooseMode(mode: "browser" | "desk" | "reverse"): void {
    this.mode = mode;
    // The microphone is only for browser calls.
    if (mode !== "browser") this.phone.phone?.onHook();
    else if (this.number) this.phone.phone?.offHook(this.line);
  }

  /** A number dropped on the dialpad (from a CRM page, an e-mail, a tel: link). */
  private onDrop(e: DragEvent): void {
    const text = e.dataTransfer?.getData("text/uri-list") || e.dataTransfer?.getData("text/plain") || "";
    if (!text.trim()) return;
    e.preventDefault();
    this.setNumber(firstLine(text));
    this.input?.focus();
  }

  /** Pasted text often carries line breaks or a trailing space from a signature. */
  private onPaste(e: ClipboardEvent): void {
    const text = e.clipboardData?.getData("text/plain") ?? "";
    if (!/[\r\n]/.test(text) && text === text.trim()) return;
    e.preventDefault();
    this.setNumber(firstLine(text));
  }

  /** Sets the number from outside (links, paste, drag and drop). */
  setNumber(value: string): void {
    const was = this.number;
    this.number = value;
    this.error = "";
    clearTimeout(this.idleTimer);
    if (value && !was) {
      if (this.effectiveMode === "browser") this.phone.phone?.offHook(this.line);
      // The card the call will show: fetched while the user types, as the connection is
      // prepared (a failure is reported when the call comes, sip-phone.ts).
      loadCallPanel().catch(() => undefined);
    }
    if (!value && was) this.phone.phone?.onHook();
    if (value) this.idleTimer = setTimeout(() => this.phone.phone?.onHook(), OFF_HOOK_IDLE_MS);
    void this.updateSuggestions(value);
  }

  private chooseLine(id: string): void {
    this.chosenLine = id;
    if (this.number) {
      this.phone.phone?.onHook();
      this.phone.phone?.offHook(id);
    }
  }

  private async updateSuggestions(value: string): Promise<void> {
    this.active = -1;
    if (!value || !this.app) {
      this.suggestions = [];
      return;
    }
    this.sources ??= { contacts: await this.app.listContacts(), history: await this.app.recentHistory(1000) };
    if (value !== this.number) return;
    this.suggestions = suggest(value, this.sources.contacts, this.sources.history);
  }

  private pick(s: Suggestion): void {
    this.number = s.number;
    this.suggestions = [];
    this.input?.focus();
  }

  /** A digit, `*` or `#` typed with the phone's keyboard shortcuts (keyboard-shortcuts.ts): as if its key were pressed. */
  typeKey(key: string): void {
    this.appendKey(key);
  }

  private appendKey(key: string): void {
    this.setNumber(this.number + key);
    this.input?.focus();
  }

  private backspace(): void {
    this.setNumber(this.number.slice(0, -1));
    this.input?.focus();
  }

  private onKeydown(e: KeyboardEvent): void {
    // Backspace and Enter behave natively in the input; arrows walk the suggestions;
    // Escape closes them, or clears the number, as on a desk phone.
    const n = this.suggestions.length;
    if (e.key === "ArrowDown" && n) {
      e.preventDefault();
      this.active = (this.active + 1) % n;
    } else if (e.key === "ArrowUp" && n) {
      e.preventDefault();
      this.active = (this.active - 1 + n) % n;
    } else if (e.key === "Enter" && this.active >= 0 && n) {
      e.preventDefault();
      this.pick(this.suggestions[this.active]);
    } else if (e.key === "Escape") {
      if (n) this.suggestions = [];
      else this.setNumber("");
    }
  }

  private async onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    const phone = this.phone.phone;
    if (!phone || this.busy) return;
    this.busy = true;
    try {
      await phone.dial(this.number, { lineId: this.line, ...(this.mode ? { mode: this.mode } : {}) });
      clearTimeout(this.idleTimer);
      this.number = "";
      this.suggestions = [];
      this.sources = undefined;
    } catch (err) {
      this.error = describePhoneError(this.words, err);
    } finally {
      this.busy = false;
    }
  }
}

function firstLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find(Boolean) ?? ""
  );
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-dialpad": SipDialpad;
  }
}
