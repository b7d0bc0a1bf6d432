import { consume } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { Contact } from "../storage/contacts-store.js";
import { appContext, type AppService } from "./app-context.js";
import { PhoneStateController } from "./phone-state-controller.js";
import "./busy-lamps.js";
import { english } from "../i18n/languages.js";
import { describeLamp, describePhoneError, describeStorageTrouble } from "./messages.js";
import { wordsContext } from "./words-context.js";
// Icons through shared-styles.js, not icons.js: see the note there.
import { avatar, avatarStyles, listStyles, buttonStyles, fieldStyles, phoneIcon, plusIcon, trashIcon } from "./shared-styles.js";

/** A simple address book: name, several numbers, notes; call any number. */
@customElement("sip-contacts")
export class SipContacts extends LitElement {
  static override styles = [
    buttonStyles,
    fieldStyles,
    avatarStyles,
    listStyles,
    css`
      :host {
        display: grid;
        gap: var(--sip-space-4);
      }
      li {
        display: grid;
        grid-template-columns: auto minmax(0, 1fr);
        gap: var(--sip-space-1) var(--sip-space-3);
        padding: var(--sip-space-3) 0;
        border-bottom: 1px solid var(--sip-border);
      }
      li > * {
        grid-column: 2;
      }
      li > .avatar {
        grid-column: 1;
        grid-row: 1 / span 3;
      }
      .name {
        font-weight: 600;
        align-self: center;
        overflow-wrap: anywhere;
      }
      .numbers {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--sip-space-2);
      }
      .numbers button {
        min-height: 2.25rem;
        font-size: var(--sip-text-sm);
      }
      .numbers button.edit {
        border-color: transparent;
        background: transparent;
        color: var(--sip-link);
      }
      .lamp {
        font-size: var(--sip-text-sm);
        color: var(--sip-muted);
      }
      .lamp.idle {
        color: var(--sip-state-registered);
      }
      .lamp.ringing {
        color: var(--sip-state-ringing);
      }
      .lamp.busy {
        color: var(--sip-state-error);
      }
      .notes {
        font-size: var(--sip-text-sm);
        color: var(--sip-muted);
        white-space: pre-line;
      }
      form {
        display: grid;
        gap: var(--sip-space-3);
      }
      label {
        font-weight: 600;
        display: grid;
        gap: var(--sip-space-1);
      }
      input,
      textarea {
        font-weight: normal;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: var(--sip-space-2);
      }
      .row input[type="tel"] {
        flex: 1;
      }
      .error {
        color: var(--sip-danger);
      }
    `,
  ];

