import type { ReactiveController, ReactiveControllerHost } from "lit";

/**
 * Whether `<sip-phone>` has the room for two panes: the phone (dialpad and calls) beside the
 * open view (history, contacts, messages…), as a desktop softphone shows them. Decided by the
 * element's own width, not the window's: an intranet page that gives the phone a narrow column
 * keeps the one-column phone, and the app page widens it on a desktop window (app.css).
 */
export const TWO_PANES_MIN_PX = 880;

export class WideLayout implements ReactiveController {
  private observer: ResizeObserver | undefined;
  private isWide = false;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  get wide(): boolean {
    return this.isWide;
  }

  hostConnected(): void {
    if (typeof ResizeObserver === "undefined") return;
    this.observer = new ResizeObserver(([entry]) => {
      const wide = (entry?.contentRect.width ?? 0) >= TWO_PANES_MIN_PX;
      if (wide === this.isWide) return;
      this.isWide = wide;
      this.host.requestUpdate();
    });
    this.observer.observe(this.host);
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = undefined;
  }
}
