/**
 * A refused phone operation, as a code and the facts a sentence needs (`detail`). The message
 * is for developers and logs; the UI words the code (components/messages.ts).
 */
export type PhoneErrorCode =
  | "no-line"
  | "no-call"
  | "bad-target"
  | "bad-state"
  | "no-desk-phone"
  /** pickup(): nothing rings at the target to pick up, or the line has no pickup code for it. */
  | "no-pickup"
  /** park(): the line has no `parkExtension`. */
  | "no-park"
  /** A text message that is empty or over MAX_MESSAGE_BYTES (text-message.ts). */
  | "bad-text"
  /** A text message the other side or the path refused (`detail.sipCode`, `reasonPhrase`). */
  | "message-failed"
  /** Video refused: the other side did not accept it (`detail.outcome`), or this platform has none. */
  | "no-video";

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
