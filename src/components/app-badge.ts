/**
 * The installed app's icon badge (Badging API): the sum of what waits for the user, missed
 * calls, unread messages and new voicemails, each part set by its owner. Only when installed
 * (a tab has no badge) and only on a change: the call costs a round trip to the browser, which
 * showed in the time to open the history (npm run bench).
 */
export class AppBadge {
  private readonly parts = new Map<string, number>();
  private shown = 0;

  set(part: "missed" | "messages" | "voicemail", n: number): void {
    this.parts.set(part, n);
    const total = [...this.parts.values()].reduce((a, b) => a + b, 0);
    if (total === this.shown || typeof matchMedia !== "function" || !matchMedia("(display-mode: standalone)").matches) return;
    this.shown = total;
    const nav = navigator as Navigator & { setAppBadge?(n: number): Promise<void>; clearAppBadge?(): Promise<void> };
    setTimeout(() => void (total ? nav.setAppBadge?.(total) : nav.clearAppBadge?.())?.catch(() => undefined), 0);
  }
}
