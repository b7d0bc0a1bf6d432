import type { ReactiveControllerHost } from "lit";
import type { Words } from "../i18n/words.js";
import { loadCallPanel } from "./call-panel-code.js";

/** `<sip-phone>` as its call cards see it. */
interface CardsHost extends ReactiveControllerHost {
  showNotice(text: string, kind: "info" | "error"): void;
}

/**
 * Whether `<sip-phone>` can render its call cards: their code (call-panel-code.ts) loads with
 * the first call's news. The cards are rendered only once it is defined, so that each is
 * created as what it is, not upgraded in place (which happy-dom, our unit tests' DOM, does not
 * do inside shadow roots). If the code cannot come, the user is told, not left without the
 * call's buttons, and the next call's news tries again.
 */
export class CallCards {
  /** The code is here: render the cards. */
  loaded = false;
  /** Settles once the code is here (or could not come); undefined before the first call. */
  ready: Promise<void> | undefined;

  constructor(
    private readonly host: CardsHost,
    private readonly words: () => Words,
  ) {}

  /** A call is up or ringing: its card's code is loaded, once. */
  need(): void {
    this.ready ??= loadCallPanel().then(
      () => {
        this.loaded = true;
        this.host.requestUpdate();
      },
      (e: Error) => {
        this.ready = undefined;
        this.host.showNotice(this.words().t("call.cardNotLoaded", { why: e.message }), "error");
      },
    );
  }
}
