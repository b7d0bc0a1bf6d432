import { CallState, type CallSnapshot } from "../../sip/api/call-state.js";
import { LineState, type LineSnapshot } from "../../sip/api/line-state.js";
import type { SipPhone } from "../sip-phone.js";

/** What `<sip-call-button>` uses of the page's `<sip-phone>`. */
type PhoneElementApi = Pick<SipPhone, "ready" | "lines" | "calls" | "dial" | "hangup">;

/**
 * A `<sip-phone>` for tests of what talks to the element from outside (call buttons): records
 * dials and hang-ups, lets tests push line and call states as the element's DOM events.
 * Register it with `defineFakeSipPhone()` (only in a test file that does not load the real one).
 */
export class FakeSipPhoneElement extends HTMLElement implements PhoneElementApi {
  lines: LineSnapshot[] = [{ id: "l1", label: "Alice", aor: "sip:1001@pbx.test", state: LineState.Registered, server: "wss://pbx.test" }];
  calls: CallSnapshot[] = [];
  ready: Promise<void> = Promise.resolve();
  readonly actions: string[] = [];
  dialError: Error | undefined;
  /** `call-state` listeners currently added (leak checks). */
  callStateListeners = 0;

  override addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void {
    if (type === "call-state") this.callStateListeners++;
    super.addEventListener(type, listener, options);
  }

  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void {
    if (type === "call-state") this.callStateListeners--;
    super.removeEventListener(type, listener, options);
  }

  async dial(target: string, options: { lineId?: string; mode?: "browser" | "desk" | "reverse" } = {}): Promise<string> {
    this.actions.push(`dial ${target}${Object.keys(options).length ? ` ${JSON.stringify(options)}` : ""}`);
    if (this.dialError) throw this.dialError;
    const id = `c${this.calls.length + 1}`;
    this.setCall(id, { state: CallState.Dialing, remote: target, remoteUri: `sip:${target}@pbx.test` });
    return id;
  }

  async hangup(callId?: string): Promise<void> {
    this.actions.push(`hangup ${callId}`);
  }

  setLine(patch: Partial<LineSnapshot>): void {
    this.lines = [{ ...this.lines[0]!, ...patch }];
    this.dispatchEvent(new CustomEvent("line-state", { detail: this.lines[0] }));
  }

  /** Adds or updates call `id` and fires `call-state` for it. */
  setCall(id: string, patch: Partial<CallSnapshot>): void {
    const old = this.calls.find((c) => c.id === id);
    const call: CallSnapshot = {
      ...(old ?? {
        id,
        lineId: "l1",
        direction: "out",
        remote: "",
        remoteUri: "",
        state: CallState.Dialing,
        muted: false,
        held: false,
        heldByRemote: false,
        startedAt: Date.now(),
      }),
      ...patch,
    };
    this.calls = old ? this.calls.map((c) => (c.id === id ? call : c)) : [...this.calls, call];
    this.dispatchEvent(new CustomEvent("call-state", { detail: call }));
  }
}

export function defineFakeSipPhone(): void {
  if (!customElements.get("sip-phone")) customElements.define("sip-phone", FakeSipPhoneElement);
}
