import { consume } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { MessageFailure } from "../sip/api/text-message.js";
import type { StoredMessage } from "../storage/message-store.js";
import { appContext, type AppService } from "./app-context.js";
import { conversationsOf, type Conversation } from "./conversations.js";
import { describeMessageFailure, MESSAGE_STATUS_TEXT } from "./messages.js";
import { PhoneStateController } from "./phone-state-controller.js";
import { buttonStyles } from "./shared-styles.js";

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
    css`
      :host {
        display: grid;
        gap: 0.6rem;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 0.3rem;
      }
      .conv {
        width: 100%;
        text-align: left;
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 0.1rem 0.5rem;
      }
      .preview {
        grid-column: 1 / 3;
        color: var(--sip-muted, #57606a);
        font-size: 0.9em;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .badge {
        background: var(--sip-accent, #1f6feb);
        color: #fff;
        border-radius: 999px;
        padding: 0 0.5em;
        font-size: 0.8em;
      }
      .thread {
        max-height: 22rem;
        overflow-y: auto;
      }
      .msg {
        max-width: 85%;
        padding: 0.35em 0.6em;
        border-radius: 10px;
        background: var(--sip-button-bg, #f6f8fa);
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .msg[data-direction="out"] {
        justify-self: end;
        background: #ddf4ff;
      }
      .meta {
        display: block;
        font-size: 0.75em;
        color: var(--sip-muted, #57606a);
      }
      .msg[data-status="failed"] .meta {
        color: #cf222e;
      }
      form {
        display: grid;
        gap: 0.4rem;
      }
      input,
      textarea {
        font: inherit;
        padding: 0.3em 0.4em;
        border-radius: 6px;
        border: 1px solid var(--sip-border, #c9d1d9);
      }
      .error {
        color: #cf222e;
      }
    `,
  ];

  @consume({ context: appContext, subscribe: true }) app?: AppService;
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
    return html`
      <button class="call" @click=${() => this.show("")}>New message</button>
      ${this.conversations.length === 0 ? html`<p>No messages yet.</p>` : nothing}
      <ul aria-label="Conversations">
        ${this.conversations.map(
          (c) =>
            html`<li>
              <button class="conv" data-remote=${c.remote} @click=${() => this.show(c.remote)}>
                <span class="who">${c.name ? `${c.name} (${c.remote})` : c.remote}</span>
                ${c.unread ? html`<span class="badge" aria-label="${c.unread} unread">${c.unread}</span>` : html`<span></span>`}
                <span class="preview">${c.last.direction === "out" ? "You: " : ""}${c.last.text}</span>
              </button>
            </li>`,
        )}
      </ul>
    `;
  }

  private renderConversation() {
    const c = this.current;
    const title = c ? (c.name ? `${c.name} (${c.remote})` : c.remote) : "New message";
    return html`
      <div class="row"><button @click=${() => this.show(undefined)}>Back</button> <strong>${title}</strong></div>
      ${
        c
          ? html`<ul class="thread" aria-label="Messages with ${c.remote}">
              ${c.messages.map((m) => this.renderMessage(m))}
            </ul>`
          : nothing
      }
      <form aria-label="Write a message" @submit=${(e: Event) => this.send(e, c)}>
        ${
          c
            ? nothing
            : html`<input
                aria-label="To"
                placeholder="Number or SIP address"
                .value=${this.to}
                @input=${(e: Event) => (this.to = (e.target as HTMLInputElement).value)}
              />`
        }
        <textarea
          aria-label="Message"
          rows="3"
          .value=${this.draft}
          @input=${(e: Event) => (this.draft = (e.target as HTMLTextAreaElement).value)}
        ></textarea>
        <button class="call" type="submit">Send</button>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      </form>
    `;
  }

  private renderMessage(m: StoredMessage) {
    const status =
      m.status === "failed" && m.failure ? describeMessageFailure(m.failure as MessageFailure) : (MESSAGE_STATUS_TEXT[m.status] ?? "");
    const time = new Date(m.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
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
    if (!target) return void (this.error = "Enter a number or address");
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
      if (code !== "message-failed" && code !== "no-line") this.error = (err as Error).message;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-conversations": SipConversations;
  }
}
