import { html, nothing } from "lit";
import { wordsFor } from "../i18n/languages.js";

/**
 * "A new version is ready": the service worker found an update (app/pwa.ts calls
 * `<sip-phone>.announceUpdate`). The user decides; an update accepted during a call is applied
 * once the last call has ended, never in the middle of one.
 */
export class UpdateBanner {
  private pending: { apply: () => void; waiting: boolean } | undefined;

  constructor(
    /** `<sip-phone>`: it repaints, and speaks `language` (SipPhone.language). */
    private readonly host: { requestUpdate(): void; readonly language?: string },
    /** Whether a call is still up. */
    private readonly inCall: () => boolean,
  ) {}

  announce(apply: () => void): void {
    this.pending = { apply, waiting: false };
    this.host.requestUpdate();
  }

  /** A call changed: an accepted update waiting for the calls to end is applied now if it can. */
  callsChanged(): void {
    if (this.pending?.waiting && !this.inCall()) this.apply();
  }

  private apply(): void {
    const update = this.pending;
    if (!update) return;
    if (this.inCall()) {
      this.pending = { ...update, waiting: true };
    } else {
      this.pending = undefined;
      update.apply();
    }
    this.host.requestUpdate();
  }

  render() {
    if (!this.pending) return nothing;
    const w = wordsFor(this.host.language);
    return html`<p class="notice" part="update" role="status">
      ${
        this.pending.waiting
          ? w.t("update.waiting")
          : html`${w.t("update.ready")}
              <button @click=${() => this.apply()}>${w.t("update.now")}</button>
              <button
                @click=${() => {
                  this.pending = undefined;
                  this.host.requestUpdate();
                }}
              >
                ${w.t("update.later")}
              </button>`
      }
    </p>`;
  }
}
