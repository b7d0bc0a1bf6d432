import { LitElement, css, html } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { PhoneStateController } from "./phone-state-controller.js";
import { buttonStyles } from "./shared-styles.js";
import "./keypad.js";

/** How long an untouched, non-empty number keeps the phone off-hook (microphone open). */
const OFF_HOOK_IDLE_MS = 30_000;

/**
 * The number field and keypad. Typing takes the phone off-hook (microphone and connection
 * prepared, as a desk phone does when the handset is lifted) so that Call only sends the INVITE.
 */
@customElement("sip-dialpad")
export class SipDialpad extends LitElement {
  static override styles = [
    buttonStyles,
    css`
      form { display: grid; gap: 0.5rem; }
      .number { display: flex; gap: 0.4rem; }
      input { flex: 1; font-size: 1.4em; padding: 0.3em 0.5em; border-radius: 8px; border: 1px solid var(--sip-border, #c9d1d9); min-width: 0; }
      .error { color: #cf222e; min-height: 1.2em; margin: 0; }
      button.call { font-size: 1.1em; }
    `,
  ];

  /** Line to call from; the first line when not set. */
  @property({ attribute: "line" }) lineId?: string;
  @state() private number = "";
  @state() private error = "";
  @state() private busy = false;
  @query("input") private input!: HTMLInputElement;
  private readonly phone = new PhoneStateController(this);
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.setNumber("");
  }

  override render() {
    const noLine = this.phone.lines.length === 0;
    return html`<form @submit=${this.onSubmit}>
      <div class="number">
        <input
          type="tel"
          inputmode="tel"
          autocomplete="off"
          aria-label="Number to call"
          placeholder="Number or SIP address"
          .value=${this.number}
          @input=${(e: Event) => this.setNumber((e.target as HTMLInputElement).value)}
          @keydown=${this.onKeydown}
        />
        <button type="button" aria-label="Delete last digit" @click=${this.backspace} ?disabled=${!this.number}>⌫</button>
      </div>
      <sip-keypad action="Dial" @key-press=${(e: CustomEvent<string>) => this.appendKey(e.detail)}></sip-keypad>
      <p class="error" role="alert">${this.error}</p>
      <button class="call" type="submit" ?disabled=${this.busy || noLine}>Call</button>
    </form>`;
  }

  /** Sets the number from outside (links, paste, drag and drop). */
  setNumber(value: string): void {
    const was = this.number;
    this.number = value;
    this.error = "";
    clearTimeout(this.idleTimer);
    if (value && !was) this.phone.phone?.offHook(this.lineId);
    if (!value && was) this.phone.phone?.onHook();
    if (value) this.idleTimer = setTimeout(() => this.phone.phone?.onHook(), OFF_HOOK_IDLE_MS);
  }

  private appendKey(key: string): void {
    this.setNumber(this.number + key);
    this.input?.focus();
  }

  private backspace(): void {
    this.setNumber(this.number.slice(0, -1));
    this.input?.focus();
  }

  private onKeydown(e: KeyboardEvent): void {
    // Backspace and Enter behave natively in the input; Escape clears, as on a desk phone.
    if (e.key === "Escape") this.setNumber("");
  }

  private async onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    const phone = this.phone.phone;
    if (!phone || this.busy) return;
    this.busy = true;
    try {
      await phone.dial(this.number, { lineId: this.lineId });
      clearTimeout(this.idleTimer);
      this.number = "";
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-dialpad": SipDialpad;
  }
}
