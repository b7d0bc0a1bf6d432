import type { ReactiveController } from "lit";
import type { CallSnapshot } from "../sip/api/call-state.js";
import { keyBelongsElsewhere, shortcutFor, type Shortcut } from "./keyboard-shortcuts.js";

/**
 * Where the shortcuts listen (`keyboard-shortcuts` attribute of `<sip-phone>`):
 * - `element` (the default): while the focus is inside the phone. An intranet page that embeds
 *   the phone keeps its own keys everywhere else.
 * - `page`: anywhere in the document (the app page, where the phone is the page).
 * - `off`: nowhere.
 */
export type ShortcutScope = "element" | "page" | "off";

/** What the shortcuts act on: the phone's commands and the parts of `<sip-phone>` they open. */
export interface ShortcutTarget {
  calls(): readonly CallSnapshot[];
  run(shortcut: Exclude<Shortcut, { action: "help" | "dial-key" | "transfer" }>): Promise<unknown>;
  /** Opens the call's transfer field with the focus in it. */
  openTransfer(callId: string): void;
  /** Types a digit into the dialpad's number (opening the dialpad view if another is shown). */
  dialKey(key: string): void;
  /** Shows the list of shortcuts (loaded on first use). */
  help(): void;
  /** A command failed: its message, shown as the phone shows errors. */
  failed(message: string): void;
}

/** Listens for the shortcuts of keyboard-shortcuts.ts and carries them out. */
export class ShortcutKeys implements ReactiveController {
  private listeningOn: EventTarget | undefined;

  constructor(
    private readonly host: HTMLElement & { addController(c: ReactiveController): void },
    private readonly target: ShortcutTarget,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.listen();
  }

  hostDisconnected(): void {
    this.listeningOn?.removeEventListener("keydown", this.onKeydown);
    this.listeningOn = undefined;
  }

  /** The attribute changed: listen where it says now. */
  listen(): void {
    this.hostDisconnected();
    const scope = this.host.getAttribute("keyboard-shortcuts") as ShortcutScope | null;
    if (scope === "off") return;
    this.listeningOn = scope === "page" ? this.host.ownerDocument : this.host;
    this.listeningOn.addEventListener("keydown", this.onKeydown);
  }

  private readonly onKeydown = (event: Event): void => {
    const e = event as KeyboardEvent;
    if (e.repeat || keyBelongsElsewhere(e)) return;
    const shortcut = shortcutFor(e.key, this.target.calls());
    if (!shortcut) return;
    e.preventDefault();
    switch (shortcut.action) {
      case "help":
        return this.target.help();
      case "dial-key":
        return this.target.dialKey(shortcut.key);
      case "transfer":
        return this.target.openTransfer(shortcut.callId);
      default:
        this.target.run(shortcut).catch((error: Error) => this.target.failed(error.message));
    }
  };
}
