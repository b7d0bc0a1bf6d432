import { LitElement, css, html } from "lit";
import { customElement } from "lit/decorators.js";
import "./audio-settings.js";
import "./settings-general.js";
import { GENERAL_WORDS } from "./settings-general-words.js";

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

  override render() {
    return html`<section aria-labelledby="audio-heading">
        <h2 id="audio-heading">Audio</h2>
        <sip-audio-settings></sip-audio-settings>
      </section>
      <section aria-labelledby="general-heading">
        <h2 id="general-heading">${GENERAL_WORDS.heading}</h2>
        <sip-settings-general></sip-settings-general>
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-settings": SipSettings;
  }
}
