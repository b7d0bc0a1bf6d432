/**
 * A line's servers in order, with failover as desk phones do it with DNS SRV: a server that
 * fails sends the line to the next one at once; only a full round of failures waits for the
 * backoff.
 */
export class ServerList {
  private index = 0;
  private failedInRow = 0;

  constructor(private readonly servers: readonly string[]) {
    if (servers.length === 0) throw new Error("a line needs at least one server");
  }

  get current(): string {
    return this.servers[this.index]!;
  }

  get all(): readonly string[] {
    return this.servers;
  }

  /** The current server worked: a new round starts at the next failure. */
  succeeded(): void {
    this.failedInRow = 0;
  }

  /**
   * The current server failed: moves to the next. `roundDone` is true when every server has
   * now failed in a row (then the caller waits for its backoff before trying again).
   */
  failed(): { failed: string; next: string; roundDone: boolean } {
    const failed = this.current;
    this.failedInRow++;
    const roundDone = this.failedInRow >= this.servers.length;
    if (roundDone) this.failedInRow = 0;
    this.index = (this.index + 1) % this.servers.length;
    return { failed, next: this.current, roundDone };
  }
}
