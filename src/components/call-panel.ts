import { consume } from "@lit/context";
import { LitElement, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { PlainId } from "../i18n/catalogue.js";
import { english } from "../i18n/languages.js";
import type { Words } from "../i18n/words.js";
import type { CallSnapshot } from "../sip/api/call-state.js";
import { describePhoneError } from "./messages.js";
import { wordsContext } from "./words-context.js";
import { PhoneStateController } from "./phone-state-controller.js";
import { avatar, hangupIcon, holdIcon, keypadIcon, micIcon, micOffIcon, phoneIcon, resumeIcon, transferIcon } from "./icons.js";
import { callPanelStyles } from "./call-panel-styles.js";
import { duration } from "./call-time.js";
import { canPopOut, popOutButton } from "./pip-button.js";
import "./keypad.js";
import "./quality-indicator.js";

/** The video area (call-video.ts) loads with the first call that is up or rings with video, not with the app. */
const loadVideoArea = () => void import("./call-video.js").catch(() => undefined);

const STATE_TEXT: Record<string, PlainId> = {
  dialing: "callState.dialing",
  ringing: "callState.ringing",
  incoming: "callState.incoming",
  established: "callState.established",
  terminating: "callState.terminating",
  ended: "callState.ended",
};

const TRANSFER_STATE: Record<string, PlainId> = {
  trying: "transferState.trying",
  ringing: "transferState.ringing",
  answered: "transferState.answered",
  failed: "transferState.failed",
};

/** What a click-to-call leg is doing, in the words of a desk-phone user. */
function clickToCallText(w: Words, c: CallSnapshot): string {
  const { mode, target, deskPhone: desk } = c.clickToCall!;
  const t = c.transfer;
  if (mode === "desk") {
    if (c.state === "dialing" || c.state === "ringing") return w.t("c2c.deskRinging", { desk });
    if (!t || t.state === "trying") return w.t("c2c.deskDialling", { target });
    if (t.state === "ringing") return w.t("c2c.ringingAtDesk", { target });
    if (t.state === "answered") return w.t("c2c.deskConnected", { target });
    return w.t("c2c.deskCouldNot", { target });
  }
  if (c.state === "dialing" || c.state === "ringing") return w.t("c2c.callingFirst", { target });
  if (!t || t.state === "trying") return w.t("c2c.answeredCallingDesk", { target, desk });
  if (t.state === "ringing") return w.t("c2c.pickUpDesk", { target });
  if (t.state === "answered") return w.t("c2c.connectedToDesk", { target });
  return w.t("c2c.notHanded", { target });
}

/** "Transfer to 1003: ringing (180)". */
function transferText(w: Words, t: { target: string; state: string; code?: number }): string {
  const state = TRANSFER_STATE[t.state] ? w.t(TRANSFER_STATE[t.state]!) : t.state;
  return t.code
    ? w.t("call.transferStateCode", { target: t.target, state, code: t.code })
    : w.t("call.transferState", { target: t.target, state });
}

/** The Record button and indicator, loaded with the first connected call (most calls are never recorded). */
function recordingControl(c: CallSnapshot) {
  void import("./recording-control.js");
  return html`<sip-recording-control .call=${c}></sip-recording-control>`;
}

/** One call: who, its state and timer, and what can be done now. */
@customElement("sip-call-panel")
export class SipCallPanel extends LitElement {
  static override styles = callPanelStyles;

  @property({ attribute: false }) call!: CallSnapshot;
  @state() private keypadOpen = false;
  @state() private transferOpen = false;
  @state() private transferTarget = "";
  @state() private error = "";
  @state() private now = Date.now();
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  private readonly phone = new PhoneStateController(this);
  private ticker: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.ticker = setInterval(() => (this.now = Date.now()), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.ticker);
  }

  /** Opens the transfer field and puts the focus in it (the `t` shortcut, keyboard-shortcuts.ts). */
  async openTransfer(): Promise<void> {
    this.transferOpen = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>("form.actions input")?.focus();
  }

  /** Focuses the call's first action: Answer while it rings, else its first button (call-focus.ts). */
  focusAction(): boolean {
    const button = this.renderRoot.querySelector<HTMLButtonElement>(".actions.main button");
    button?.focus();
    return !!button;
  }

  private act(fn: () => unknown): void {
    this.error = "";
    Promise.resolve()
      .then(fn)
      .catch((e: unknown) => (this.error = describePhoneError(this.words, e)));
  }

  override render() {
    const c = this.call;
    const phone = this.phone.phone;
    if (!c || !phone) return nothing;
    const w = this.words;
    const name = c.remoteName || c.remote;
    const incoming = c.state === "incoming";
    const c2c = c.clickToCall;
    // A click-to-call leg carries no audio: nothing to mute, hold or transfer by hand.
    const live = c.state === "established" && !c2c;
    const others = this.phone.calls.filter((o) => o.id !== c.id && o.state === "established");
    const consultOf = c.consultFor ? this.phone.calls.find((o) => o.id === c.consultFor) : undefined;
    // Outside the status region: there, every reading would be read out again.
    const quality = live ? html`<sip-call-quality .callId=${c.id} ?active=${!c.held && !c.heldByRemote}></sip-call-quality>` : nothing;
    return html`<section
      part="call"
      aria-label=${w.t(incoming ? "call.incomingFrom" : "call.with", { name })}
      data-call=${c.id}
      data-state=${c.state}
      ?data-held=${c.held || c.heldByRemote}
    >
      <div class="head">
        ${avatar(name)}
        <div class="who">${name}</div>
        ${c.remoteName ? html`<div class="number">${c.remote}</div>` : nothing}
        ${phone.lines.length > 1 ? html`<div class="number">${w.t("call.onLine", { line: phone.lines.find((l) => l.id === c.lineId)?.label ?? c.lineId })}</div>` : nothing}
        <div class="status">
          <span class="state" role="status"
            >${STATE_TEXT[c.state] ? w.t(STATE_TEXT[c.state]!) : c.state}${c.muted ? ` · ${w.t("call.muted")}` : ""}${c.held ? ` · ${w.t("call.onHold")}` : ""}${c.heldByRemote ? ` · ${w.t("call.heldByRemote")}` : ""}</span
          >
          ${
            // Not in the status region: a ticking timer there would be read out every second.
            live && c.answeredAt
              ? html`<span class="timer" role="timer"><span class="visually-hidden"> · </span>${duration(this.now - c.answeredAt)}</span>`
              : nothing
          }
        </div>
        <div class="details" role="status">
          ${c2c ? html`<div class="c2c">${clickToCallText(w, c)}</div>` : nothing}${
            c.transfer && !c2c ? html`<div class="transfer">${transferText(w, c.transfer)}</div>` : nothing
          }${c.conference ? html`<div class="conference">${w.t("call.inConference")}</div>` : nothing}${
            consultOf
              ? html`<div class="consult">${w.t("call.consultingFor", { name: consultOf.remoteName || consultOf.remote })}</div>`
              : nothing
          }
        </div>
        ${quality}
      </div>
      ${live || (incoming && c.video?.requested) ? (loadVideoArea(), html`<sip-call-video part="video" .call=${c}></sip-call-video>`) : nothing}
      <div class="actions main ${live ? "live" : ""}" part="call-actions">
        ${
          incoming
            ? html`<button class="call" @click=${() => this.act(() => phone.answer(c.id))}>${phoneIcon}${w.t("call.answer")}</button>
                <button class="hangup" @click=${() => this.act(() => phone.decline(c.id, 603))}>
                  ${hangupIcon}${w.t("call.decline")}
                </button>`
            : html`${
                  live
                    ? html`<button aria-pressed=${c.muted ? "true" : "false"} @click=${() => this.act(() => phone.mute(c.id, !c.muted))}>
                          ${c.muted ? micOffIcon : micIcon}${w.t("call.mute")}
                        </button>
                        <button aria-pressed=${this.keypadOpen ? "true" : "false"} @click=${() => (this.keypadOpen = !this.keypadOpen)}>
                          ${keypadIcon}${w.t("call.keypad")}
                        </button>
                        <button aria-pressed=${c.held ? "true" : "false"} @click=${() => this.act(() => phone.hold(c.id, !c.held))}>
                          ${c.held ? html`${resumeIcon}${w.t("call.resume")}` : html`${holdIcon}${w.t("call.hold")}`}
                        </button>
                        <button
                          aria-pressed=${this.transferOpen ? "true" : "false"}
                          @click=${() => (this.transferOpen = !this.transferOpen)}
                        >
                          ${transferIcon}${w.t("call.transfer")}
                        </button>`
                    : nothing
                } <button class="hangup" @click=${() => this.act(() => phone.hangup(c.id))}>${hangupIcon}${w.t("call.hangup")}</button>`
        }
      </div>
      ${live ? recordingControl(c) : nothing}
      ${live && canPopOut() ? html`<div class="actions">${popOutButton(this, w, c.id, (text) => (this.error = text))}</div>` : nothing}
      ${
        c.referral
          ? html`<div class="actions" role="group" aria-label=${w.t("call.transferRequest")}>
              <span
                >${w.t("call.transfersYou", { target: c.referral.target })}${
                  c.referral.uri.replace(/^sips?:/i, "") === c.referral.target ? "" : html` (<code>${c.referral.uri}</code>)`
                }.</span
              >
              <button class="call" @click=${() => this.act(() => phone.acceptReferral(c.id))}>${w.t("call.acceptTransfer")}</button>
              <button @click=${() => this.act(() => phone.declineReferral(c.id))}>${w.t("call.refuseTransfer")}</button>
            </div>`
          : nothing
      }
      ${
        live && consultOf
          ? html`<div class="actions">
              <button class="call" @click=${() => this.act(() => phone.completeTransfer(c.id))}>${w.t("call.completeTransfer")}</button>
              <button @click=${() => this.act(() => phone.cancelConsultation(c.id))}>${w.t("call.cancelTransfer")}</button>
            </div>`
          : nothing
      }
      ${
        live && (c.conference || others.length > 0)
          ? html`<div class="actions">
              ${
                c.conference
                  ? html`<button @click=${() => this.act(() => phone.splitConference())}>${w.t("call.splitConference")}</button> ${
                        this.phone.calls.filter((o) => o.conference).length === 2
                          ? html`<button @click=${() => this.act(() => phone.leaveConference())}>${w.t("call.leaveConference")}</button>`
                          : nothing
                      }`
                  : html`<button @click=${() => this.act(() => phone.conference([c.id, ...others.map((o) => o.id)]))}>
                      ${w.t("call.conference")}
                    </button>`
              }
            </div>`
          : nothing
      }
      ${
        live && this.transferOpen
          ? html`<form
              class="actions"
              @submit=${(e: Event) => {
                e.preventDefault();
                const consult = (e as SubmitEvent).submitter?.getAttribute("value") === "consult";
                const target = this.transferTarget;
                this.act(() => (consult ? phone.startConsultation(c.id, target) : phone.transfer(c.id, target)));
                this.transferOpen = false;
              }}
            >
              <input
                aria-label=${w.t("call.transferTo")}
                type="tel"
                placeholder=${w.t("call.number")}
                .value=${this.transferTarget}
                @input=${(e: Event) => (this.transferTarget = (e.target as HTMLInputElement).value)}
              />
              <button type="submit" value="blind">${w.t("call.transferNow")}</button>
              <button type="submit" value="consult">${w.t("call.talkFirst")}</button>
            </form>`
          : nothing
      }
      ${
        live && this.keypadOpen
          ? html`<sip-keypad
              action="tone"
              @key-press=${(e: CustomEvent<string>) => this.act(() => phone.sendDtmf(c.id, e.detail))}
            ></sip-keypad>`
          : nothing
      }
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-call-panel": SipCallPanel;
  }
}
