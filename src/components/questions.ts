import { getLogger } from "../sip/core/logger.js";
import type { ConfirmQuestion } from "./confirm-request.js";

const log = getLogger("questions");

/**
 * Questions for the user, one at a time, in the order they came (two links clicked in a row
 * are asked about one after the other). `<sip-phone>` shows `current` and passes the answer.
 */
export class QuestionQueue {
  private readonly waiting: Array<{ question: ConfirmQuestion; answer: (yes: boolean) => void }> = [];

  constructor(private readonly changed: () => void) {}

  get current(): ConfirmQuestion | undefined {
    return this.waiting[0]?.question;
  }

  /** Resolves with the user's answer; a question that cannot be shown counts as no. */
  ask(question: ConfirmQuestion): Promise<boolean> {
    return new Promise((resolve) => {
      const entry = { question, answer: resolve };
      // Loaded on first use: most sessions never see a question.
      import("./confirm-request.js").then(
        () => {
          this.waiting.push(entry);
          this.changed();
        },
        (e: Error) => {
          log.error("cannot show the question:", e.message);
          resolve(false);
        },
      );
    });
  }

  answer(yes: boolean): void {
    this.waiting.shift()?.answer(yes);
    this.changed();
  }
}
