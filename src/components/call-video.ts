import { ContextConsumer, consume } from "@lit/context";
import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { english } from "../i18n/languages.js";
import type { CallSnapshot } from "../sip/api/call-state.js";
import { cameraIcon, cameraOffIcon, screenIcon } from "./call-video-icons.js";
import { phoneContext } from "./phone-context.js";
import type { PhoneService } from "./phone-service.js";
import { buttonStyles } from "./shared-styles.js";
import { videoError } from "./video-words.js";
import { wordsContext } from "./words-context.js";

/**
 * A call's video: the other party's picture large, ours small in a corner (mirrored for the
 * camera, as a mirror would show it; a shared screen is shown as sent), the Camera and Share
 * screen buttons, and the other party's request for our video as a question. Loaded by the
 * call panel when a call is up or rings with video (never with the app: most calls are audio).
 *
 * The pictures come from `videoMedia()` of the tab that holds the call's media; a follower tab
 * (another tab of the same phone) shows the buttons and the question, not the pictures.
 */
@customElement("sip-call-video")
export class SipCallVideo extends LitElement {
  static override styles = [
    buttonStyles,
    css`
      :host {
        display: grid;
        gap: var(--sip-space-3);
      }
      .stage {
        position: relative;
        overflow: hidden;
        border-radius: var(--sip-radius-lg);
        background: #000;
        /* 360 px wide: the full width at 4:3; a desktop: at most most of the screen's height. */
        aspect-ratio: 4 / 3;
        max-height: 70vh;
        width: 100%;
      }
      video {
        display: block;
        width: 100%;
        height: 100%;
        object-fit: contain;
      }
      .self {
        position: absolute;
        right: var(--sip-space-2);
        bottom: var(--sip-space-2);
        width: 30%;
        max-width: 12rem;
        height: auto;
        aspect-ratio: 4 / 3;
        object-fit: cover;
        border: 2px solid var(--sip-surface);
        border-radius: var(--sip-radius-md, 0.5rem);
        background: #222;
      }
      .self.mirrored {
        transform: scaleX(-1);
      }
      .self.alone {
        position: static;
        width: 100%;
        max-width: none;
        border: 0;
      }
      .note {
        margin: 0;
        font-size: var(--sip-text-sm);
        color: var(--sip-muted);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--sip-space-2);
        align-items: center;
      }
      .question {
        padding: var(--sip-space-3);
        border: 1px solid var(--sip-state-ringing);
        border-radius: var(--sip-radius-lg);
      }
      .error {
        margin: 0;
        color: var(--sip-danger);
      }
    `,
  ];

  /** The call shown (the panel passes each new snapshot). */
  @property({ attribute: false }) call!: CallSnapshot;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  @state() private error = "";
  @state() private busy = false;
  private phone: PhoneService | undefined;
  /** The remote stream whose added tracks repaint the picture. */
  private watched: MediaStream | undefined;
  private readonly repaint = () => this.requestUpdate();

