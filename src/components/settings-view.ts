import { consume } from "@lit/context";
import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { english } from "../i18n/languages.js";
import { wordsContext } from "./words-context.js";
import "./audio-settings.js";
import "./camera-setting.js";
import "./settings-general.js";
import "./headset-connect.js";
import "./ringtone-settings.js";

/** The Settings tab: preferences of this browser that are not a line's (Audio so far). Loaded on first use. */
@customElement("sip-settings")
export class SipSettings extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      gap: 0.8rem;
    }
    h2 {
      font-size: 1.05em;
      margin: 0 0 0.5rem;
    }
  `;

  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;

  override render() {
    return html`<section aria-labelledby="audio-heading">
        <h2 id="audio-heading">${this.words.t("settings.audio")}</h2>
        <sip-audio-settings></sip-audio-settings>
      </section>
      <section aria-labelledby="video-heading">
        <h2 id="video-heading">${this.words.t("settings.video")}</h2>
        <sip-camera-setting></sip-camera-setting>
      </section>
      <section aria-labelledby="ringtones-heading">
        <h2 id="ringtones-heading">${this.words.t("ringtone.heading")}</h2>
        <sip-ringtone-settings></sip-ringtone-settings>
      </section>
      <section aria-labelledby="headset-heading">
        <h2 id="headset-heading">${this.words.t("headset.heading")}</h2>
        <sip-headset-connect></sip-headset-connect>
      </section>
      <section aria-labelledby="general-heading">
        <h2 id="general-heading">${this.words.t("general.heading")}</h2>
        <sip-settings-general></sip-settings-general>
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-settings": SipSettings;
  }
}
