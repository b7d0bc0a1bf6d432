/**
 * A refused phone operation, as a code and the facts a sentence needs (`detail`). The message
 * is for developers and logs; the UI words the code (components/messages.ts).
 */
export type PhoneErrorCode = "no-line" | "no-call" | "bad-target" | "bad-state" | "no-desk-phone";

export class PhoneError extends Error {
  constructor(
    message: string,
    readonly code: PhoneErrorCode,
    readonly detail: Record<string, string | number | undefined> = {},
  ) {
    super(message);
    this.name = "PhoneError";
  }
}
