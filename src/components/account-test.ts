import { consume } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { ConfigError } from "../config/config-error.js";
import type { AccountConfig } from "../config/phone-config.js";
import { english } from "../i18n/languages.js";
import type { Words } from "../i18n/words.js";
import type { TrialOutcome } from "../sip/api/trial-registration.js";
import { appContext, type AppService } from "./app-context.js";
import { describeMediaError, describeRegistrationFailure, describeTransportFailure } from "./messages.js";
import { buttonStyles } from "./shared-styles.js";
import { wordsContext } from "./words-context.js";

/** A trial registration's outcome as a sentence (src/sip reports codes; the words are here). */
export function describeTrial(w: Words, outcome: TrialOutcome): string {
  if (outcome.ok) return w.t("setup.registered", { server: outcome.server });
  const f = outcome.failure;
  switch (f.kind) {
    case "auth":
    case "server":
      return describeRegistrationFailure(w, f.code, f.reasonPhrase ?? "");
    case "transport":
      return describeTransportFailure(w, f.servers.join(", "));
    case "binding":
      return w.t("setup.noBinding");
    case "timeout":
      return w.t("setup.timeout", { seconds: f.seconds });
  }
}

/** Opens the microphone as a call would, and closes it at once: rejects with getUserMedia's error. */
export async function checkMicrophone(): Promise<void> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  for (const track of stream.getTracks()) track.stop();
}

interface Result {
  ok: boolean;
  text: string;
}

/**
 * The set-up form's Test (issue 16, first run): registers once with the address, password and
 * servers typed, without saving them (AppService.testAccount: the phone registers a trial line
 * and unregisters it at once), and opens and closes the microphone. Each part says in words
 * what worked, or what failed and what to check.
 */
@customElement("sip-account-test")
export class SipAccountTest extends LitElement {
  static override styles = [
    buttonStyles,
    css`
      :host {
        display: grid;
        gap: var(--sip-space-2);
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--sip-space-2) var(--sip-space-3);
      }
      p {
        margin: 0;
      }
      .help {
        font-size: var(--sip-text-sm);
        color: var(--sip-muted);
      }
      .ok {
        color: var(--sip-success);
      }
      .failed {
        color: var(--sip-danger);
      }
    `,
  ];

  /** The account as the form says now (the form's fields, parsed). */
  @property({ attribute: false }) collect?: () => AccountConfig;
  @consume({ context: appContext, subscribe: true }) app?: AppService;
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  @state() private running = false;
  @state() private registration: Result | undefined;
  @state() private microphone: Result | undefined;

  override render() {
    const w = this.words;
    const line = (id: "setup.registration" | "setup.microphone", r: Result | undefined) =>
      r ? html`<p class=${r.ok ? "ok" : "failed"}>${w.t(id, { result: r.text })}</p>` : nothing;
    return html`<div class="row">
        <button type="button" ?disabled=${this.running || !this.app || !this.collect} aria-describedby="test-help" @click=${this.run}>
          ${w.t("setup.test")}
        </button>
        <span class="help" id="test-help">${w.t("setup.testHelp")}</span>
      </div>
      <div role="status">
        ${this.running ? html`<p>${w.t("setup.testing")}</p>` : nothing}${line("setup.registration", this.registration)}${line(
          "setup.microphone",
          this.microphone,
        )}
      </div>`;
  }

  private readonly run = async (): Promise<void> => {
    const app = this.app;
    if (!app || !this.collect || this.running) return;
    const w = this.words;
    this.running = true;
    this.registration = this.microphone = undefined;
    const account = this.collect();
    const sip = app.testAccount(account).then(
      (outcome) => ({ ok: outcome.ok, text: describeTrial(this.words, outcome) }),
      (e: unknown) => ({
        ok: false,
        text:
          e instanceof ConfigError
            ? w.t("setup.fixFirst", {
                problems: e.problems.map((p) => `${p.field.replace(/^accounts\[\d+\]\.?/, "")}: ${p.message}`).join("; "),
              })
            : (e as Error).message,
      }),
    );
    const mic = checkMicrophone().then(
      () => ({ ok: true, text: this.words.t("setup.micWorks") }),
      (e: unknown) => ({ ok: false, text: describeMediaError(this.words, e) }),
    );
    [this.registration, this.microphone] = await Promise.all([sip, mic]);
    this.running = false;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-account-test": SipAccountTest;
  }
}
