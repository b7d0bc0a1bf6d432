import { consume } from "@lit/context";
import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { english } from "../i18n/languages.js";
import { wordsContext } from "./words-context.js";
import { buttonStyles } from "./shared-styles.js";

/** The `sip-headset-connect` event's detail: `<sip-phone>` (headset-buttons.ts) puts its answer in. */
export interface HeadsetConnectRequest {
  result?: Promise<string[]>;
}

declare global {
  interface HTMLElementEventMap {
    "sip-headset-connect": CustomEvent<HeadsetConnectRequest>;
  }
  interface HTMLElementTagNameMap {
    "sip-headset-connect": SipHeadsetConnect;
  }
}

/**
 * Settings → Headset buttons: "Connect headset", the explicit gesture WebHID asks for
 * (requestDevice). Where the browser has no WebHID it says what works instead.
 */
@customElement("sip-headset-connect")
export class SipHeadsetConnect extends LitElement {
  static override styles = [
    buttonStyles,
    css`
      :host {
        display: grid;
        gap: 0.4rem;
      }
      p {
        margin: 0;
      }
      .note {
        font-size: 0.9em;
        color: var(--sip-muted, #57606a);
      }
    `,
  ];

  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  @state() private status = "";
  @state() private busy = false;

  override render() {
    const hid = "hid" in navigator;
    const w = this.words;
    return html`<p class="note">${w.t("headset.intro")}</p>
      ${
        hid
          ? html`<div><button type="button" ?disabled=${this.busy} @click=${this.connect}>${w.t("headset.connect")}</button></div>`
          : html`<p class="note">${w.t("headset.noWebHid")}</p>`
      }
      <p role="status">${this.status}</p>`;
  }

  private async connect(): Promise<void> {
    const request: HeadsetConnectRequest = {};
    this.dispatchEvent(new CustomEvent("sip-headset-connect", { detail: request, bubbles: true, composed: true }));
    if (!request.result) return;
    this.busy = true;
    try {
      const names = await request.result;
      this.status = names.length
        ? this.words.t("headset.connected", { names: this.words.list(names) })
        : this.words.t("headset.noneChosen");
    } catch (e) {
      this.status =
        (e as Error).name === "NotTelephonyError"
          ? this.words.t("headset.notTelephony")
          : this.words.t("headset.failed", { why: (e as Error).message });
    } finally {
      this.busy = false;
    }
  }
}
