import { UserAgent } from "sip.js";
import type { Timers, TimerHandle } from "../core/clock.js";

/**
 * OPTIONS to the registrar every `intervalMs`. Any response proves the WebSocket is alive;
 * silence for `timeoutMs` means a dead socket (NAT timeout, sleeping laptop, a proxy that
 * dropped us without a FIN), reported through `onDead`.
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
  ) {}

  /** Pings after the interval (restarts the wait). */
  schedule(): void {
    this.stop();
    this.next = this.timers.after(this.intervalMs, () => this.ping());
  }

  stop(): void {
    this.next = this.timers.cancel(this.next);
    this.deadline = this.timers.cancel(this.deadline);
  }

  /** Pings now (the network may have changed). */
  ping(): void {
    if (!this.ua.isConnected()) return;
    this.stop();
    const core = this.ua.userAgentCore;
    const target = UserAgent.makeURI(`sip:${this.domain}`);
    if (!target) return;
    const message = core.makeOutgoingRequestMessage("OPTIONS", target, this.ua.configuration.uri, target, {});
    let settled = false;
    const answered = () => {
      if (settled) return;
      settled = true;
      this.deadline = this.timers.cancel(this.deadline);
      if (this.wanted()) this.schedule();
    };
    this.deadline = this.timers.after(this.timeoutMs, () => {
      if (settled) return;
      settled = true;
      this.onDead();
    });
    core.request(message, { onAccept: answered, onReject: answered, onRedirect: answered });
  }
}
