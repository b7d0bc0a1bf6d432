import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { Words } from "../i18n/words.js";
import type { CallSnapshot } from "../sip/api/call-state.js";
import type { PipPhone, PipView, PipViewOptions } from "./call-pip-view.js";

/**
 * Chromium's Document Picture-in-Picture API (Chrome 116+), not yet in TypeScript's DOM types.
 * Absent elsewhere: there the call notifications' actions (app/pwa.ts) keep the call in reach.
 */
export interface PipWindowApi {
  requestWindow(options?: { width?: number; height?: number }): Promise<Window>;
}

/** The `sip-call-pip` event's detail: the call card's Pop out button asks, `<sip-phone>` puts its answer in. */
export interface PipRequest {
  callId: string;
  result?: Promise<void>;
}

declare global {
  interface HTMLElementEventMap {
    "sip-call-pip": CustomEvent<PipRequest>;
  }
}

/** Where the browser lets a page open a call window, and what it needs for that (tests pass fakes). */
export interface PipEnvironment {
  api: PipWindowApi | undefined;
  document: Pick<Document, "visibilityState" | "addEventListener" | "removeEventListener">;
  /** Whether the page has a user activation now (`navigator.userActivation.isActive`). */
  activated(): boolean;
  /** Media Session action handler setter; Chromium calls `enterpictureinpicture` with the right to open. */
  setAction?(action: "enterpictureinpicture", handler: (() => void) | null): void;
  /** Loads the window's view (call-pip-view.ts): only when a window opens. */
  loadView(): Promise<{ PipView: new (options: PipViewOptions) => PipView }>;
}

export function browserPipEnvironment(): PipEnvironment {
  const g = globalThis as { documentPictureInPicture?: PipWindowApi; navigator?: Navigator; document?: Document };
  const session = g.navigator?.mediaSession as { setActionHandler(a: string, h: (() => void) | null): void } | undefined;
  return {
    api: g.documentPictureInPicture,
    document: g.document!,
    activated: () => (g.navigator as { userActivation?: { isActive: boolean } } | undefined)?.userActivation?.isActive === true,
    setAction: session
      ? (action, handler) => {
          try {
            session.setActionHandler(action, handler);
          } catch {
            // A browser that does not know the action (only Chromium has it) throws TypeError.
          }
        }
      : undefined,
    loadView: () => import("./call-pip-view.js"),
  };
}

/** A call the window is for: up, and not only ringing in (an incoming call has its notification). */
const worthShowing = (c: CallSnapshot) => c.state !== "ended" && c.state !== "incoming" && c.state !== "terminating";

/**
 * The call window that stays in sight (issue 16): while the phone's tab is in the background
 * during a call, a Document Picture-in-Picture window with the other party, the timer, and
 * Mute, Hold and Hang up, which act on the call. It closes when the last call ends.
 *
 * Chromium opens such a window only within a user activation, and switching tabs gives the
 * page none. So it opens:
 * - from the call card's Pop out button (the user's click): stays until the call ends or the
 *   user closes it;
 * - by itself where the browser allows: Chromium's automatic picture-in-picture calls the Media
 *   Session action `enterpictureinpicture` (registered while a call is up) when the user leaves
 *   a tab that uses the microphone; and when the tab is hidden while the page still has a user
 *   activation (a click that opened another tab). Such a window closes when the tab is seen
 *   again, and one the user closed does not come back for that call.
 * Where the API is missing, nothing is offered (the notifications' Answer/Hang up do the job).
 */
export class CallPip implements ReactiveController {
  private view: PipView | undefined;
  private opening: Promise<void> | undefined;
  /** Opened without the user asking (tab hidden): closed again when the tab is visible. */
  private automatic = false;
  /** Calls whose window the user closed: not opened again by itself for them. */
  private readonly closedByUser = new Set<string>();
  /** The call the user popped out; else the window shows the call that is up. */
  private preferred: string | undefined;
  private off: (() => void) | undefined;
  private actionSet = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly phone: PipPhone,
    private readonly words: () => Words,
    private readonly env: PipEnvironment = browserPipEnvironment(),
  ) {
    host.addController(this);
  }

  /** Whether this browser can show the call window (the card shows Pop out only then). */
  get supported(): boolean {
    return this.env.api !== undefined;
  }

  get open(): boolean {
    return this.view !== undefined;
  }

  hostConnected(): void {
    if (!this.supported) return;
    this.off = this.phone.on("call-state", () => this.callsChanged());
    this.env.document.addEventListener("visibilitychange", this.onVisibility);
    this.host.addEventListener("sip-call-pip", this.onRequest);
  }

  hostDisconnected(): void {
    this.off?.();
    this.env.document.removeEventListener("visibilitychange", this.onVisibility);
    this.host.removeEventListener("sip-call-pip", this.onRequest);
    this.setAction(false);
    this.close();
  }

  /** Opens the window for `callId` (or the call that is up); needs a user activation. */
  async show(callId?: string, automatic = false): Promise<void> {
    if (callId) this.preferred = callId;
    if (this.view) {
      if (!automatic) this.automatic = false;
      this.view.update();
      return;
    }
    await (this.opening ??= this.openWindow(automatic).finally(() => (this.opening = undefined)));
  }

  close(): void {
    const view = this.view;
    this.view = undefined;
    view?.close();
  }

  private async openWindow(automatic: boolean): Promise<void> {
    const api = this.env.api;
    if (!api) throw new Error("Document Picture-in-Picture is not available");
    // First, while the activation lasts: the view's module loads after.
    const win = await api.requestWindow({ width: 340, height: 190 });
    const { PipView: View } = await this.env.loadView();
    const view: PipView = new View({
      win,
      host: this.host,
      phone: this.phone,
      words: this.words,
      call: () => this.shownCall(),
      closed: () => {
        if (this.view !== view) return;
        this.view = undefined;
        const id = this.shownCall()?.id;
        if (id) this.closedByUser.add(id);
      },
    });
    this.view = view;
    this.automatic = automatic;
    view.update();
    if (!this.shownCall()) this.close();
  }

  private shownCall(): CallSnapshot | undefined {
    const up = this.phone.calls.filter(worthShowing);
    return up.find((c) => c.id === this.preferred) ?? up.find((c) => c.state === "established" && !c.held) ?? up[0];
  }

  private callsChanged(): void {
    const calls = this.phone.calls;
    const live = calls.some(worthShowing);
    this.setAction(live);
    for (const id of this.closedByUser) if (!calls.some((c) => c.id === id && c.state !== "ended")) this.closedByUser.delete(id);
    if (!live) {
      this.preferred = undefined;
      this.close();
      return;
    }
    this.view?.update();
  }

  /** Whether the window may open by itself now. */
  private get wanted(): boolean {
    const call = this.shownCall();
    return !!call && !this.view && !this.closedByUser.has(call.id);
  }

  private openAutomatically(): void {
    if (this.wanted) this.show(undefined, true).catch(() => undefined);
  }

  private readonly onVisibility = (): void => {
    if (this.env.document.visibilityState === "hidden") {
      // Without an activation Chromium refuses (NotAllowedError): the Media Session action, if
      // the browser uses it, or the notifications are the way then.
      if (this.env.activated()) this.openAutomatically();
    } else if (this.automatic) {
      this.close();
    }
  };

  private setAction(on: boolean): void {
    if (on === this.actionSet || !this.env.setAction) return;
    this.actionSet = on;
    this.env.setAction("enterpictureinpicture", on ? () => this.openAutomatically() : null);
  }

  private readonly onRequest = (e: CustomEvent<PipRequest>): void => {
    e.detail.result = this.show(e.detail.callId);
  };
}
