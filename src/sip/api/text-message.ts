/**
 * One text message (RFC 3428 MESSAGE), sent or received: the `message` event's detail.
 *
 * ```
 * out:  queued ──(line up)──▶ sending ──2xx──▶ delivered (200) / sent (202: taken by a relay)
 *          │                     └──────────▶ failed (the final response, or why it never left)
 *          └──(line removed or switched off)▶ failed
 * in:   received
 * ```
 * A 202 means a store-and-forward server took the message, not that the peer has it (RFC 3428
 * 7: "the 202 response code ... indicates that the request has been accepted for processing");
 * a 200 comes from the peer's UA.
 */
export type MessageStatus = "queued" | "sending" | "sent" | "delivered" | "failed" | "received";

/** Why a message was not sent, as data (the words are components/messages.ts's). */
export type MessageFailure =
  /** The MESSAGE got a final failure response (a timeout is 408, a lost connection 503, RFC 3261 8.1.3.1). */
  | { kind: "rejected"; sipCode: number; reasonPhrase: string }
  /** It waited for a line that was then removed, or switched off. */
  | { kind: "no-line" }
  /** The page closed before it went out. */
  | { kind: "interrupted" };

export interface MessageSnapshot {
  id: string;
  lineId: string;
  direction: "in" | "out";
  /** The other party as a number or user (the conversation it belongs to). */
  remote: string;
  /** The name the other party gave (cleaned as call display names are). */
  remoteName?: string;
  remoteUri: string;
  /** Plain text, exactly as sent or received: never markup. */
  text: string;
  /** When it was written or arrived (ms since epoch). */
  at: number;
  status: MessageStatus;
  sipCode?: number;
  failure?: MessageFailure;
  /** The sentence for the failure: added by the UI layer, never by src/sip. */
  reason?: string;
}

/**
 * Messages we take and send are at most this many bytes of UTF-8: a MESSAGE travels in one SIP
 * request, and RFC 3428 7 keeps it under the path MTU unless the transport is congestion
 * controlled. Bigger incoming ones get 413 (request-screen.ts).
 */
export const MAX_MESSAGE_BYTES = 16 * 1024;