  constructor() {
    super();
    new ContextConsumer(this, {
      context: phoneContext,
      subscribe: true,
      callback: (phone) => ((this.phone = phone), this.requestUpdate()),
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.watch(undefined);
  }

  private watch(stream: MediaStream | undefined): void {
    if (stream === this.watched) return;
    this.watched?.removeEventListener("addtrack", this.repaint);
    this.watched?.removeEventListener("removetrack", this.repaint);
    this.watched = stream;
    stream?.addEventListener("addtrack", this.repaint);
    stream?.addEventListener("removetrack", this.repaint);
  }

  private act(fn: (phone: PhoneService) => Promise<unknown>): void {
    const phone = this.phone;
    if (!phone || this.busy) return;
    this.error = "";
    this.busy = true;
    fn(phone)
      .catch((e: unknown) => (this.error = videoError(this.words, e)))
      .finally(() => (this.busy = false));
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const media = this.call && this.phone?.videoMedia?.(this.call.id);
    this.watch(media?.remote);
    const remote = this.renderRoot.querySelector<HTMLVideoElement>("video.remote");
    const self = this.renderRoot.querySelector<HTMLVideoElement>("video.self");
    const track = media?.remote?.getVideoTracks().find((t) => t.readyState === "live");
    show(remote, track);
    show(self, media?.local);
  }

  override render() {
    const c = this.call;
    if (!c) return nothing;
    const v = c.video;
    const name = c.remoteName || c.remote;
    const w = this.words;
    if (c.state === "incoming") {
      return v?.requested
        ? html`<p class="note">${w.t("video.requestedIncoming", { name })}</p>
            <div class="actions">
              <button class="call" ?disabled=${this.busy} @click=${() => this.act((p) => p.answer(c.id, { video: true }))}>
                ${cameraIcon}${w.t("video.answer")}
              </button>
            </div>
            ${this.errorLine()}`
        : nothing;
    }
    if (c.state !== "established") return nothing;
    const local = !!v?.local;
    const screen = !!v?.screen;
    const canShare = typeof navigator !== "undefined" && !!navigator.mediaDevices?.getDisplayMedia;
    return html`${
        v?.remote || local
          ? html`<div class="stage" role="group" aria-label=${w.t("video.region")}>
              ${v?.remote ? html`<video class="remote" autoplay playsinline muted aria-label=${w.t("video.remote", { name })}></video>` : nothing}
              ${
                local
                  ? html`<video
                      class="self ${screen ? "" : "mirrored"} ${v?.remote ? "" : "alone"}"
                      autoplay
                      playsinline
                      muted
                      aria-label=${screen ? w.t("video.selfScreen") : w.t("video.selfView")}
                    ></video>`
                  : nothing
              }
            </div>`
          : nothing
      }
      ${v?.remote && !local && !v.requested ? html`<p class="note">${w.t("video.theyOnly")}</p>` : nothing}
      ${local && !v?.remote ? html`<p class="note">${w.t("video.weOnly", { name })}</p>` : nothing}
      ${screen ? html`<p class="note" role="status">${w.t("video.screenNote")}</p>` : nothing}
      ${
        v?.requested
          ? html`<div class="actions question" role="group" aria-label=${w.t("video.region")}>
              <span>${w.t("video.requested", { name })}</span>
              <button class="call" ?disabled=${this.busy} @click=${() => this.act((p) => p.acceptVideo(c.id))}>
                ${cameraIcon}${w.t("video.accept")}
              </button>
              <button ?disabled=${this.busy} @click=${() => this.act((p) => p.declineVideo(c.id))}>${w.t("video.decline")}</button>
            </div>`
          : nothing
      }
      <div class="actions">
        <button
          aria-pressed=${local && !screen ? "true" : "false"}
          ?disabled=${this.busy}
          @click=${() => this.act((p) => p.setVideo(c.id, !local))}
        >
          ${local ? html`${cameraOffIcon}${w.t("video.cameraOff")}` : html`${cameraIcon}${w.t("video.cameraOn")}`}
        </button>
        ${
          canShare
            ? html`<button
                aria-pressed=${screen ? "true" : "false"}
                ?disabled=${this.busy}
                @click=${() => this.act((p) => p.shareScreen(c.id, !screen))}
              >
                ${screenIcon}${screen ? w.t("video.stopSharing") : w.t("video.shareScreen")}
              </button>`
            : nothing
        }
      </div>
      ${this.errorLine()}`;
  }

  private errorLine() {
    return this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing;
  }
}

/** Puts `track` on a video element (once; a new track replaces the old), or clears it. */
function show(video: HTMLVideoElement | null, track: MediaStreamTrack | undefined): void {
  if (!video) return;
  const current = (video.srcObject as MediaStream | null)?.getVideoTracks()[0];
  if (current === track) return;
  video.srcObject = track ? new MediaStream([track]) : null;
  if (track) void video.play().catch(() => undefined);
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-call-video": SipCallVideo;
  }
}
