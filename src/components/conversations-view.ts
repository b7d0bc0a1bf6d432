import { consume } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { MessageFailure } from "../sip/api/text-message.js";
import type { StoredMessage } from "../storage/message-store.js";
import { appContext, type AppService } from "./app-context.js";
import { conversationsOf, type Conversation } from "./conversations.js";
import { english } from "../i18n/languages.js";
import { describeParty, describePhoneError } from "./messages.js";
import { describeMessageFailure, describeMessageStatus } from "./text-message-words.js";
import { wordsContext } from "./words-context.js";
import { PhoneStateController } from "./phone-state-controller.js";
// Icons through shared-styles.js, not icons.js: see the note there.
import { avatar, avatarStyles, listStyles, backIcon, buttonStyles, fieldStyles, plusIcon, sendIcon } from "./shared-styles.js";

/** How many of the newest messages the view reads (the store keeps more). */
const SHOWN_MESSAGES = 2000;

/**
 * Text messages, one conversation per number or address: the list with unread counts, and the
 * open conversation with each message's delivery status and a box to write. Message text is
 * only ever put into the page as text (Lit text bindings), never as markup: whoever sends a
 * message chooses its text.
 */
@customElement("sip-conversations")
export class SipConversations extends LitElement {
  static override styles = [
    buttonStyles,
    fieldStyles,
    avatarStyles,
    listStyles,
    css`
      :host {
        display: grid;
        gap: var(--sip-space-3);
      }
      ul {
        gap: var(--sip-space-1);
      }
      .conv {
        width: 100%;
        text-align: start;
        display: grid;
        grid-template-columns: auto minmax(0, 1fr) auto;
        justify-content: stretch;
        gap: 0 var(--sip-space-3);
        padding: var(--sip-space-2) var(--sip-space-3);
        border-color: transparent;
        background: transparent;
        font-weight: 400;
      }
      .conv:hover {
        background: var(--sip-surface);
      }
      .conv .avatar {
        grid-row: 1 / span 2;
      }
      .who {
        font-weight: 600;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .preview {
        grid-column: 2 / 4;
        color: var(--sip-muted);
        font-size: var(--sip-text-sm);
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .badge {
        background: var(--sip-accent);
        color: var(--sip-accent-fg);
        border-radius: var(--sip-radius-full);
        padding: 0 0.5em;
        font-size: var(--sip-text-xs);
        font-weight: 600;
        line-height: 1.25rem;
      }
      .row {
        display: flex;
        align-items: center;
        gap: var(--sip-space-2);
      }
      .row button {
        border-color: transparent;
        background: transparent;
        padding-inline: var(--sip-space-2);
      }
      .thread {
        max-height: 22rem;
        overflow-y: auto;
        gap: var(--sip-space-2);
        padding: var(--sip-space-1);
      }
      .msg {
        max-width: 85%;
        padding: var(--sip-space-2) var(--sip-space-3);
        border-radius: var(--sip-radius-lg);
        border-end-start-radius: var(--sip-radius-sm);
        background: var(--sip-surface);
        border: 1px solid var(--sip-border);
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        justify-self: start;
      }
      .msg[data-direction="out"] {
        justify-self: end;
        border-radius: var(--sip-radius-lg);
        border-end-end-radius: var(--sip-radius-sm);
        background: var(--sip-avatar-bg);
        border-color: transparent;
      }
      .meta {
        display: block;
        margin-top: 0.15rem;
        font-size: var(--sip-text-xs);
        color: var(--sip-muted);
      }
      .msg[data-direction="out"] .meta {
        color: var(--sip-avatar-fg);
      }
      .msg[data-status="failed"] .meta {
        color: var(--sip-danger);
      }
      form {
        display: grid;
        gap: var(--sip-space-2);
      }
      form button {
        justify-self: end;
      }
      .error {
        color: var(--sip-danger);
      }
    `,
  ];

