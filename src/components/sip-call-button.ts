import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { PlainId } from "../i18n/catalogue.js";
import type { CallSnapshot } from "../sip/api/call-state.js";
import { lineReady } from "../app/line-ready.js";
import { LanguageController } from "./language-controller.js";
import { describeCallOutcome, describePhoneError } from "./messages.js";
import { hangupIcon, phoneIcon } from "./icons.js";
import { buttonStyles, themeTokens } from "./shared-styles.js";
import type { SipPhone } from "./sip-phone.js";

const STATE_TEXT: Record<string, PlainId> = {
  dialing: "callState.dialing",
  ringing: "callState.ringing",
  established: "callState.established",
  terminating: "callState.terminating",
};

/**
 * "Call this number" for intranet pages: `<sip-call-button number="+43 (1) 505641">`. It dials
 * through the page's `<sip-phone>` (the one named by `for`, else the first on the page), so
 * several buttons share one phone and one registration per line. Shows its call's state and
 * hangs it up on a second click.
 */
@customElement("sip-call-button")
export class SipCallButton extends LitElement {
  // The phone's tokens, button look and handset: in the library they come in the chunk with Lit,
  // so a page with only call buttons loads them too (about 2.5 KiB gzip). Rules of its own
  // would keep that page smaller, but then Rolldown moves Lit out of the app's entry chunk
  // (see shared-styles.ts): the app's first load matters more.
  static override styles = [
    themeTokens,
    buttonStyles,
    css`
      :host {
        display: inline-flex;
        align-items: center;
        gap: 0.4em;
        font-family: var(--sip-font, inherit);
      }
      button {
        border-radius: var(--sip-radius-full);
      }
      [part="status"] {
        font-size: 0.9em;
      }
      .error {
        color: var(--sip-danger);
        font-size: 0.9em;
      }
    `,
  ];

  /** What to call: a number in any usual notation, a tel: or sip: URI. */
  @property() number = "";
  /** Its language: its `lang`, its ancestors', the browser's (not its phone's: it may sit elsewhere in the page). */
  private readonly language = new LanguageController(this);
  /** The same as `number` (for SIP addresses it reads better: `target="sip:support@pbx"`). */
  @property() target = "";
  /** The id of the `<sip-phone>` to use (default: the first on the page). */
  @property({ attribute: "for" }) phoneId = "";
  /** A line id; default: the phone's default line. */
  @property() line = "";
  /** browser, desk or reverse; default: the line's. */
  @property() mode: "" | "browser" | "desk" | "reverse" = "";
  /**
   * A configuration for a phone the button creates when the page has none (a page with only
   * "call support" buttons): one hidden `<sip-phone>`, shared by every button on the page.
   */
  @property({ attribute: "config-url" }) configUrl = "";
  /** The last call's end, shown for a few seconds. */
  @state() private ended = "";
  private endedTimer: ReturnType<typeof setTimeout> | undefined;
  @state() private call: CallSnapshot | undefined;
  @state() private error = "";
  private listening: SipPhone | undefined;
  /** A click is placing a call (waiting for the phone, its line, or the dial): another click must not place a second one. */
  private dialing = false;

  private get what(): string {
    return this.number || this.target;
  }

  private get phone(): SipPhone | undefined {
    const el = this.phoneId ? document.getElementById(this.phoneId) : document.querySelector("sip-phone");
    if (el?.tagName === "SIP-PHONE") return el as SipPhone;
    if (!el && this.configUrl && !this.phoneId) {
      const phone = document.createElement("sip-phone");
      phone.hidden = true;
      phone.setAttribute("config-url", this.configUrl);
      document.body.append(phone);
      return phone;
    }
    return undefined;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.listening?.removeEventListener("call-state", this.onCallState);
    this.listening = undefined;
  }

  private readonly onCallState = (e: CustomEvent<CallSnapshot>) => {
    if (e.detail.id !== this.call?.id) return;
    this.call = e.detail.state === "ended" ? undefined : e.detail;
    if (e.detail.state !== "ended") return;
    if (e.detail.failure) this.error = describeCallOutcome(this.language.words, e.detail.failure);
    else if (e.detail.message) this.error = e.detail.message;
    this.ended = this.language.words.t("callState.ended");
    clearTimeout(this.endedTimer);
    this.endedTimer = setTimeout(() => (this.ended = ""), 4000);
  };

  private async onClick(): Promise<void> {
    if (this.dialing) return;
    this.error = "";
    this.ended = "";
    const phone = this.phone;
    if (!phone) {
      this.error = this.language.words.t("button.noPhone");
      return;
    }
    if (this.call) {
      await phone.hangup(this.call.id).catch((e: unknown) => (this.error = describePhoneError(this.language.words, e)));
      return;
    }
    if (this.listening !== phone) {
      this.listening?.removeEventListener("call-state", this.onCallState);
      phone.addEventListener("call-state", this.onCallState);
      this.listening = phone;
    }
    this.dialing = true;
    try {
      // From the library the phone's code loads only when a <sip-phone> is in the page (lib.ts):
      // one the button has just created is defined (upgraded) a moment later.
      await customElements.whenDefined("sip-phone");
      await phone.ready;
      await lineReady(phone, CONNECT_WAIT_MS);
      const id = await phone.dial(this.what, { ...(this.line ? { lineId: this.line } : {}), ...(this.mode ? { mode: this.mode } : {}) });
      this.call = phone.calls.find((c) => c.id === id && c.state !== "ended");
    } catch (e) {
      this.error = describePhoneError(this.language.words, e);
    } finally {
      this.dialing = false;
    }
  }

  override render() {
    const c = this.call;
    const w = this.language.words;
    const state = c && STATE_TEXT[c.state] ? w.t(STATE_TEXT[c.state]!) : c?.state;
    return html`<button
        part="button"
        class=${c ? "hangup" : "call"}
        aria-label=${w.t(c ? "button.hangUp" : "button.call", { number: this.what })}
        @click=${this.onClick}
      >
        ${c ? hangupIcon : phoneIcon}<slot>${c ? w.t("call.hangup") : w.t("button.call", { number: this.what })}</slot>
      </button>
      ${c || this.ended ? html`<span part="status" role="status">${c ? state : this.ended}</span>` : nothing}
      ${this.error ? html`<span part="error" class="error" role="alert">${this.error}</span>` : nothing}`;
  }
}

/** How long a click waits for the phone to connect (a phone the button just created). */
const CONNECT_WAIT_MS = 10_000;

declare global {
  interface HTMLElementTagNameMap {
    "sip-call-button": SipCallButton;
  }
}
