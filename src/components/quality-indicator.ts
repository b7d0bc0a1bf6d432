import { consume, ContextConsumer } from "@lit/context";
import { english } from "../i18n/languages.js";
import { wordsContext } from "./words-context.js";
import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { CallQuality } from "../sip/api/call-quality.js";
import type { CallStats } from "../sip/api/platform.js";
import { phoneContext } from "./phone-context.js";
import type { PhoneService } from "./phone-service.js";
import { GRADE_ICONS, qualityChanged, qualityFigures, qualityLabel } from "./quality-words.js";

/**
 * How often the shown call is read. callStats judges the last 5-10 s (docs/media.md), so a
 * change shows within a few seconds; reading more often would show the same interval again.
 */
export const POLL_MS = 3000;

/**
 * How the shown call sounds: its grade as an icon, a word and a colour, and the figures behind
 * it (MOS, loss, jitter, round trip, codec) on demand. Its own element, so that each reading
 * repaints this line and not the call panel around it. Reads only while it is in the page and
 * `active` (the panel says: connected and held by neither side); one reading at a time, the
 * next timed from the end of the last. The grade is not in a live region (it would be read out
 * at every reading): a change of grade is announced once, politely.
 */
@customElement("sip-call-quality")
export class SipCallQuality extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-size: var(--sip-text-sm);
      color: var(--sip-muted);
    }
    button {
      font: inherit;
      color: inherit;
      background: none;
      border: 0;
      border-radius: var(--sip-radius-sm);
      padding: 0.1em 0.2em;
      cursor: pointer;
    }
    button:focus-visible {
      outline: 2px solid var(--sip-focus);
      outline-offset: 1px;
    }
    .icon {
      margin-inline-end: 0.3em;
      letter-spacing: -0.1em;
    }
    [data-grade="good"] .icon {
      color: var(--sip-success);
    }
    [data-grade="fair"] .icon {
      color: var(--sip-warning);
    }
    [data-grade="poor"] .icon {
      color: var(--sip-danger);
    }
    dl {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 0.1rem 0.8rem;
      margin: 0.2rem 0 0 0.3rem;
    }
    dt {
      color: var(--sip-muted);
    }
    dd {
      margin: 0;
      font-variant-numeric: tabular-nums;
    }
    .live {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
  `;

  /** The call to read. */
  @property({ attribute: false }) callId = "";
  /** Whether the call is connected and heard; reading stops (and the grade goes) while it is not. */
  @property({ type: Boolean }) active = false;
  @state() private stats: CallStats | undefined;
  @state() private open = false;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  /** What the live region says: set on a change of grade only. */
  @state() private announcement = "";
  private phone: PhoneService | undefined;
  /** The call and phone being read, if any. */
  private reading: { callId: string; phone: PhoneService } | undefined;
  /** Bumped at every start and stop, so that a reading from an earlier turn is dropped. */
  private turn = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The grade shown last in this turn: a change from it is announced, the first grade is not. */
  private lastGrade: CallQuality | undefined;

  constructor() {
    super();
    new ContextConsumer(this, {
      context: phoneContext,
      subscribe: true,
      callback: (phone) => {
        this.phone = phone;
        this.sync();
      },
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.sync();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.sync();
  }

  // willUpdate, not updated: state set here goes into this update rather than asking for another.
  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("callId") || changed.has("active")) this.sync();
  }

  /** Starts or stops reading to match what should be read now. */
  private sync(): void {
    const phone = this.phone;
    const want = this.isConnected && this.active && !!this.callId && !!phone;
    if (want && this.reading?.callId === this.callId && this.reading.phone === phone) return;
    if (this.reading) this.stop();
    if (want) this.start(this.callId, phone);
  }

  private start(callId: string, phone: PhoneService): void {
    const turn = ++this.turn;
    this.reading = { callId, phone };
    const read = async () => {
      this.timer = undefined;
      const stats = await phone.callStats(callId).catch(() => undefined);
      if (turn !== this.turn) return;
      this.show(stats);
      this.timer = setTimeout(() => void read(), POLL_MS);
    };
    void read();
  }

  private stop(): void {
    this.turn++;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.reading = undefined;
    this.stats = undefined;
    this.lastGrade = undefined;
    this.announcement = "";
  }

  private show(stats: CallStats | undefined): void {
    const grade = stats?.quality;
    if (grade && this.lastGrade && grade !== this.lastGrade) this.announcement = qualityChanged(this.words, grade);
    if (grade) this.lastGrade = grade;
    this.stats = stats;
  }

  override render() {
    const stats = this.stats;
    const grade = stats?.quality;
    // The live region is always there, so that assistive technology is watching it before it speaks.
    return html`<span class="live" aria-live="polite" aria-atomic="true">${this.announcement}</span> ${
        stats && grade
          ? html`<button data-grade=${grade} aria-expanded=${this.open ? "true" : "false"} @click=${() => (this.open = !this.open)}>
                <span class="icon" aria-hidden="true">${GRADE_ICONS[grade]}</span>${qualityLabel(this.words, grade)}
              </button>
              ${
                this.open
                  ? html`<dl>
                      ${qualityFigures(this.words, stats).map(
                        ([label, value]) =>
                          html`<dt>${label}</dt>
                            <dd>${value}</dd>`,
                      )}
                    </dl>`
                  : nothing
              }`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-call-quality": SipCallQuality;
  }
}
