import { Registerer, RegistererState, UserAgent } from "sip.js";
import type { IncomingResponse } from "sip.js/lib/core/index.js";
import type { AccountConfig } from "../../config/phone-config.js";
import { DEFAULT_EXPIRES, parseSipUri } from "../../config/phone-config.js";
import { Backoff } from "../core/backoff.js";
import { systemClock, Timers, type Clock, type TimerHandle } from "../core/clock.js";
import { Emitter } from "../core/emitter.js";
import { getLogger } from "../core/logger.js";
import { abortTransport, pointTransportAt, registerInFlight, registererExpires, type RegisterDelegate } from "../core/sipjs-internals.js";
import { StateMachine } from "../core/state-machine.js";
import type { LineFailure } from "./failures.js";
import { KeepAlive } from "./keep-alive.js";
import { LINE_MOVES, LinePhase, publicState, type LineError, type LineSnapshot } from "./line-state.js";
import { DEFAULT_LINE_TIMING, type LineDeps, type LineTiming } from "./line-options.js";
import { userAgentOptions } from "./line-user-agent.js";
import { grantedExpires, refreshDelayMs, retryAfterMs } from "./registration-expiry.js";
import { ServerList } from "./server-list.js";

const log = getLogger("line");

export { refreshDelayMs, grantedExpires };
export { DEFAULT_LINE_TIMING, type LineDeps, type LineTiming } from "./line-options.js";

export interface LineEvents {
  change: LineSnapshot;
  /** Registered again after the connection was lost: calls should refresh their dialogs. */
  reconnected: void;
}

/**
 * One account: a SIP.js UserAgent and Registerer, kept registered (machine in line-state.ts).
 *
 * SIP.js neither reconnects a dropped WebSocket nor re-sends a Registerer after a reconnect
 * (SIP.js #1095), so the Line does both: jittered exponential backoff, an OPTIONS keep-alive
 * (keep-alive.ts), server failover (server-list.ts), its own refresh timer
 * (registration-expiry.ts) so that refresh failures carry their SIP code, and it waits for a
 * REGISTER already in flight instead of failing (SIP.js #1071).
 */
export class Line extends Emitter<LineEvents> {
  readonly id: string;
  readonly ua: UserAgent;
  readonly domain: string;
  private readonly registerer: Registerer;
  private readonly machine: StateMachine<LinePhase>;
  private readonly timing: LineTiming;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly backoff: Backoff;
  private readonly servers: ServerList;
  private readonly keepAlive: KeepAlive;
  /** Unsubscribes from the other lines' news that a server's socket is up again (keep-alive.ts). */
  private offSocketUp: Array<() => void> = [];
  private error: LineError | undefined;
  private retryTimer: TimerHandle | undefined;
  private refreshTimer: TimerHandle | undefined;
  private registerQueued = false;
  private started = false;
  /** The connection was lost since the last successful registration. */
  private lostFlow = false;