  @consume({ context: appContext, subscribe: true }) app?: AppService;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  /** The line new conversations use (`<sip-phone line>`); a reply uses the conversation's line. */
  @property() lineId?: string;
  /** The open conversation's remote party; "" for a new one; undefined: the list. */
  @property() open?: string;
  private readonly phone = new PhoneStateController(this);
  @state() private conversations: Conversation[] = [];
  @state() private error = "";
  @state() private draft = "";
  @state() private to = "";
  private unsubscribe: (() => void) | undefined;
  private loading = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.unsubscribe = this.app?.on("messages-changed", () => void this.load());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has("open") || changed.has("conversations")) {
      const c = this.current;
      if (c?.unread) void this.app?.markMessagesRead(c.remote);
      this.renderRoot.querySelector(".thread")?.scrollTo({ top: 1e9 });
    }
  }

  private get current(): Conversation | undefined {
    return this.open ? this.conversations.find((c) => c.remote === this.open) : undefined;
  }

  private async load(): Promise<void> {
    const query = ++this.loading;
    const [messages, unread] = await Promise.all([this.app?.recentMessages(SHOWN_MESSAGES) ?? [], this.app?.unreadMessages() ?? new Map()]);
    if (query === this.loading) this.conversations = conversationsOf(messages, unread);
  }

  override render() {
    if (this.open !== undefined) return this.renderConversation();
    const w = this.words;
    return html`
      <button class="primary" @click=${() => this.show("")}>${plusIcon}${w.t("sms.new")}</button>
      ${this.conversations.length === 0 ? html`<p class="empty">${w.t("sms.none")}</p>` : nothing}
      <ul aria-label=${w.t("sms.conversations")}>
        ${this.conversations.map(
          (c) =>
            html`<li>
              <button class="conv" data-remote=${c.remote} @click=${() => this.show(c.remote)}>
                ${avatar(c.name || c.remote)}
                <span class="who">${describeParty(w, c.remote, c.name)}</span>
                ${c.unread ? html`<span class="badge" aria-label=${w.t("views.unread", { count: c.unread })}>${c.unread}</span>` : html`<span></span>`}
                <span class="preview">${c.last.direction === "out" ? w.t("sms.you", { text: c.last.text }) : c.last.text}</span>
              </button>
            </li>`,
        )}
      </ul>
    `;
  }

  private renderConversation() {
    const c = this.current;
    const w = this.words;
    const title = c ? describeParty(w, c.remote, c.name) : w.t("sms.new");
    return html`
      <div class="row"><button @click=${() => this.show(undefined)}>${backIcon}${w.t("sms.back")}</button> <strong>${title}</strong></div>
      ${
        c
          ? html`<ul class="thread" aria-label=${w.t("sms.thread", { remote: c.remote })}>
              ${c.messages.map((m) => this.renderMessage(m))}
            </ul>`
          : nothing
      }
      <form aria-label=${w.t("sms.write")} @submit=${(e: Event) => this.send(e, c)}>
        ${
          c
            ? nothing
            : html`<input
                aria-label=${w.t("sms.to")}
                placeholder=${w.t("dial.placeholder")}
                .value=${this.to}
                @input=${(e: Event) => (this.to = (e.target as HTMLInputElement).value)}
              />`
        }
        <textarea
          aria-label=${w.t("sms.message")}
          rows="3"
          .value=${this.draft}
          @input=${(e: Event) => (this.draft = (e.target as HTMLTextAreaElement).value)}
        ></textarea>
        <button class="primary" type="submit">${sendIcon}${w.t("sms.send")}</button>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      </form>
    `;
  }

  private renderMessage(m: StoredMessage) {
    const w = this.words;
    const status =
      m.status === "failed" && m.failure ? describeMessageFailure(w, m.failure as MessageFailure) : describeMessageStatus(w, m.status);
    const time = w.time(m.at);
    return html`<li class="msg" data-direction=${m.direction} data-status=${m.status} data-id=${m.id}>
      <span class="text">${m.text}</span>
      <span class="meta">${time}${status ? ` · ${status}` : ""}</span>
    </li>`;
  }

  private show(remote: string | undefined): void {
    this.open = remote;
    this.error = "";
  }

  private async send(e: Event, c: Conversation | undefined): Promise<void> {
    e.preventDefault();
    const target = c?.remote ?? this.to.trim();
    const text = this.draft;
    if (!target) return void (this.error = this.words.t("sms.needTarget"));
    if (!text.trim()) return;
    this.error = "";
    this.draft = "";
    const sent = this.phone.phone?.sendMessage(target, text, { lineId: c?.lineId ?? this.lineId });
    // The conversation opens at once; how the message fares shows on it (message events, stored).
    if (!c) {
      this.to = "";
      this.open = target;
    }
    try {
      await sent;
    } catch (err) {
      const code = (err as { code?: string }).code;
      // A refusal by the other side shows on the message itself; anything else here.
      if (code !== "message-failed" && code !== "no-line") this.error = describePhoneError(this.words, err);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-conversations": SipConversations;
  }
}
