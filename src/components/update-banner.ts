import { html, nothing } from "lit";

/**
 * "A new version is ready": the service worker found an update (app/pwa.ts calls
 * `<sip-phone>.announceUpdate`). The user decides; an update accepted during a call is applied
 * once the last call has ended, never in the middle of one.
 */
export class UpdateBanner {
  private pending: { apply: () => void; waiting: boolean } | undefined;

  constructor(
    private readonly host: { requestUpdate(): void },
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
    return html`<p class="notice" part="update" role="status">
      ${
        this.pending.waiting
          ? "The new version will be installed when your calls have ended."
          : html`A new version of the phone is ready.
              <button @click=${() => this.apply()}>Update now</button>
              <button
                @click=${() => {
                  this.pending = undefined;
                  this.host.requestUpdate();
                }}
              >
                Later
              </button>`
      }
    </p>`;
  }
}