  constructor(
    readonly account: AccountConfig,
    private readonly deps: LineDeps,
  ) {
    super();
    this.id = account.id;
    this.timing = { ...DEFAULT_LINE_TIMING, ...deps.timing };
    this.clock = deps.clock ?? systemClock;
    this.timers = new Timers(this.clock);
    this.backoff = new Backoff({
      minMs: this.timing.backoffMinMs,
      maxMs: this.timing.backoffMaxMs,
      fastCapMs: this.timing.backoffFastCapMs,
      fastPhaseMs: this.timing.backoffFastPhaseMs,
    });
    this.servers = new ServerList(account.servers);
    const parsed = parseSipUri(account.sipUri);
    if (!parsed) throw new Error(`invalid sipUri ${account.sipUri}`);
    this.domain = parsed.host;
    this.machine = new StateMachine("line " + account.id, LinePhase.Disabled, LINE_MOVES, () => this.emit("change", this.snapshot));
    this.ua = new UserAgent(
      userAgentOptions(account, parsed.user, this.servers.current, deps, {
        onConnect: () => this.onConnect(),
        onDisconnect: (error) => this.onDisconnect(error),
        onInvite: (invitation) => deps.onInvite(this, invitation),
        // Out-of-dialog NOTIFY (unsolicited message-summary, RFC 3842) and MESSAGE (RFC 3428):
        // without a handler, 481 and 405 as SIP.js's own defaults would answer.
        onNotify: (notification) =>
          deps.onNotify ? deps.onNotify(this, notification) : void notification.reject({ statusCode: 481 }).catch(() => undefined),
        onMessage: (message) =>
          deps.onMessage ? deps.onMessage(this, message) : void message.reject({ statusCode: 405 }).catch(() => undefined),
      }),
    );
    // A shared-flow transport routes incoming messages by this UserAgent's via-host.
    const transport = this.ua.transport as unknown as { viaHost?: string; lineId?: string };
    if ("viaHost" in transport) {
      transport.viaHost = this.ua.configuration.viaHost.toLowerCase();
      transport.lineId = this.id;
    }
    this.keepAlive = new KeepAlive(
      this.ua,
      this.domain,
      this.timers,
      this.timing.keepAliveMs,
      this.timing.keepAliveTimeoutMs,
      () => this.onKeepAliveUnanswered(),
      () => this.phase === LinePhase.Registered || this.phase === LinePhase.Connected,
      () => deps.liveness?.for(this.servers.current),
      () => this.clock.now(),
    );
    this.registerer = new Registerer(this.ua, {
      expires: account.expires ?? DEFAULT_EXPIRES,
      // Our own refresh timer fires first (see refreshRatio); SIP.js's is the backstop.
      refreshFrequency: 99,
    });
    this.registerer.stateChange.addListener((s) => this.onRegistererState(s));
    registerInFlight(this.registerer).waitingChange.addListener((waiting: boolean) => {
      if (!waiting && this.registerQueued) {
        this.registerQueued = false;
        this.sendRegister();
      }
    });
  }

  /** The line's own phase (finer than the public state). */
  get phase(): LinePhase {
    return this.machine.state;
  }

  get state(): LinePhase {
    return this.machine.state;
  }

  get snapshot(): LineSnapshot {
    return {
      id: this.id,
      label: this.account.label || this.account.displayName || this.account.sipUri.replace(/^sips?:/, ""),
      aor: this.account.sipUri,
      state: publicState(this.machine.state),
      error: this.error,
      server: this.servers.current,
      ...(this.account.deskPhone ? { deskPhone: this.account.deskPhone, clickToCall: this.account.clickToCall ?? "browser" } : {}),
    };
  }

  /** Connects and registers; from here on the line keeps itself registered until stop(). */
  start(): void {
    if (this.started) return;
    this.started = true;
    // Another line got the shared socket to our server back: no need to wait for our timer.
    this.offSocketUp = this.servers.all.map(
      (server) =>
        this.deps.liveness?.for(server).onUp(() => {
          if (this.phase === LinePhase.RetryWait && this.servers.current === server) this.retry();
        }) ?? (() => undefined),
    );
    this.moveTo(LinePhase.Connecting);
    this.ua.start().then(
      () => undefined,
      () => this.onTransportFailure(),
    );
  }

  /** Unregisters (best effort, bounded) and disconnects. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const off of this.offSocketUp) off();
    this.offSocketUp = [];
    this.cancelTimers();
    const wasRegistered = this.phase === LinePhase.Registered;
    if (this.machine.can(LinePhase.Unregistering)) this.moveTo(LinePhase.Unregistering);
    if (wasRegistered && this.registers && this.ua.isConnected()) {
      await Promise.race([this.registerer.unregister().catch(() => undefined), new Promise<void>((r) => this.timers.after(2000, r))]);
    }
    this.cancelTimers();
    await this.ua.stop().catch(() => undefined);
    this.error = undefined;
    if (this.phase !== LinePhase.Disabled) this.moveTo(LinePhase.Disabled);
  }

  /**
   * The page is going away (reload, tab closed): un-REGISTER now, without waiting, so the PBX
   * does not ring a contact that no longer exists until it expires.
   */
  unregisterNow(): void {
    if (this.phase !== LinePhase.Registered || !this.ua.isConnected()) return;
    this.cancelTimers();
    this.registerer.unregister().catch(() => undefined);
  }

