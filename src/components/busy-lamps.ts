import { consume } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { english } from "../i18n/languages.js";
import { repeat } from "lit/directives/repeat.js";
import type { PresenceSnapshot } from "../sip/api/presence-state.js";
import { appContext, type AppService } from "./app-context.js";
import { describeLamp, describePickupError } from "./messages.js";
import { PhoneStateController } from "./phone-state-controller.js";
import { buttonStyles, fieldStyles } from "./shared-styles.js";
import { wordsContext } from "./words-context.js";

/**
 * One busy lamp: the watched party, its state as a word and a colour (never the colour alone),
 * and Pick up while it rings. Its own element so that a NOTIFY repaints one lamp, not the panel.
 */
@customElement("sip-busy-lamp")
export class SipBusyLamp extends LitElement {
  static override styles = [
    buttonStyles,
    css`
      :host {
        display: flex;
        align-items: center;
        gap: var(--sip-space-2);
        min-height: 2.5rem;
      }
      .dot {
        inline-size: 0.625rem;
        block-size: 0.625rem;
        border-radius: 50%;
        background: var(--sip-muted);
        flex: none;
      }
      .idle .dot {
        background: var(--sip-state-registered);
      }
      .ringing .dot {
        background: var(--sip-state-ringing);
      }
      .busy .dot {
        background: var(--sip-state-error);
      }
      .who {
        font-weight: 600;
      }
      .state {
        color: var(--sip-muted);
        font-size: var(--sip-text-sm);
        flex: 1;
      }
      .ringing .state {
        color: var(--sip-state-ringing);
        font-weight: 600;
      }
      button {
        min-height: 2rem;
        padding-block: var(--sip-space-1);
      }
      button:last-child {
        min-width: 2rem;
        padding-inline: var(--sip-space-2);
        border-color: transparent;
        background: transparent;
        color: var(--sip-muted);
      }
      .row {
        display: contents;
      }
    `,
  ];

  @property({ attribute: false }) lamp: PresenceSnapshot | undefined;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;

  override render() {
    const lamp = this.lamp;
    if (!lamp) return nothing;
    const w = this.words;
    // Text only: the server's words (remote) go in as text, never as markup (Lit escapes them).
    return html`<span class="row ${lamp.state}" part="lamp">
      <span class="dot" aria-hidden="true"></span>
      <span class="who">${lamp.target}</span>
      <span class="state" role="status">${describeLamp(w, lamp)}</span>
      ${
        lamp.state === "ringing"
          ? html`<button
              aria-label=${w.t("lamp.pickUpCall", { target: lamp.target })}
              @click=${() => this.dispatchEvent(new CustomEvent("lamp-pickup"))}
            >
              ${w.t("lamp.pickUp")}
            </button>`
          : nothing
      }
      <button
        aria-label=${w.t("lamp.stopWatching", { target: lamp.target })}
        @click=${() => this.dispatchEvent(new CustomEvent("lamp-remove"))}
      >
        ×
      </button>
    </span>`;
  }
}

/**
 * The busy-lamp panel: every watched party at a glance, a field to watch one more. Each lamp is
 * a child element updated in place from `presence` events; the list re-renders only when a
 * party is added or removed.
 */
@customElement("sip-busy-lamps")
export class SipBusyLamps extends LitElement {
  static override styles = [
    buttonStyles,
    fieldStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));
        gap: 0 var(--sip-space-4);
      }
      form {
        display: flex;
        gap: var(--sip-space-2);
        margin-block-start: var(--sip-space-2);
      }
      input {
        flex: 1;
      }
      .error {
        color: var(--sip-danger);
      }
    `,
  ];

  private readonly phone = new PhoneStateController(this);
  /** Watching and unwatching go through the app, which keeps the list across reloads. */
  @consume({ context: appContext, subscribe: true }) app?: AppService;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  @state() private targets: string[] = [];
  @state() private error = "";
  private lamps = new Map<string, PresenceSnapshot>();
  private unsubscribe: (() => void) | undefined;

  override updated(): void {
    const phone = this.phone.phone;
    if (!phone || this.unsubscribe) return;
    for (const lamp of phone.watched) this.lamps.set(lamp.target, lamp);
    this.targets = [...this.lamps.keys()];
    this.unsubscribe = phone.on("presence", (lamp) => this.onLamp(lamp));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  override render() {
    const w = this.words;
    return html`<ul aria-label=${w.t("lamp.list")}>
        ${repeat(
          this.targets,
          (t) => t,
          (t) =>
            html`<li>
              <sip-busy-lamp
                data-target=${t}
                .lamp=${this.lamps.get(t)}
                @lamp-pickup=${() => this.pickup(t)}
                @lamp-remove=${() => this.stopWatching(t)}
              ></sip-busy-lamp>
            </li>`,
        )}
      </ul>
      <form @submit=${this.add}>
        <input name="target" aria-label=${w.t("lamp.numberToWatch")} placeholder=${w.t("lamp.watchPlaceholder")} autocomplete="off" />
        <button type="submit">${w.t("lamp.watch")}</button>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}`;
  }

  private onLamp(lamp: PresenceSnapshot): void {
    const known = this.lamps.has(lamp.target);
    this.lamps.set(lamp.target, lamp);
    if (!known) {
      this.targets = [...this.lamps.keys()];
      return;
    }
    // One lamp changed: that element alone repaints.
    const el = this.renderRoot.querySelector<SipBusyLamp>(`sip-busy-lamp[data-target="${CSS.escape(lamp.target)}"]`);
    if (el) el.lamp = lamp;
  }

  private add(e: SubmitEvent): void {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem("target") as HTMLInputElement;
    const target = input.value.trim();
    if (!target) return;
    this.error = "";
    this.app?.watch(target).then(
      () => (input.value = ""),
      (err: Error) => (this.error = describePickupError(this.words, err)),
    );
  }

  private stopWatching(target: string): void {
    this.lamps.delete(target);
    this.targets = [...this.lamps.keys()];
    this.app?.unwatch(target).catch((err: Error) => (this.error = describePickupError(this.words, err)));
  }

  private pickup(target: string): void {
    this.error = "";
    this.phone.phone?.pickup(target).catch((err: unknown) => (this.error = describePickupError(this.words, err)));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-busy-lamp": SipBusyLamp;
    "sip-busy-lamps": SipBusyLamps;
  }
}
