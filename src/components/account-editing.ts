import { html, nothing } from "lit";
import type { AccountConfig } from "../config/phone-config.js";
import { ConfigError, type ConfigProblem } from "../config/config-error.js";
import { loadViewWords, wordsFor } from "../i18n/languages.js";

/** `<sip-phone>`: it repaints, and shows a notice when a module cannot be loaded. */
interface NoticeHost {
  /** The language it speaks (SipPhone.language). */
  readonly language?: string;
  requestUpdate(): void;
  showNotice(text: string, kind: "info" | "error"): void;
}

/**
 * The account form in `<sip-phone>`: shown on first run (no saved lines) and until a
 * configuration is applied; saving shows "Saving…", then closes, or names each problem by its
 * field. The form (with the number settings) is only needed then, so it loads on first use, with
 * the views' words it speaks (src/i18n/en-views.ts).
 */
export class AccountEditing {
  private open = false;
  private problems: ConfigProblem[] = [];
  private status = "";

  constructor(
    private readonly host: NoticeHost,
    /** Validates and saves the account (the app's saveAccount); throws ConfigError. */
    private readonly save: (account: AccountConfig) => Promise<void>,
  ) {}

  get editing(): boolean {
    return this.open;
  }

  set editing(on: boolean) {
    // Each opening loads once (a module that failed to load is tried again; one loaded costs nothing).
    if (on && !this.open) this.loading = undefined;
    this.open = on;
    this.host.requestUpdate();
  }

  private loading: Promise<unknown> | undefined;
  /**
   * The form's module and the views' words are both here: the form renders only then (its
   * module defines the element as it is evaluated, maybe before the words have come).
   */
  private ready = false;

  /**
   * Before each render: the form's module is loaded while the form is shown. Once per opening:
   * its failure notice repaints the element, and trying again at each render made a loop of
   * renders, imports and notices that held the main thread (seen as a Vitest worker spinning
   * after happy-dom's teardown made every import fail).
   */
  load(): void {
    if (!this.open || this.loading) return;
    this.loading = Promise.all([import("./account-form.js"), loadViewWords()]).then(
      () => {
        if (this.ready) return;
        this.ready = true;
        this.host.requestUpdate();
      },
      (e: Error) => this.host.showNotice(wordsFor(this.host.language).t("account.loadFailed", { why: e.message }), "error"),
    );
  }

  render() {
    // Until then an empty view, as the element was before its module defined it (a few ms).
    if (!this.ready) return nothing;
    return html`<sip-account-form
      .problems=${this.problems}
      .status=${this.status}
      @account-save=${(e: CustomEvent<AccountConfig>) => this.onSave(e)}
      @account-cancel=${() => (this.editing = false)}
    ></sip-account-form>`;
  }

  private async onSave(e: CustomEvent<AccountConfig>): Promise<void> {
    this.problems = [];
    this.status = wordsFor(this.host.language).t("account.saving");
    this.host.requestUpdate();
    try {
      await this.save(e.detail);
      this.status = "";
      this.editing = false;
    } catch (err) {
      this.status = "";
      if (err instanceof ConfigError) this.problems = err.problems;
      else this.status = (err as Error).message;
      this.host.requestUpdate();
    }
  }
}