  /** The network came back (browser `online` event): try now instead of waiting for the backoff. */
  reconnectNow(): void {
    if (!this.started) return;
    if (this.phase === LinePhase.RetryWait && this.error?.kind === "transport") {
      this.backoff.reset();
      // A failed attempt moments ago (before the network came back) must not answer for this one.
      (this.ua.transport as { forgetFailure?(): void }).forgetFailure?.();
      this.retry();
    } else if (this.phase === LinePhase.Registered || this.phase === LinePhase.Connected) {
      this.keepAlive.ping();
    }
  }

  private moveTo(phase: LinePhase, error?: LineError): void {
    this.error = error;
    if (this.machine.state === phase) this.emit("change", this.snapshot);
    else this.machine.transition(phase);
  }

  private cancelTimers(): void {
    this.timers.cancelAll();
    this.retryTimer = this.refreshTimer = undefined;
  }

  private get registers(): boolean {
    return this.account.register !== false;
  }

  private onConnect(): void {
    if (!this.started) return;
    this.retryTimer = this.timers.cancel(this.retryTimer);
    this.servers.succeeded();
    this.deps.liveness?.for(this.servers.current).announceUp();
    if (this.registers) return this.sendRegister();
    this.backoff.reset();
    this.moveTo(LinePhase.Connected);
    this.keepAlive.schedule();
    this.announceReconnect();
  }

  private onDisconnect(error?: Error): void {
    if (!this.started) return;
    // Already handled (we closed a dead socket ourselves and scheduled the retry).
    if (this.phase === LinePhase.RetryWait && this.error?.kind === "transport" && this.retryTimer) return;
    log.info(this.id, "transport lost", error?.message);
    this.onTransportFailure();
  }

  private onKeepAliveUnanswered(): void {
    log.info(this.id, "keep-alive unanswered: socket is dead");
    // Schedule the retry first: the disconnect reports back through onDisconnect, which then
    // sees the failure already handled.
    this.onTransportFailure();
    abortTransport(this.ua, "keep-alive unanswered");
  }

  /** The connection failed or dropped: the next server at once, or the backoff after a round. */
  private onTransportFailure(): void {
    if (!this.started) return;
    this.lostFlow = true;
    this.refreshTimer = this.timers.cancel(this.refreshTimer);
    this.keepAlive.stop();
    this.retryTimer = this.timers.cancel(this.retryTimer);
    const { failed, next, roundDone } = this.servers.failed();
    pointTransportAt(this.ua, next);
    const delay = roundDone ? this.backoff.next() : 0;
    const failure: LineFailure = roundDone
      ? { kind: "transport", servers: this.servers.all.length > 1 ? [...this.servers.all] : [failed] }
      : { kind: "transport", servers: [failed], next };
    const error: LineError = { ...failure, retryAt: this.clock.now() + delay, retryInMs: delay };
    this.moveTo(LinePhase.RetryWait, error);
    this.retryTimer = this.timers.after(delay, () => this.retry());
    // No network at all: say "offline" rather than blame the server. The retries go on.
    void this.deps.probeOffline?.().then((offline) => {
      if (offline && this.error === error) this.moveTo(LinePhase.RetryWait, { ...error, offline: true });
    });
  }

  private retry(): void {
    if (!this.started) return;
    this.retryTimer = this.timers.cancel(this.retryTimer);
    if (this.ua.isConnected()) {
      if (this.registers) this.sendRegister();
      else this.moveTo(LinePhase.Connected);
      return;
    }
    this.moveTo(LinePhase.Connecting, this.error);
    this.ua.reconnect().catch(() => this.onTransportFailure());
  }

