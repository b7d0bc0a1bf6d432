import { consume } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { RingtoneInfo, RingtoneLibrary } from "../app/ringtone-library.js";
import { english } from "../i18n/languages.js";
import { BUILT_IN_RINGTONES, DEFAULT_ALERT_TONES, DEFAULT_RINGTONE } from "../config/ringtones.js";
import { appContext, type AccountView, type AppService } from "./app-context.js";
import { fileProblemText, RINGTONE_NAMES } from "./ringing-words.js";
import { wordsContext } from "./words-context.js";
import { buttonStyles } from "./shared-styles.js";
import { settingsFieldStyles } from "./settings-styles.js";

/** Which select a preview plays: a line's ringtone or its internal calls' tone. */
type Slot = `${string}:ring` | `${string}:internal`;

/**
 * Settings → Ringtones: per line, the tone its calls ring with and the tone of internal calls
 * (distinctive ringing, docs/config.md `ringtone` / `alertTones`), each with a preview on the
 * ringer device; and the user's own ringtone files (checked, kept in this browser). The file
 * code and storage come with the library (app/ringtone-library.ts), loaded when this shows.
 */
@customElement("sip-ringtone-settings")
export class SipRingtoneSettings extends LitElement {
  static override styles = [
    buttonStyles,
    settingsFieldStyles,
    css`
      ul {
        margin: 0;
        padding: 0;
        list-style: none;
        display: grid;
        gap: 0.3rem;
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

  @consume({ context: appContext, subscribe: true }) app?: AppService;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  @state() private accounts: AccountView[] = [];
  @state() private files: RingtoneInfo[] = [];
  @state() private playing: Slot | undefined;
  @state() private status = "";
  private library: Promise<RingtoneLibrary> | undefined;
  private stopPreview: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.updateComplete.then(() => this.load());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  private async load(): Promise<void> {
    const library = this.lib();
    if (!library || !this.app) return;
    // The files first: a line's file is shown by its name, not as missing while the list loads.
    this.files = await (await library).list();
    this.accounts = this.app.accounts;
  }

  /** The library, loading once (a file chosen while it loads waits for it). */
  private lib(): Promise<RingtoneLibrary> | undefined {
    return (this.library ??= this.app?.ringtones());
  }

  override render() {
    const w = this.words;
    return html`<p class="note">${w.t("ringtone.intro")}</p>
      ${this.accounts.length ? this.accounts.map((a) => this.line(a)) : html`<p class="note">${w.t("ringtone.noLines")}</p>`}
      <div class="field">
        <span id="files-heading"><strong>${w.t("ringtone.yourFiles")}</strong></span>
        ${
          this.files.length
            ? html`<ul aria-labelledby="files-heading">
                ${this.files.map(
                  (f) =>
                    html`<li class="row">
                      <span>${f.name}</span>
                      <button type="button" aria-label=${w.t("ringtone.remove", { name: f.name })} @click=${() => this.removeFile(f)}>
                        ${w.t("ringtone.removeButton")}
                      </button>
                    </li>`,
                )}
              </ul>`
            : nothing
        }
        <label for="ringtone-file">${w.t("ringtone.addFile")}</label>
        <input id="ringtone-file" type="file" accept="audio/*" aria-describedby="file-hint" @change=${this.add} />
        <p class="note" id="file-hint">${w.t("ringtone.fileHint")}</p>
      </div>
      <p role="status">${this.status}</p>`;
  }

  private line(a: AccountView) {
    const name = a.label || a.displayName || a.sipUri.replace(/^sips?:/, "");
    const ring = a.ringtone ?? DEFAULT_RINGTONE;
    const internal = a.alertTones?.internal ?? DEFAULT_ALERT_TONES.internal!;
    const w = this.words;
    return html`${this.choice(`${a.id}:ring`, w.t("ringtone.lineTone", { line: name }), ring, (tone) => ({ ringtone: tone }))}
    ${this.choice(`${a.id}:internal`, w.t("ringtone.internalTone", { line: name }), internal, (tone) => ({ alertTones: { ...a.alertTones, internal: tone } }))}`;
  }

  private choice(slot: Slot, label: string, chosen: string, patch: (tone: string) => Parameters<AppService["setRingtones"]>[1]) {
    const id = `tone-${slot.replace(/[^\w-]/g, "_")}`;
    const lineId = slot.slice(0, slot.lastIndexOf(":"));
    const w = this.words;
    const missing = chosen.startsWith("file:") && !this.files.some((f) => `file:${f.id}` === chosen);
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <div class="row">
        <select id=${id} data-chosen=${chosen} @change=${(e: Event) => this.choose(lineId, patch((e.target as HTMLSelectElement).value))}>
          ${BUILT_IN_RINGTONES.map((t) => html`<option value=${t}>${w.t(RINGTONE_NAMES[t])}</option>`)}
          ${this.files.map((f) => html`<option value=${`file:${f.id}`}>${f.name}</option>`)}
          ${missing ? html`<option value=${chosen}>${w.t("ringtone.missingFile")}</option>` : nothing}
        </select>
        <button type="button" aria-describedby=${id} @click=${() => this.preview(slot, id)}>
          ${this.playing === slot ? w.t("ringtone.stop") : w.t("ringtone.preview")}
        </button>
      </div>
    </div>`;
  }

  /** Each select shows its choice once its options are there. */
  protected override updated(): void {
    for (const select of this.renderRoot.querySelectorAll<HTMLSelectElement>("select[data-chosen]")) select.value = select.dataset.chosen!;
  }

  private async choose(lineId: string, patch: Parameters<AppService["setRingtones"]>[1]): Promise<void> {
    try {
      await this.app?.setRingtones(lineId, patch);
      this.status = this.words.t("ringtone.saved");
      this.accounts = this.app?.accounts ?? [];
    } catch (e) {
      this.status = this.words.t("ringtone.notSaved", { why: (e as Error).message });
    }
  }

  private async preview(slot: Slot, selectId: string): Promise<void> {
    const again = this.playing === slot;
    this.stop();
    const library = this.lib();
    if (again || !library) return;
    const tone = this.renderRoot.querySelector<HTMLSelectElement>(`#${selectId}`)?.value ?? DEFAULT_RINGTONE;
    this.playing = slot;
    const stop = await (await library).preview(tone);
    // Stopped (or another preview started) while it loaded: this one ends at once.
    if (this.playing === slot && !this.stopPreview) this.stopPreview = stop;
    else stop();
  }

  private stop(): void {
    this.stopPreview?.();
    this.stopPreview = undefined;
    this.playing = undefined;
  }

  private readonly add = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    const pending = this.lib();
    if (!file || !pending) return;
    this.status = "";
    try {
      const library = await pending;
      const info = await library.add(file);
      this.files = await library.list();
      this.status = this.words.t("ringtone.added", { name: info.name });
    } catch (err) {
      const problem = (err as { problem?: Parameters<typeof fileProblemText>[1] }).problem;
      this.status = this.words.t("ringtone.notAdded", {
        name: file.name,
        why: problem ? fileProblemText(this.words, problem) : (err as Error).message,
      });
    } finally {
      input.value = "";
    }
  };

  private async removeFile(f: RingtoneInfo): Promise<void> {
    this.stop();
    const library = await this.lib();
    if (!library) return;
    await library.remove(f.id);
    this.files = await library.list();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-ringtone-settings": SipRingtoneSettings;
  }
}
