import { AppBadge } from "./app-badge.js";

/**
 * The missed-call count on the History tab, and on the installed app's icon (app-badge.ts).
 * Several history changes can race: only the newest count is shown.
 */
export class MissedCalls {
  count = 0;
  private query = 0;

  constructor(
    private readonly host: { requestUpdate(): void },
    private readonly read: () => Promise<number>,
    private readonly badge = new AppBadge(),
  ) {}

  /** Reads the count again; `viewing` (the history is open) shows none. */
  async refresh(viewing: boolean): Promise<void> {
    const query = ++this.query;
    const n = viewing ? 0 : await this.read();
    if (query !== this.query) return;
    this.count = n;
    this.host.requestUpdate();
    this.badge.set("missed", n);
  }
}
