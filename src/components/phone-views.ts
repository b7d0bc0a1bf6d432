import { html, nothing } from "lit";
import { loadViewWords, wordsFor } from "../i18n/languages.js";
import { reportMissingWords } from "../i18n/words.js";
import { getLogger } from "../sip/core/logger.js";
import { tabIcon } from "./icons.js";

// A message missing at run time (a bug: a view rendered before its words) goes to the phone's
// log and diagnostics file; src/i18n may not import the logger itself (eslint layers), and this
// is the module that loads the views' words.
const wordsLog = getLogger("words");
reportMissingWords((lang, id) => wordsLog.warn(`no message "${id}" in "${lang}": its id is shown`));

/**
 * Views other than the dialpad load on first use, to keep the first load small; their words
 * too (src/i18n/en-views.ts, loadViewWords), fetched beside the first view's module.
 */
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
  /** The language it speaks (SipPhone.language). */
  readonly language?: string;
  requestUpdate(): void;
  showNotice(text: string, kind: "info" | "error"): void;
}

/**
 * The views of `<sip-phone>` (the dialpad, history, messages, contacts, lines), their tabs, and
 * loading each on first use.
 */
export class PhoneViews {
  private view: View = "phone";
  /**
   * The views whose module and words are both here. A view renders only then: its module
   * defines the element as it is evaluated, which may be before the views' words have come.
   */
  private readonly ready = new Set<View>();
  /**
   * Two panes (wide-layout.ts): the dialpad has a pane of its own, so it has no tab, and the
   * view pane shows the history while "phone" is the open view.
   */
  private twoPanes = false;

  constructor(
    private readonly host: NoticeHost,
    /** A view was opened (by a tab or showView): the account form closes, counts refresh. */
    private readonly opened: () => void,
  ) {}

  /** The view on screen: with two panes, the history stands for the dialpad's view. */
  get current(): View {
    return this.twoPanes && this.view === "phone" ? "history" : this.view;
  }

  /** Two panes or one (SipPhone follows its width, wide-layout.ts). */
  set wide(wide: boolean) {
    if (wide === this.twoPanes) return;
    this.twoPanes = wide;
    if (wide && this.view === "phone") this.load("history");
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
      if (view === "phone" && this.twoPanes) return nothing;
      const open = this.current === view && selected;
      return html`<button
        role="tab"
        id="tab-${view}"
        aria-controls="view-panel"
        aria-selected=${open ? "true" : "false"}
        tabindex=${open || (!selected && view === this.order[0]) ? "0" : "-1"}
        @click=${() => this.show(view)}
      >
        ${tabIcon(view)} ${label}
      </button>`;
    };
    const { missed, unread } = counts;
    const w = wordsFor(this.host.language);
    return html`<nav role="tablist" aria-label=${w.t("views.label")} part="tabs" @keydown=${this.onTabKey}>
      ${tab("phone", w.t("views.phone"))}
      ${tab(
        "history",
        html`${w.t("views.history")}${missed ? html`<span class="badge" aria-label=${w.t("views.missed", { count: missed })}>${missed}</span>` : nothing}`,
      )}
      ${tab(
        "messages",
        html`${w.t("views.messages")}${unread ? html`<span class="badge" aria-label=${w.t("views.unread", { count: unread })}>${unread}</span>` : nothing}`,
      )}
      ${tab("contacts", w.t("views.contacts"))} ${tab("lines", w.t("views.lines"))} ${tab("settings", w.t("views.settings"))}
    </nav>`;
  }

  /** Arrow keys, Home and End on the tablist: the next tab opens and takes the focus. */
  private readonly onTabKey = (e: KeyboardEvent): void => {
    const order = this.order;
    const i = order.indexOf(this.current);
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
    return html`<div role="tabpanel" id="view-panel" aria-labelledby="tab-${this.current}" part="view">
      ${this.viewContent(inCall, lineId)}
    </div>`;
  }

  /** The dialpad, while no call is up (the call's own keypad sends tones then). */
  renderDialpad(inCall: boolean, lineId: string | undefined) {
    return inCall ? nothing : html`<sip-dialpad part="dialpad" .lineId=${lineId}></sip-dialpad>`;
  }

  /** The tabs in order: the dialpad's first, unless it has a pane of its own. */
  private get order(): readonly View[] {
    const all = VIEWS as readonly View[];
    return this.twoPanes ? all.filter((v) => v !== "phone") : all;
  }

  private viewContent(inCall: boolean, lineId: string | undefined) {
    // Until its module and words are here the panel stays empty, as the element would (a few
    // ms; load() repaints then, or shows a notice).
    if (this.current !== "phone" && !this.ready.has(this.current)) return nothing;
    switch (this.current) {
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
        return this.renderDialpad(inCall, lineId);
    }
  }

  private show(view: View): void {
    if (view !== "phone") this.load(view);
    this.view = view;
    this.host.requestUpdate();
    this.opened();
  }

  private load(view: Exclude<View, "phone">): void {
    if (this.ready.has(view)) return;
    Promise.all([VIEW_MODULES[view](), loadViewWords()]).then(
      () => {
        if (this.ready.has(view)) return;
        this.ready.add(view);
        this.host.requestUpdate();
      },
      (e: Error) => this.host.showNotice(wordsFor(this.host.language).t("views.loadFailed", { why: e.message }), "error"),
    );
  }
}
