import type { AccountConfig, LocationConfig, NumberRules } from "../config/phone-config.js";
import type { CallSnapshot } from "../sip/api/call-state.js";
import type { LineSnapshot } from "../sip/api/line-state.js";
import type { MessageSnapshot } from "../sip/api/text-message.js";
import type { PresenceSnapshot } from "../sip/api/presence-state.js";
import type { WordedAudioNotice } from "./audio-words.js";

/** Every custom event the components send, declared once. */
declare global {
  interface HTMLElementEventMap {
    "line-state": CustomEvent<LineSnapshot>;
    presence: CustomEvent<PresenceSnapshot>;
    "call-state": CustomEvent<CallSnapshot>;
    "incoming-call": CustomEvent<CallSnapshot>;
    message: CustomEvent<MessageSnapshot>;
    "audio-device": CustomEvent<WordedAudioNotice>;
    "account-save": CustomEvent<AccountConfig>;
    "account-cancel": CustomEvent<void>;
    "numbers-change": CustomEvent<{ location?: LocationConfig; numberRules?: NumberRules }>;
  }
}

/** Dispatches a typed event that bubbles out of shadow roots. */
export function emit<K extends keyof HTMLElementEventMap>(
  from: EventTarget,
  type: K,
  detail: HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never,
): void {
  from.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
