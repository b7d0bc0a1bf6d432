import { html, nothing } from "lit";
import { tabIcon } from "./icons.js";

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
    // A real tablist (WAI-ARIA APG "Tabs"): the open view's tab is the one in the tab order
    // (roving tabindex), arrow keys, Home and End move between the tabs and open them.
    const tab = (view: View, label: unknown) => {
      const open = this.view === view && selected;
      return html`<button
        role="tab"
        id="tab-${view}"
        aria-controls="view-panel"
        aria-selected=${open ? "true" : "false"}
        tabindex=${open || (!selected && view === "phone") ? "0" : "-1"}
        @click=${() => this.show(view)}
      >
        ${tabIcon(view)} ${label}
      </button>`;
    };
    const { missed, unread } = counts;
    return html`<nav role="tablist" aria-label="Views" part="tabs" @keydown=${this.onTabKey}>
      ${tab("phone", "Phone")}
      ${tab("history", html`History${missed ? html`<span class="badge" aria-label="${missed} missed">${missed}</span>` : nothing}`)}
      ${tab("messages", html`Messages${unread ? html`<span class="badge" aria-label="${unread} unread">${unread}</span>` : nothing}`)}
      ${tab("contacts", "Contacts")} ${tab("lines", "Lines")} ${tab("settings", "Settings")}
    </nav>`;
  }

  /** Arrow keys, Home and End on the tablist: the next tab opens and takes the focus. */
  private readonly onTabKey = (e: KeyboardEvent): void => {
    const order = VIEWS as readonly View[];
    const i = order.indexOf(this.view);
    const next =
      e.key === "ArrowRight"
        ? order[(i + 1) % order.length]
        : e.key === "ArrowLeft"
          ? order[(i - 1 + order.length) % order.length]
          : e.key === "Home"
            ? order[0]
            : e.key === "End"
              ? order[order.length - 1]
              : undefined;
    if (!next) return;
    e.preventDefault();
    const list = e.currentTarget as HTMLElement;
    this.show(next);
    // The tab buttons stay the same elements across renders: focus the new one once it is selected.
    requestAnimationFrame(() => list.querySelector<HTMLElement>(`#tab-${next}`)?.focus());
  };

  /** The open view; the dialpad gives way to the call's own keypad while a call is up (`inCall`). */
  renderView(inCall: boolean, lineId: string | undefined) {
    return html`<div role="tabpanel" id="view-panel" aria-labelledby="tab-${this.view}" part="view">
      ${this.viewContent(inCall, lineId)}
    </div>`;
  }

  private viewContent(inCall: boolean, lineId: string | undefined) {
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
