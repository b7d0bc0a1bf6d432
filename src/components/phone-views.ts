import { html, nothing } from "lit";

/** Views other than the dialpad load on first use, to keep the first load small. */
const VIEW_MODULES = {
  history: () => import("./history-list.js"),
  messages: () => import("./conversations-view.js"),
  contacts: () => import("./contacts-view.js"),
  lines: () => import("./lines-editor.js"),
  settings: () => import("./settings-view.js"),
};

export type View = "phone" | "history" | "messages" | "contacts" | "lines" | "settings";
const VIEWS: readonly string[] = ["phone", "history", "messages", "contacts", "lines", "settings"];

/** `<sip-phone>`: it repaints, and shows a notice when a module cannot be loaded. */
interface NoticeHost {
  requestUpdate(): void;
  showNotice(text: string, kind: "info" | "error"): void;
}

/**
 * The views of `<sip-phone>` (the dialpad, history, messages, contacts, lines), their tabs, and
 * loading each on first use.
 */
export class PhoneViews {
  private view: View = "phone";

  constructor(
    private readonly host: NoticeHost,
    /** A view was opened (by a tab or showView): the account form closes, counts refresh. */
    private readonly opened: () => void,
  ) {}

  get current(): View {
    return this.view;
  }

  /** Opens `view`; anything that is not a view's name is ignored (see SipPhone.showView). */
  open(view: View): void {
    if (VIEWS.includes(view)) this.show(view);
  }

  /**
   * The tab bar; `selected`: a view is shown (not the account form). The History and Messages
   * tabs carry the missed and unread counts.
   */
  renderTabs(selected: boolean, counts: { missed: number; unread: number }) {
    const tab = (view: View, label: unknown) =>
      html`<button role="tab" aria-selected=${this.view === view && selected ? "true" : "false"} @click=${() => this.show(view)}>
        ${label}
      </button>`;
    const { missed, unread } = counts;
    return html`<nav role="tablist" aria-label="Views" part="tabs">
      ${tab("phone", "Phone")}
      ${tab("history", html`History${missed ? html`<span class="badge" aria-label="${missed} missed">${missed}</span>` : nothing}`)}
      ${tab("messages", html`Messages${unread ? html`<span class="badge" aria-label="${unread} unread">${unread}</span>` : nothing}`)}
      ${tab("contacts", "Contacts")} ${tab("lines", "Lines")} ${tab("settings", "Settings")}
    </nav>`;
  }

  /** The open view; the dialpad gives way to the call's own keypad while a call is up (`inCall`). */
  renderView(inCall: boolean, lineId: string | undefined) {
    switch (this.view) {
      case "history":
        return html`<sip-history></sip-history>`;
      case "contacts":
        return html`<sip-contacts></sip-contacts>`;
      case "messages":
        return html`<sip-conversations .lineId=${lineId}></sip-conversations>`;
      case "lines":
        return html`<sip-lines-editor></sip-lines-editor>`;
      case "settings":
        return html`<sip-settings></sip-settings>`;
      default:
        return inCall ? nothing : html`<sip-dialpad part="dialpad" .lineId=${lineId}></sip-dialpad>`;
    }
  }

  private show(view: View): void {
    if (view !== "phone") {
      VIEW_MODULES[view]().catch((e: Error) => this.host.showNotice(`Could not load this view: ${e.message}`, "error"));
    }
    this.view = view;
    this.host.requestUpdate();
    this.opened();
  }
}
