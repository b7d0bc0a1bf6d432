import { consume } from "@lit/context";
import { english } from "../i18n/languages.js";
import { LitElement, css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { AudioSettings } from "../config/audio-settings.js";
import type { AudioDevice, AudioDeviceList, AudioRole } from "../sip/api/audio-devices.js";
import { appContext, type AppService } from "./app-context.js";
import { openMeter, playTestTone } from "./audio-check.js";
import { missingOption, noOutputChoice, unavailableNote, unnamedDevice } from "./audio-settings-words.js";
import { describeMediaError } from "./messages.js";
import { PhoneStateController } from "./phone-state-controller.js";
import { buttonStyles } from "./shared-styles.js";
import { settingsFieldStyles } from "./settings-styles.js";
import { wordsContext } from "./words-context.js";

type Output = "speaker" | "ringer";
const PROCESSING = ["echoCancellation", "noiseSuppression", "autoGainControl"] as const;

/**
 * Settings → Audio: the microphone (with a level meter), the call's and the ringtone's outputs
 * (each with a test tone), their volumes and voice processing. Choices go to the app, which
 * keeps them for this browser and has the tab holding the calls apply them (calls in progress
 * included); the list comes from that tab's phone. Nothing here opens the microphone but the
 * meter, while the user tests.
 */
@customElement("sip-audio-settings")
export class SipAudioSettings extends LitElement {
  static override styles = [
    buttonStyles,
    settingsFieldStyles,
    css`
      legend {
        font-weight: 600;
      }
      meter {
        flex: 1 1 8rem;
      }
      fieldset {
        border: 1px solid var(--sip-border, #c9d1d9);
        border-radius: 8px;
        display: grid;
        gap: 0.3rem;
      }
      fieldset label {
        font-weight: normal;
      }
      .note {
        margin: 0;
        font-size: 0.9em;
        color: var(--sip-muted, #57606a);
      }
      .error {
        color: #cf222e;
      }
    `,
  ];

  @consume({ context: appContext, subscribe: true }) app?: AppService;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  private readonly phone = new PhoneStateController(this);
  @state() private list: AudioDeviceList | undefined;
  @state() private error = "";
  @state() private level: number | undefined;
  @state() private playing: Output | undefined;
  private stopMeter: (() => void) | undefined;
  private unsubscribe: Array<() => void> = [];
  private readonly refresh = () => void this.load();

  /** The checks (tests give fakes): a tone on an output, the microphone's level. */
  checks = { playTestTone, openMeter };

  override connectedCallback(): void {
    super.connectedCallback();
    navigator.mediaDevices?.addEventListener?.("devicechange", this.refresh);
    void this.updateComplete.then(() => {
      const phone = this.phone.phone;
      if (phone) this.unsubscribe.push(phone.on("audio-device", this.refresh));
      if (this.app) this.unsubscribe.push(this.app.on("settings-changed", this.refresh));
      void this.load();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    navigator.mediaDevices?.removeEventListener?.("devicechange", this.refresh);
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    this.stopTest();
  }

  private async load(): Promise<void> {
    try {
      this.list = await this.phone.phone?.audioDevices();
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private get settings(): AudioSettings {
    return this.list?.settings ?? this.app?.settings.audio ?? {};
  }

  private async save(patch: AudioSettings): Promise<void> {
    this.error = "";
    try {
      await this.app?.setAudio(patch);
      await this.load();
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private async toggleTest(): Promise<void> {
    if (this.stopMeter) return this.stopTest();
    this.error = "";
    try {
      // As calls would: the default while the chosen one is not there.
      const missing = this.list?.unavailable.includes("microphone");
      const settings = missing ? { ...this.settings, microphone: "" } : this.settings;
      this.stopMeter = await this.checks.openMeter(settings, (level) => (this.level = level));
      this.level = 0;
      // Allowed now: the browser names the devices.
      await this.load();
    } catch (e) {
      this.error = describeMediaError(this.words, e);
    }
  }

  private stopTest(): void {
    this.stopMeter?.();
    this.stopMeter = undefined;
    this.level = undefined;
  }

  private async testTone(role: Output): Promise<void> {
    this.playing = role;
    const volume = (role === "speaker" ? this.settings.callVolume : this.settings.ringVolume) ?? 1;
    try {
      const usable = this.list?.outputs[role] && !this.list.unavailable.includes(role);
      await this.checks.playTestTone(usable ? (this.settings[role] ?? "") : "", volume);
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.playing = undefined;
    }
  }

  override render() {
    const list = this.list;
    if (!list) return html`<p class="note" role="status">${this.error || this.words.t("audio.loading")}</p>`;
    const unnamed = list.devices.length > 0 && list.devices.every((d) => !d.label);
    return html`
      ${unnamed || !list.devices.length ? html`<p class="note">${this.words.t("audio.noNames")}</p>` : nothing}
      ${list.unavailable.length ? html`<p class="note" role="status">${list.unavailable.map((r) => unavailableNote(this.words, r)).join(" ")}</p>` : nothing}
      <div class="field">
        ${this.select("microphone", list)}
        <div class="row">
          <button type="button" @click=${() => this.toggleTest()}>
            ${this.stopMeter ? this.words.t("audio.stopTest") : this.words.t("audio.testMicrophone")}
          </button>
          ${this.level === undefined ? nothing : html`<meter aria-label=${this.words.t("audio.level")} min="0" max="1" low="0.05" .value=${this.level}></meter>`}
        </div>
      </div>
      ${this.output("speaker", list)} ${this.output("ringer", list)} ${this.volume("ringVolume", this.words.t("audio.ringVolume"))}
      ${this.volume("callVolume", this.words.t("audio.callVolume"))}
      <fieldset>
        <legend>${this.words.t("audio.processing")}</legend>
        ${PROCESSING.map(
          (key) =>
            html`<label>
              <input
                type="checkbox"
                .checked=${this.settings[key] !== false}
                @change=${(e: Event) => this.save({ [key]: (e.target as HTMLInputElement).checked })}
              />
              ${this.words.t(`audio.${key}` as const)}
            </label>`,
        )}
        <p class="note">${this.words.t("audio.processingNote")}</p>
      </fieldset>
      ${this.error && list ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    `;
  }

  /** Each select shows its choice once its options are there (a select's value set before its options is lost). */
  protected override updated(): void {
    for (const select of this.renderRoot.querySelectorAll<HTMLSelectElement>("select[data-chosen]")) select.value = select.dataset.chosen!;
  }

  private output(role: Output, list: AudioDeviceList) {
    const can = list.outputs[role];
    return html`<div class="field">
      ${this.select(role, list, !can)} ${can ? nothing : html`<p class="note" id="${role}-note">${noOutputChoice(this.words, role)}</p>`}
      <div class="row">
        <button type="button" ?disabled=${this.playing !== undefined} @click=${() => this.testTone(role)}>
          ${this.words.t(role === "speaker" ? "audio.testSpeaker" : "audio.testRinger")}
        </button>
      </div>
    </div>`;
  }

  private select(role: AudioRole, list: AudioDeviceList, disabled = false) {
    const kind = role === "microphone" ? "audioinput" : "audiooutput";
    const devices = list.devices.filter((d) => d.kind === kind);
    const chosen = list.settings[role] ?? "";
    const system = devices.find((d) => d.id === "default")?.label;
    const options = devices.filter((d) => d.id !== "default" && d.id !== "");
    const missing = chosen !== "" && !options.some((d) => d.id === chosen);
    const name = (d: AudioDevice, i: number) => d.label || unnamedDevice(this.words, role, i + 1);
    return html`<label for="${role}-device">${this.words.t(`audio.${role}` as const)}</label>
      <select
        id="${role}-device"
        data-chosen=${chosen}
        ?disabled=${disabled}
        aria-describedby=${disabled ? `${role}-note` : nothing}
        @change=${(e: Event) => this.save({ [role]: (e.target as HTMLSelectElement).value })}
      >
        <option value="">${system ? `${this.words.t("audio.systemDefault")} (${system})` : this.words.t("audio.systemDefault")}</option>
        ${options.map((d, i) => html`<option value=${d.id}>${name(d, i)}</option>`)}
        ${missing ? html`<option value=${chosen}>${missingOption(this.words, role)}</option>` : nothing}
      </select>`;
  }

  private volume(key: "ringVolume" | "callVolume", label: string) {
    const value = Math.round((this.settings[key] ?? 1) * 100);
    return html`<div class="field">
      <label for=${key}>${label}</label>
      <input
        id=${key}
        type="range"
        min="0"
        max="100"
        step="5"
        .value=${String(value)}
        aria-valuetext="${value} %"
        @change=${(e: Event) => this.save({ [key]: Number((e.target as HTMLInputElement).value) / 100 })}
      />
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-audio-settings": SipAudioSettings;
  }
}
