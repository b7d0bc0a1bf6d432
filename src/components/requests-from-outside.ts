import { html, nothing } from "lit";
import type { PhoneConfig } from "../config/phone-config.js";
import { takeEarlyProvision } from "../app/early-provision.js";
import { wordsFor } from "../i18n/languages.js";
import type { LineSnapshot } from "../sip/api/line-state.js";
import { QuestionQueue } from "./questions.js";

/**
 * What `<sip-phone>` lends to the handling of outside requests. Closures only: this object is
 * kept by the element in a JS-private field, and gets the configuration only while a request
 * needs it (docs/security.md, "Secrets").
 */
export interface OutsideRequestDeps {
  /** The current configuration, read when a request is planned. */
  config(): PhoneConfig;
  /** Applies a configuration straight away (the element's configure() waits for `ready`). */
  configure(config: PhoneConfig): Promise<void>;
  lines(): LineSnapshot[];
  /** The lines a link dials on, in order of preference, when it names `lineId` (or none). */
  preferredLines(lineId: string | undefined): Array<string | undefined>;
  /** The element's dial(). */
  dial(target: string, options: { lineId?: string }): Promise<string>;
  /** A provisioned configuration was applied. */
  applied(): void;
  notice(text: string, kind: "info" | "error"): void;
}

/**
 * Requests from outside the page, a link that asks to dial or a provisioning link, carried out
 * for `<sip-phone>`: planned and checked (outside-requests.ts, loaded on first use), and asked
 * about when they need the user's yes (one question at a time, questions.ts).
 */
export class RequestsFromOutside {
  private readonly questions: QuestionQueue;

  constructor(
    /** `<sip-phone>`: it repaints, and speaks `language` (SipPhone.language). */
    private readonly host: { requestUpdate(): void; readonly language?: string },
    private readonly deps: OutsideRequestDeps,
  ) {
    this.questions = new QuestionQueue(() => host.requestUpdate());
  }

  /** See SipPhone.confirmDial. */
  async confirmDial(target: string, options: { lineId?: string }): Promise<string | undefined> {
    const { planLinkDial, linkDialQuestion } = await import("./outside-requests.js");
    const { deps } = this;
    const plan = await planLinkDial(target, deps.config().accounts, deps.lines(), deps.preferredLines(options.lineId));
    if (!plan) return deps.dial(target, options);
    if (plan.confirm && !(await this.questions.ask(linkDialQuestion(wordsFor(this.host.language), plan)))) return undefined;
    return deps.dial(target, { lineId: plan.lineId });
  }

  /**
   * See SipPhone.provision. The file is fetched at once; applying it waits for `ready` (the
   * phone started: its saved configuration is what the file is compared with).
   */
  async provision(source: string, ready: Promise<unknown> = Promise.resolve()): Promise<boolean> {
    const code = import("./outside-requests.js");
    const fetched = takeEarlyProvision(source) ?? code.then(({ fetchProvision }) => fetchProvision(source, new URL(location.href)));
    const [{ applyProvision, provisionQuestion, describeProvisionProblem }] = await Promise.all([code, ready]);
    const { deps } = this;
    const outcome = await applyProvision(
      {
        get config() {
          return deps.config();
        },
        configure: (c: PhoneConfig) => deps.configure(c),
        confirm: (changes) => this.questions.ask(provisionQuestion(wordsFor(this.host.language), source, changes)),
      },
      await fetched,
    );
    if (outcome.ok) deps.applied();
    else
      deps.notice(
        describeProvisionProblem(wordsFor(this.host.language), source, outcome.problem),
        outcome.problem.kind === "declined" ? "info" : "error",
      );
    return outcome.ok;
  }

  /** The question waiting for the user's answer, if any. */
  render() {
    const question = this.questions.current;
    return question
      ? html`<sip-confirm-request
          part="question"
          .question=${question}
          @confirm-answer=${(e: CustomEvent<boolean>) => this.questions.answer(e.detail)}
        ></sip-confirm-request>`
      : nothing;
  }
}
