import { consume } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { english } from "../i18n/languages.js";
import { appContext, type AppService } from "./app-context.js";
import { PhoneStateController } from "./phone-state-controller.js";
import { wordsContext } from "./words-context.js";

/**
 * Settings → Video: the camera video calls use (kept per browser with the audio devices,
 * `setAudio({camera})`); calls with video move to it at once. The list comes from the video
 * code, which loads here on first use (Settings is itself loaded on demand).
 */
@customElement("sip-camera-setting")
export class SipCameraSetting extends LitElement {
  static override styles = css`
    label {
      display: grid;
      gap: var(--sip-space-1, 0.25rem);
      font-weight: 600;
    }
    select {
      font: inherit;
      min-height: 2.5rem;
    }
    p {
      margin: 0;
      color: var(--sip-muted, #57606a);
      font-size: var(--sip-text-sm, 0.875rem);
    }
    .error {
      color: var(--sip-danger, #cf222e);
    }
  `;

  @consume({ context: appContext, subscribe: true }) app?: AppService;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  private readonly phone = new PhoneStateController(this);
  @state() private cameras: { id: string; label: string }[] | undefined;
  @state() private error = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this.updateComplete.then(() => this.load());
  }

  private async load(): Promise<void> {
    try {
      this.cameras = (await this.phone.phone?.cameras()) ?? [];
    } catch (e) {
      this.error = (e as Error).message;
      this.cameras = [];
    }
  }

  override render() {
    const w = this.words;
    const chosen = this.app?.settings.audio?.camera ?? "";
    const list = this.cameras;
    return html`<label
        >${w.t("settings.camera")}
        <select ?disabled=${!list} @change=${(e: Event) => this.choose((e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${chosen === ""}>${w.t("settings.cameraDefault")}</option>
          ${(list ?? []).map(
            (c, i) =>
              html`<option value=${c.id} ?selected=${c.id === chosen}>${c.label || w.t("settings.cameraNumber", { n: i + 1 })}</option>`,
          )}
        </select></label
      >
      ${list && list.length && list.every((c) => !c.label) ? html`<p>${w.t("settings.cameraNamesLater")}</p>` : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}`;
  }

  private async choose(camera: string): Promise<void> {
    this.error = "";
    try {
      await this.app?.setAudio({ camera });
    } catch (e) {
      this.error = (e as Error).message;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-camera-setting": SipCameraSetting;
  }
}
