import { css, html, nothing, render } from "lit";
import type { PlainId } from "../i18n/catalogue.js";
import type { Words } from "../i18n/words.js";
import type { CallSnapshot } from "../sip/api/call-state.js";
import { duration } from "./call-time.js";
import { describePhoneError } from "./messages.js";
import type { PhoneService } from "./phone-service.js";
import { avatar, avatarStyles, buttonStyles, hangupIcon, holdIcon, micIcon, micOffIcon, PALETTE, resumeIcon } from "./shared-styles.js";

/** What the call window uses of the phone. */
export type PipPhone = Pick<PhoneService, "calls" | "on" | "mute" | "hold" | "hangup">;

export interface PipViewOptions {
  /** The Picture-in-Picture window (its own document: no custom elements, no adopted sheets of ours). */
  win: Window;
  /** `<sip-phone>`: its design tokens (the page's overrides and theme included) are copied over. */
  host: HTMLElement;
  phone: PipPhone;
  words: () => Words;
  /** The call to show now (CallPip picks it). */
  call: () => CallSnapshot | undefined;
  /** The user closed the window (or the browser did). */
  closed: () => void;
}

const STATE_TEXT: Partial<Record<CallSnapshot["state"], PlainId>> = {
  dialing: "callState.dialing",
  ringing: "callState.ringing",
  established: "callState.established",
  terminating: "callState.terminating",
};

/** The scales of shared-styles.ts themeTokens, copied as they are set on the element. */
const SCALES = [
  ...[1, 2, 3, 4, 5, 6].map((n) => `space-${n}`),
  ...["xs", "sm", "md", "lg", "xl", "2xl"].map((s) => `text-${s}`),
  ...["radius-sm", "radius", "radius-lg", "radius-full", "shadow", "duration"],
];

/** The window's own layout; buttons and avatar come from shared-styles.ts. */
const layout = css`
  body {
    margin: 0;
    background: var(--sip-bg);
    color: var(--sip-fg);
  }
  main {
    display: grid;
    gap: var(--sip-space-2);
    padding: var(--sip-space-3);
  }
  .head {
    display: flex;
    align-items: center;
    gap: var(--sip-space-3);
    min-width: 0;
  }
  .who {
    flex: 1;
    min-width: 0;
  }
  h1 {
    margin: 0;
    font-size: var(--sip-text-md);
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  p {
    margin: 0;
    font-size: var(--sip-text-sm);
    color: var(--sip-muted);
  }
  .timer {
    font-size: var(--sip-text-lg);
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .actions {
    display: grid;
    grid-template-columns: repeat(3, minmax(0, 1fr));
    gap: var(--sip-space-2);
  }
  .actions button {
    padding-inline: var(--sip-space-1);
  }
  .error {
    color: var(--sip-danger);
  }
`;

/**
 * The call window's content (call-pip.ts opens the window). The window is another document:
 * our custom elements are not defined there and constructed style sheets of this document
 * cannot be adopted by it, so the view is a plain Lit template rendered into its body, with the
 * styles as text and the design tokens copied from `<sip-phone>` (a page's `--sip-*` values
 * and its theme included). It ticks with the window's own timer: the phone's tab is in the
 * background, where Chromium slows timers down to once a minute after a while.
 */
export class PipView {
  private readonly win: Window;
  private ticker: number | undefined;
  private error = "";

  constructor(private readonly o: PipViewOptions) {
    this.win = o.win;
    const doc = this.win.document;
    const style = doc.createElement("style");
    style.textContent = [this.tokens(), buttonStyles.cssText, avatarStyles.cssText, layout.cssText].join("\n");
    doc.head.append(style);
    this.ticker = this.win.setInterval(() => this.update(), 1000);
    this.win.addEventListener("pagehide", () => {
      this.win.clearInterval(this.ticker);
      o.closed();
    });
  }

  /** The element's tokens as the window's root properties, in the element's colour scheme. */
  private tokens(): string {
    const computed = getComputedStyle(this.o.host);
    const read = (name: string) => computed.getPropertyValue(name).trim();
    const colours = PALETTE.map(([n, light, dark]) => `--sip-${n}:${read(`--_sip-${n}`) || `light-dark(${light},${dark})`};`);
    const scales = SCALES.map((n) => read(`--sip-${n}`) && `--sip-${n}:${read(`--sip-${n}`)};`);
    return `:root{${colours.join("")}${scales.join("")}color-scheme:${computed.colorScheme || "light dark"};font-family:${
      computed.fontFamily || "system-ui, sans-serif"
    };}`;
  }

  update(): void {
    const c = this.o.call();
    const w = this.o.words();
    const doc = this.win.document;
    if (!c) {
      render(nothing, doc.body);
      return;
    }
    const name = c.remoteName || c.remote;
    doc.documentElement.lang = w.lang;
    doc.title = w.t("call.with", { name });
    const up = c.state === "established";
    const stateText = [
      STATE_TEXT[c.state] ? w.t(STATE_TEXT[c.state]!) : c.state,
      c.muted ? w.t("call.muted") : "",
      c.held ? w.t("call.onHold") : "",
      c.heldByRemote ? w.t("call.heldByRemote") : "",
    ].filter(Boolean);
    render(
      html`<main aria-label=${w.t("call.with", { name })} data-call=${c.id}>
        <div class="head">
          ${avatar(name)}
          <div class="who">
            <h1>${name}</h1>
            ${c.remoteName ? html`<p>${c.remote}</p>` : nothing}
          </div>
          ${up && c.answeredAt ? html`<span class="timer" role="timer">${duration(Date.now() - c.answeredAt)}</span>` : nothing}
        </div>
        <p role="status">${stateText.join(" · ")}</p>
        <div class="actions">
          <button
            aria-pressed=${c.muted ? "true" : "false"}
            ?disabled=${!up}
            @click=${() => this.act(() => this.o.phone.mute(c.id, !c.muted))}
          >
            ${c.muted ? micOffIcon : micIcon}${w.t("call.mute")}
          </button>
          <button
            aria-pressed=${c.held ? "true" : "false"}
            ?disabled=${!up}
            @click=${() => this.act(() => this.o.phone.hold(c.id, !c.held))}
          >
            ${c.held ? html`${resumeIcon}${w.t("call.resume")}` : html`${holdIcon}${w.t("call.hold")}`}
          </button>
          <button class="hangup" @click=${() => this.act(() => this.o.phone.hangup(c.id))}>${hangupIcon}${w.t("call.hangup")}</button>
        </div>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      </main>`,
      doc.body,
      { creationScope: doc },
    );
  }

  close(): void {
    this.win.clearInterval(this.ticker);
    this.win.close();
  }

  private act(fn: () => Promise<unknown>): void {
    this.error = "";
    fn().then(
      () => this.update(),
      (e: unknown) => {
        this.error = describePhoneError(this.o.words(), e);
        this.update();
      },
    );
  }
}
