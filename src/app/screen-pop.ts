import { screenPopUrl, type ScreenPop } from "../config/screen-pop.js";
import { CallState, type CallSnapshot } from "../sip/api/call-state.js";

export interface ScreenPopDeps {
  /** The line's screen pop and label; undefined: no such line. */
  lineOf(lineId: string): { screenPop?: ScreenPop; label: string } | undefined;
  /** Opens `url` in a new window; false when the browser refused (popup blocker). */
  open(url: string): boolean;
  /** Whether this tab opens windows: only the tab that holds the connection, so one window per call. */
  opens(): boolean;
}

/** A call's CRM page: its URL, and whether the window was opened, refused or left to another tab. */
export interface ScreenPopState {
  url: string;
  opened: "yes" | "blocked" | "other-tab";
}

/**
 * Opens the CRM page of an incoming call's caller (a line's `screenPop`, config/screen-pop.ts)
 * once per call, as it rings or once it is answered. Browsers let a page open a window only
 * right after a user's click, unless the user allowed pop-ups for the phone's site: a refused
 * window is reported (`blocked`) and the call's card offers the link instead, which the user's
 * click opens. Outgoing calls pop nothing: the user knows whom they call.
 */
export class ScreenPopper {
  private readonly calls = new Map<string, ScreenPopState>();

  constructor(private readonly deps: ScreenPopDeps) {}

  /** Follows a call's `call-state`; returns the call's state when it changed. */
  callChanged(call: CallSnapshot): ScreenPopState | undefined {
    if (call.state === CallState.Ended) {
      this.calls.delete(call.id);
      return undefined;
    }
    if (call.direction !== "in" || this.calls.has(call.id) || call.clickToCall) return undefined;
    const line = this.deps.lineOf(call.lineId);
    const pop = line?.screenPop;
    if (!pop) return undefined;
    const due = call.state === CallState.Established || (call.state === CallState.Incoming && (pop.on ?? "ring") === "ring");
    if (!due) return undefined;
    const url = screenPopUrl(pop.url, { number: call.remote, name: call.remoteName ?? "", line: line.label, callId: call.id });
    const state: ScreenPopState = { url, opened: !this.deps.opens() ? "other-tab" : this.deps.open(url) ? "yes" : "blocked" };
    this.calls.set(call.id, state);
    return state;
  }

  /** The call's CRM page, while the call lasts. */
  stateOf(callId: string): ScreenPopState | undefined {
    return this.calls.get(callId);
  }
}

/**
 * `window.open` that says whether the window opened. Not with "noopener", with which browsers
 * return null whether or not they opened it; the opener is cut at once instead, so the CRM page
 * cannot reach the phone's window.
 */
export function openWindow(url: string): boolean {
  const w = window.open(url, "_blank");
  if (!w) return false;
  w.opener = null;
  return true;
}
