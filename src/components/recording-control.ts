import { consume } from "@lit/context";
import { LitElement, css, html, nothing, svg } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { english } from "../i18n/languages.js";
import type { CallSnapshot } from "../sip/api/call-state.js";
import { RecordingState } from "../sip/api/recording-media.js";
import { phoneContext } from "./phone-context.js";
import type { PhoneService } from "./phone-service.js";
import { recordingFailureText } from "./recording-words.js";
import { wordsContext } from "./words-context.js";
// Icons through shared-styles.js, not icons.js: see the note there.
import { buttonStyles, icon } from "./shared-styles.js";

const recordIcon = /* @__PURE__ */ icon(svg`<circle cx="12" cy="12" r="6" fill="currentColor" />`);
const stopIcon = /* @__PURE__ */ icon(svg`<rect x="7" y="7" width="10" height="10" rx="1" fill="currentColor" />`);

/**
 * A connected call's Record button and its indicator: a red dot and "Recording" while the call
 * is recorded, in a status region that exists from the start, so the word is announced once
 * when recording begins and not again while it lasts. A failure is said in words (the call goes
 * on). Loaded with the first connected call (call-panel.ts): most calls are never recorded.
 */
@customElement("sip-recording-control")
export class SipRecordingControl extends LitElement {
  static override styles = [
    buttonStyles,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--sip-space-2) var(--sip-space-3);
      }
      .indicator {
        display: inline-flex;
        align-items: center;
        gap: var(--sip-space-1);
        font-size: var(--sip-text-sm);
        font-weight: 600;
      }
      .dot {
        width: 0.7em;
        height: 0.7em;
        border-radius: 50%;
        background: var(--sip-danger);
        animation: pulse 1.6s ease-in-out infinite;
      }
      @keyframes pulse {
        50% {
          opacity: 0.35;
        }
      }
      .error {
        flex-basis: 100%;
        margin: 0;
        color: var(--sip-danger);
        font-size: var(--sip-text-sm);
      }
    `,
  ];

  @property({ attribute: false }) call!: CallSnapshot;
  @consume({ context: phoneContext, subscribe: true }) private phone?: PhoneService;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  /** Why the last click did nothing (a refusal of the command itself). */
  @state() private error = "";

  override render() {
    const c = this.call;
    if (!c) return nothing;
    const state = c.recording ?? RecordingState.Off;
    const on = state === RecordingState.On;
    const w = this.words;
    const shown =
      state === RecordingState.On
        ? html`<span class="dot"></span>${w.t("recording.on")}`
        : state === RecordingState.Starting
          ? w.t("recording.starting")
          : state === RecordingState.Paused
            ? w.t("recording.paused")
            : "";
    const failure = state === RecordingState.Failed && c.recordingFailure ? recordingFailureText(w, c.recordingFailure) : "";
    return html`<button aria-pressed=${on ? "true" : "false"} ?disabled=${state === RecordingState.Starting} @click=${this.toggle}>
        ${on ? html`${stopIcon}${w.t("recording.stop")}` : html`${recordIcon}${w.t("recording.record")}`}
      </button>
      <span class="indicator" role="status">${shown}</span>
      ${failure || this.error ? html`<p class="error" role="alert">${failure || this.error}</p>` : nothing}`;
  }

  private toggle(): void {
    const phone = this.phone;
    if (!phone) return;
    this.error = "";
    phone.record(this.call.id, this.call.recording !== RecordingState.On).catch((e: Error) => (this.error = e.message));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-recording-control": SipRecordingControl;
  }
}
