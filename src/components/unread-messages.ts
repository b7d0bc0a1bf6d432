import { AppBadge } from "./app-badge.js";

/**
 * The unread-message count on the Messages tab and in the app badge (app-badge.ts), read from
 * storage whenever the stored messages change. Reads can race: only the newest count is shown.
 */
export class UnreadMessages {
  count = 0;
  private query = 0;

  constructor(
    private readonly host: { requestUpdate(): void },
    private readonly read: () => Promise<ReadonlyMap<string, number>>,
    private readonly badge = new AppBadge(),
  ) {}

  async refresh(): Promise<void> {
    const query = ++this.query;
    let n = 0;
    for (const unread of (await this.read()).values()) n += unread;
    if (query !== this.query) return;
    this.count = n;
    this.host.requestUpdate();
    this.badge.set("messages", n);
  }
}