  @consume({ context: appContext, subscribe: true }) app?: AppService;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  private readonly phone = new PhoneStateController(this);
  @state() private contacts: Contact[] = [];
  @state() private editing: Contact | undefined;
  /** Why the list could not be read: goes with the next read that works. */
  @state() private listError = "";
  /** What is wrong with the form, or why the last action failed: goes when the form opens or closes. */
  @state() private error = "";
  private unsubscribe: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.unsubscribe = this.app?.on("contacts-changed", () => void this.load());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.lampsOff?.();
    this.lampsOff = undefined;
  }

  /** Busy lamps beside the numbers: repainted on `presence` events (few contacts, so all of them). */
  private lampsOff: (() => void) | undefined;
  override updated(): void {
    const phone = this.phone.phone;
    if (phone && !this.lampsOff) this.lampsOff = phone.on("presence", () => this.requestUpdate());
  }

  private lamp(number: string) {
    const lamp = this.phone.phone?.watched.find((w) => w.target === number);
    return lamp ? html`<span class="lamp ${lamp.state}">${describeLamp(this.words, lamp)}</span>` : nothing;
  }

  private async load(): Promise<void> {
    if (!this.app) return;
    try {
      this.contacts = await this.app.listContacts();
      this.listError = "";
    } catch (e) {
      this.listError = describeStorageTrouble(this.words, this.words.t("contacts.readThem"), e);
    }
  }

  /** Opens the form on `c`, or closes it: what the last form or action said goes with it. */
  private edit(c: Contact | undefined): void {
    this.editing = c;
    this.error = "";
  }

  override render() {
    if (this.editing) return this.renderForm(this.editing);
    const w = this.words;
    return html`
      <button
        class="primary"
        @click=${() => this.edit({ id: `ct-${Date.now().toString(36)}`, name: "", numbers: [{ label: w.t("contacts.work"), number: "" }] })}
      >
        ${plusIcon}${w.t("contacts.add")}
      </button>
      <sip-busy-lamps></sip-busy-lamps>
      ${this.contacts.length === 0 && !this.listError ? html`<p class="empty">${w.t("contacts.none")}</p>` : nothing}
      <ul aria-label=${w.t("contacts.list")}>
        ${this.contacts.map(
          (c) =>
            html`<li>
              ${avatar(c.name)}
              <div class="name">${c.name}</div>
              <div class="numbers">
                ${c.numbers.map(
                  (n) =>
                    html`<button
                        aria-label=${w.t("contacts.callNumber", { name: c.name, label: n.label, number: n.number })}
                        @click=${() => this.call(n.number)}
                      >
                        ${phoneIcon}${n.label}: ${n.number}</button
                      >${this.lamp(n.number)}`,
                )}
                <button class="edit" aria-label=${w.t("contacts.editName", { name: c.name })} @click=${() => this.edit(structuredClone(c))}>
                  ${w.t("contacts.edit")}
                </button>
              </div>
              ${c.notes ? html`<div class="notes">${c.notes}</div>` : nothing}
            </li>`,
        )}
      </ul>
      ${this.listError ? html`<p class="error" role="alert">${this.listError}</p>` : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    `;
  }

  private renderForm(c: Contact) {
    const set = (patch: Partial<Contact>) => (this.editing = { ...c, ...patch });
    const w = this.words;
    return html`<form aria-label=${w.t("contacts.form")} @submit=${(e: Event) => this.save(e, c)}>
      <label
        >${w.t("contacts.name")} <input .value=${c.name} @input=${(e: Event) => set({ name: (e.target as HTMLInputElement).value })}
      /></label>
      ${c.numbers.map(
        (n, i) =>
          html`<div class="row">
            <input
              aria-label=${w.t("contacts.numberLabel", { n: i + 1 })}
              .value=${n.label}
              size="8"
              @input=${(e: Event) => set({ numbers: c.numbers.map((x, j) => (j === i ? { ...x, label: (e.target as HTMLInputElement).value } : x)) })}
            />
            <input
              aria-label=${w.t("contacts.numberN", { n: i + 1 })}
              type="tel"
              .value=${n.number}
              @input=${(e: Event) => set({ numbers: c.numbers.map((x, j) => (j === i ? { ...x, number: (e.target as HTMLInputElement).value } : x)) })}
            />
            <button
              type="button"
              aria-label=${w.t("contacts.removeNumber", { n: i + 1 })}
              @click=${() => set({ numbers: c.numbers.filter((_, j) => j !== i) })}
            >
              ✕
            </button>
          </div>`,
      )}
      <button type="button" @click=${() => set({ numbers: [...c.numbers, { label: w.t("contacts.mobile"), number: "" }] })}>
        ${w.t("contacts.addNumber")}
      </button>
      <label
        >${w.t("contacts.notes")}
        <textarea .value=${c.notes ?? ""} @input=${(e: Event) => set({ notes: (e.target as HTMLTextAreaElement).value })}></textarea>
      </label>
      <div class="row">
        <button class="primary" type="submit">${w.t("form.save")}</button>
        <button type="button" @click=${() => this.edit(undefined)}>${w.t("form.cancel")}</button>
        ${this.contacts.some((x) => x.id === c.id) ? html`<button type="button" class="hangup" @click=${() => this.remove_(c)}>${trashIcon}${w.t("form.delete")}</button>` : nothing}
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    </form>`;
  }

  private async save(e: Event, c: Contact): Promise<void> {
    e.preventDefault();
    const numbers = c.numbers
      .map((n) => ({ label: n.label.trim() || this.words.t("contacts.phone"), number: n.number.trim() }))
      .filter((n) => n.number);
    if (!c.name.trim()) return void (this.error = this.words.t("contacts.needName"));
    if (!numbers.length) return void (this.error = this.words.t("contacts.needNumber"));
    this.error = "";
    try {
      await this.app!.saveContact({
        ...c,
        name: c.name.trim(),
        numbers,
        ...(c.notes?.trim() ? { notes: c.notes.trim() } : { notes: undefined }),
      });
      this.edit(undefined);
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  private async remove_(c: Contact): Promise<void> {
    this.error = "";
    try {
      await this.app!.deleteContact(c.id);
      this.edit(undefined);
    } catch (e) {
      // Named as saved, not as half-edited in the form.
      const name = this.contacts.find((x) => x.id === c.id)?.name || c.name.trim() || this.words.t("contacts.thisContact");
      this.error = describeStorageTrouble(this.words, this.words.t("contacts.deleteIt", { name }), e);
    }
  }

  private call(number: string): void {
    this.phone.phone?.dial(number).catch((e: unknown) => (this.error = describePhoneError(this.words, e)));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-contacts": SipContacts;
  }
}
