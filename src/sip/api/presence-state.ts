/**
 * What a watched party is doing, as the busy lamps show it. Public API (`presence` events,
 * `phone.watched`): the string values are a contract with host pages.
 *
 * - `idle`: registered and in no call (dialog event with no live dialog, or PIDF open);
 * - `ringing`: a call rings there (an early dialog they did not start): it can be picked up;
 * - `busy`: in a call, or calling out;
 * - `offline`: PIDF says closed (the dialog event cannot tell offline from idle);
 * - `unknown`: not known yet, or the server refused to tell (`code`: 403, 404, 489...; or
 *   `reason`: the Subscription-State reason it gave, RFC 6665 4.1.3).
 */
export type PresenceState = "idle" | "ringing" | "busy" | "offline" | "unknown";

/** Which event package told us (RFC 4235 dialog, or RFC 3856 presence where dialog is refused). */
export type PresenceEvent = "dialog" | "presence";

export interface PresenceSnapshot {
  /** What was passed to watch(), as given: the key for unwatch() and for the UI. */
  target: string;
  lineId: string;
  state: PresenceState;
  /** The package in use, once the server accepted one. */
  event?: PresenceEvent;
  /** Why the state is unknown: the SIP status of the refused SUBSCRIBE. */
  code?: number;
  /** Why the state is unknown: the Subscription-State reason of the server's last NOTIFY. */
  reason?: string;
  /** Who the ringing or talking party is on the other side, when the server says (text, never markup). */
  remote?: string;
}