  private sendRegister(): void {
    if (!this.started) return;
    if (registerInFlight(this.registerer).waiting) {
      // A REGISTER is in flight (SIP.js #1071 would reject ours): send again when it completes.
      this.registerQueued = true;
      return;
    }
    if (this.phase !== LinePhase.Registered) this.moveTo(LinePhase.Registering, this.error);
    const requestDelegate: RegisterDelegate = {
      // What we asked for, read when the 200 comes: a 423 may have raised it (patches/, item 4).
      onAccept: (response) => this.onRegistered(grantedExpires(response, this.ua, registererExpires(this.registerer))),
      onReject: (response) => this.onRegisterRejected(response),
      // Our patch of SIP.js: a 2xx it dropped because no binding in it is ours.
      onDropped: () => this.onBindingMissing(),
    };
    this.registerer.register({ requestDelegate }).catch((e: Error) => {
      log.info(this.id, "REGISTER not sent", e.message);
      if (!this.ua.isConnected()) this.onTransportFailure();
    });
  }

  private onRegistered(expires: number): void {
    // The answer to a REGISTER sent before stop(): the line is going, nothing to schedule.
    if (!this.started) return;
    this.backoff.reset();
    this.retryTimer = this.timers.cancel(this.retryTimer);
    if (this.phase !== LinePhase.Registered || this.error) this.moveTo(LinePhase.Registered);
    this.announceReconnect();
    this.timers.cancel(this.refreshTimer);
    this.refreshTimer = this.timers.after(refreshDelayMs(expires, this.timing.refreshRatio), () => this.sendRegister());
    this.keepAlive.schedule();
  }

  private announceReconnect(): void {
    if (!this.lostFlow) return;
    this.lostFlow = false;
    this.emit("reconnected", undefined);
  }

  /**
   * The registrar said 200 but listed no binding of ours (or ours without an expiry): calls
   * would not reach us, so the line is not shown as registered; retried with the backoff.
   */
  private onBindingMissing(): void {
    if (!this.started) return;
    this.refreshTimer = this.timers.cancel(this.refreshTimer);
    this.keepAlive.stop();
    this.retryTimer = this.timers.cancel(this.retryTimer);
    const delay = this.backoff.next();
    this.moveTo(LinePhase.RetryWait, { kind: "binding", retryAt: this.clock.now() + delay, retryInMs: delay });
    this.retryTimer = this.timers.after(delay, () => this.retry());
  }

  private onRegisterRejected(response: IncomingResponse): void {
    if (!this.started) return;
    const code = response.message.statusCode ?? 0;
    const reasonPhrase = response.message.reasonPhrase ?? "";
    this.refreshTimer = this.timers.cancel(this.refreshTimer);
    this.keepAlive.stop();
    this.retryTimer = this.timers.cancel(this.retryTimer);
    if (code === 401 || code === 403 || code === 407) {
      // Final: the credentials are wrong. Retried once a minute at most (the PBX may have been
      // mid-provisioning), never in a loop.
      const retryAt = this.clock.now() + this.timing.authRetryMs;
      this.moveTo(LinePhase.AuthFailed, { kind: "auth", code, reasonPhrase, retryAt, retryInMs: this.timing.authRetryMs });
      this.retryTimer = this.timers.after(this.timing.authRetryMs, () => this.retry());
      return;
    }
    const delay = retryAfterMs(response.message.getHeader("Retry-After")) ?? this.backoff.next();
    this.moveTo(LinePhase.RetryWait, { kind: "server", code, reasonPhrase, retryAt: this.clock.now() + delay, retryInMs: delay });
    this.retryTimer = this.timers.after(delay, () => this.retry());
  }

  private onRegistererState(state: RegistererState): void {
    // Registration expired without a successful refresh (e.g. the refresh timer was frozen while
    // the machine slept): register again at once.
    if (state === RegistererState.Unregistered && this.phase === LinePhase.Registered && this.started) this.sendRegister();
  }
}
