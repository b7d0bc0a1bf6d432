import { CallState, type CallSnapshot } from "../sip/api/call-state.js";
import { keyBelongsElsewhereTarget } from "./keyboard-shortcuts.js";

/** The element that really has the focus, inside shadow roots too. */
export function deepActiveElement(doc: Document = document): Element | null {
  let active = doc.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** `<sip-phone>` as the focus handling sees it. */
export interface FocusHost {
  /** Resolves once the element has rendered what it has been told. */
  updated(): Promise<unknown>;
  /** The call's panel, once rendered: focuses its first action (Answer while it rings). */
  focusCall(callId: string): boolean;
}

/**
 * Moves the focus to a ringing call's card and back (WAI-ARIA: a keyboard user must reach the
 * Answer button without hunting for it):
 * - a call that rings while no other call is up takes the focus to its Answer button, unless
 *   the user is typing in a field (a message, the number: keys there must not answer a call);
 * - answered, the focus goes to the call's first button (Mute), where its actions are;
 * - ended unanswered (declined, cancelled, answered elsewhere), the focus goes back where it was.
 * Call waiting (a second call while talking) only announces: the focus stays on the first call.
 */
export class CallFocus {
  /** The ringing call that took the focus, and what had it before. */
  private took: { callId: string; before: Element | null } | undefined;

  constructor(private readonly host: FocusHost) {}

  async callChanged(call: CallSnapshot, calls: readonly CallSnapshot[]): Promise<void> {
    if (call.state === CallState.Incoming) {
      const others = calls.some((c) => c.id !== call.id && c.state !== CallState.Ended);
      const before = deepActiveElement();
      if (this.took || others || (before && keyBelongsElsewhereTarget(before))) return;
      this.took = { callId: call.id, before };
      await this.host.updated();
      this.host.focusCall(call.id);
      return;
    }
    // Terminating goes on to Ended: wait for it.
    if (this.took?.callId !== call.id || call.state === CallState.Terminating) return;
    const { before } = this.took;
    this.took = undefined;
    await this.host.updated();
    // Only if the user left the focus where we put it (or it fell to the page when the card went).
    const now = deepActiveElement();
    const lost = !now || now === document.body || now.localName === "sip-phone" || now.localName === "sip-call-panel";
    if (call.state === CallState.Established) {
      if (lost) this.host.focusCall(call.id);
    } else if (call.state === CallState.Ended && lost && before instanceof HTMLElement && before.isConnected) {
      before.focus();
    }
  }
}
