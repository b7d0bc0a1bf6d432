/**
 * The missed-call count on the History tab, and on the installed app's icon (Badging API).
 * Several history changes can race: only the newest count is shown.
 */
export class MissedCalls {
  count = 0;
  private query = 0;
  private badge = 0;

  constructor(
    private readonly host: { requestUpdate(): void },
    private readonly read: () => Promise<number>,
  ) {}

  /** Reads the count again; `viewing` (the history is open) shows none. */
  async refresh(viewing: boolean): Promise<void> {
    const query = ++this.query;
    const n = viewing ? 0 : await this.read();
    if (query !== this.query) return;
    this.count = n;
    this.host.requestUpdate();
    this.setBadge(n);
  }

  /**
   * The installed app's icon shows the missed calls too. Only when installed (a tab has no
   * badge) and only on a change: the call costs a round trip to the browser, which showed in
   * the time to open the history (npm run bench).
   */
  private setBadge(n: number): void {
    if (n === this.badge || !matchMedia("(display-mode: standalone)").matches) return;
    this.badge = n;
    const nav = navigator as Navigator & { setAppBadge?(n: number): Promise<void>; clearAppBadge?(): Promise<void> };
    setTimeout(() => void (n ? nav.setAppBadge?.(n) : nav.clearAppBadge?.())?.catch(() => undefined), 0);
  }
}
