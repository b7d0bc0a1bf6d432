import { UserAgent, type URI } from "sip.js";
import type { Timers, TimerHandle } from "../core/clock.js";

/**
 * What the lines on one socket know of it. Lines of one server share one WebSocket
 * (websocket-flow.ts), so one answered ping proves it alive for all of them: 1000 lines on a
 * socket send one OPTIONS per interval, not 1000, and a ping in flight is waited for rather
 * than sent again.
 */
export class SocketLiveness {
  /** When a ping on this socket was last answered. */
  heardAt = -Infinity;
  /** The ping in flight: resolves true when answered, false when it timed out. */
  inFlight: Promise<boolean> | undefined;
  private readonly upListeners = new Set<() => void>();

  /**
   * A line got the socket to the server (back): the lines waiting to retry on theirs try now.
   * Each line has its own backoff timer, so after a server restart the socket one line opened
   * would otherwise sit unused by the others for up to a step (5 s early in an outage).
   */
  announceUp(): void {
    for (const l of [...this.upListeners]) l();
  }

  /** Calls `listener` when the socket is up again; returns the unsubscribe. */
  onUp(listener: () => void): () => void {
    this.upListeners.add(listener);
    return () => this.upListeners.delete(listener);
  }
}

/** One SocketLiveness per server URL, for the lines of one phone. */
export class SocketLivenessMap {
  private readonly byServer = new Map<string, SocketLiveness>();

  for(server: string): SocketLiveness {
    let l = this.byServer.get(server);
    if (!l) this.byServer.set(server, (l = new SocketLiveness()));
    return l;
  }
}

/**
 * OPTIONS to the registrar every `intervalMs`. Any response proves the WebSocket is alive;
 * silence for `timeoutMs` means a dead socket (NAT timeout, sleeping laptop, a proxy that
 * dropped us without a FIN), reported through `onDead`. With a `liveness` shared by the lines
 * of the socket, a ping answered for another line within the interval counts for this one.
 */
export class KeepAlive {
  private next: TimerHandle | undefined;
  private deadline: TimerHandle | undefined;

  constructor(
    private readonly ua: UserAgent,
    private readonly domain: string,
    private readonly timers: Timers,
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
    private readonly onDead: () => void,
    /** Whether to keep pinging after an answer (the line is still up). */
    private readonly wanted: () => boolean,
    /** The shared knowledge of the socket this line is on now (none: this line pings alone). */
    private readonly liveness: () => SocketLiveness | undefined = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Pings after the interval (restarts the wait). */
  schedule(): void {
    this.stop();
    this.next = this.timers.after(this.intervalMs, () => this.ping(false));
  }

  stop(): void {
    this.next = this.timers.cancel(this.next);
    this.deadline = this.timers.cancel(this.deadline);
  }

  /**
   * Pings when due: skipped when another line's ping on the same socket was answered within the
   * interval, joined when one is in flight. `force` (the network may have changed) always asks.
   */
  ping(force = true): void {
    if (!this.ua.isConnected()) return;
    this.stop();
    const shared = this.liveness();
    if (shared?.inFlight) {
      void shared.inFlight.then((alive) => this.outcome(alive));
      return;
    }
    if (!force && shared && this.now() - shared.heardAt < this.intervalMs) {
      this.schedule();
      return;
    }
    const target = UserAgent.makeURI(`sip:${this.domain}`);
    if (!target) return;
    let settle: (alive: boolean) => void = () => undefined;
    if (shared) shared.inFlight = new Promise<boolean>((r) => (settle = r));
    this.send(target, (alive) => {
      if (shared) {
        if (alive) shared.heardAt = this.now();
        shared.inFlight = undefined;
      }
      settle(alive);
      this.outcome(alive);
    });
  }

  private outcome(alive: boolean): void {
    if (!alive) this.onDead();
    else if (this.wanted()) this.schedule();
  }

  /** One OPTIONS; `done(true)` on any answer, `done(false)` after `timeoutMs` of silence. */
  private send(target: URI, done: (alive: boolean) => void): void {
    const core = this.ua.userAgentCore;
    const message = core.makeOutgoingRequestMessage("OPTIONS", target, this.ua.configuration.uri, target, {});
    let settled = false;
    const answered = () => {
      if (settled) return;
      settled = true;
      this.deadline = this.timers.cancel(this.deadline);
      done(true);
    };
    this.deadline = this.timers.after(this.timeoutMs, () => {
      if (settled) return;
      settled = true;
      done(false);
    });
    core.request(message, { onAccept: answered, onReject: answered, onRedirect: answered });
  }
}
