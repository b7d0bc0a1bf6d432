import {
  Registerer,
  SIPExtension,
  RegistererState,
  UserAgent,
  type Invitation,
  type LogConnector,
  type SessionDescriptionHandlerFactory,
  type Transport,
  type UserAgentOptions,
} from "sip.js";
import type { IncomingResponse } from "sip.js/lib/core/index.js";
import type { AccountConfig } from "../../config/phone-config.js";
import { DEFAULT_EXPIRES, parseSipUri } from "../../config/phone-config.js";
import { Backoff } from "../core/backoff.js";
import { Emitter } from "../core/emitter.js";
import { LINE_MOVES, LineState, type LineError, type LineSnapshot } from "./line-state.js";
import { getLogger } from "../core/logger.js";
import { describeRegistrationFailure, describeTransportFailure } from "./sip-errors.js";
import { StateMachine } from "../core/state-machine.js";

const log = getLogger("line");

export interface LineTiming {
  /** Wait after an authentication failure before trying again (a wrong password must not storm). */
  authRetryMs: number;
  /** Interval of the OPTIONS ping that detects a dead WebSocket. */
  keepAliveMs: number;
  /** How long a ping may go unanswered before the socket is declared dead. */
  keepAliveTimeoutMs: number;
  /** Share of the granted expiry after which the registration is refreshed. */
  refreshRatio: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  /** Early in an outage, retry at most this far apart (a restarted server is back in seconds). */
  backoffFastCapMs: number;
  backoffFastPhaseMs: number;
}

/**
 * When to refresh a registration granted for `expires` seconds: at `ratio` of it, but at least
 * 90 s before it runs out (a hidden tab's timers may fire a minute late under Chrome's intensive
 * throttling), and not before half of it (a short expiry is refreshed at half time).
 */
export function refreshDelayMs(expires: number, ratio: number): number {
  const seconds = Math.max(expires * 0.5, Math.min(expires * ratio, expires - 90));
  return seconds * 1000;
}

export const DEFAULT_LINE_TIMING: LineTiming = {
  authRetryMs: 60_000,
  keepAliveMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  // Chrome throttles timers of hidden tabs to once a minute: refresh at 75 % so that a 600 s
  // registration is refreshed at 450 s and a late timer still lands well before expiry.
  refreshRatio: 0.75,
  backoffMinMs: 1000,
  backoffMaxMs: 60_000,
  backoffFastCapMs: 3000,
  backoffFastPhaseMs: 5 * 60_000,
};

export interface LineDeps {
  sdhFactory: SessionDescriptionHandlerFactory;
  onInvite(line: Line, invitation: Invitation): void;
  timing?: Partial<LineTiming>;
  /** For tests: an in-memory transport. */
  transportConstructor?: new (...args: never[]) => Transport;
  logConnector?: LogConnector;
  /**
   * Resolves true when this device has no network at all (the page's own server is unreachable
   * too). Then a failed connection says "Offline" instead of blaming the SIP server.
   * `navigator.onLine` is not used: it only says whether an interface is up.
   */
  probeOffline?: () => Promise<boolean>;
}

export interface LineEvents {
  change: LineSnapshot;
  /** Registered again after the connection was lost: calls should refresh their dialogs. */
  reconnected: void;
}

/**
 * One account: a SIP.js UserAgent and Registerer, kept registered.
 *
 * SIP.js neither reconnects a dropped WebSocket nor re-sends a Registerer after a reconnect
 * (SIP.js #1095), so the Line does both: jittered exponential backoff, an OPTIONS ping to find
 * dead sockets, its own refresh timer (so refresh failures carry their SIP code), and it waits
 * for a REGISTER already in flight instead of failing (SIP.js #1071).
 */
export class Line extends Emitter<LineEvents> {
  readonly id: string;
  readonly ua: UserAgent;
  readonly domain: string;
  private readonly registerer: Registerer;
  private readonly machine: StateMachine<LineState>;
  private readonly timing: LineTiming;
  private readonly backoff: Backoff;
  private error: LineError | undefined;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setTimeout> | undefined;
  private registerQueued = false;
  /** Index in account.servers of the server in use, and how many failed in a row this round. */
  private serverIndex = 0;
  private failedServers = 0;
  private stopping = false;
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
    this.backoff = new Backoff({
      minMs: this.timing.backoffMinMs,
      maxMs: this.timing.backoffMaxMs,
      fastCapMs: this.timing.backoffFastCapMs,
      fastPhaseMs: this.timing.backoffFastPhaseMs,
    });
    const parsed = parseSipUri(account.sipUri);
    if (!parsed) throw new Error(`invalid sipUri ${account.sipUri}`);
    this.domain = parsed.host;
    this.machine = new StateMachine("line " + account.id, LineState.Disabled, LINE_MOVES, () => this.emit("change", this.snapshot));
    const uri = UserAgent.makeURI(account.sipUri.replace(/^sips:/i, "sip:"));
    if (!uri) throw new Error(`invalid sipUri ${account.sipUri}`);
    const options: UserAgentOptions = {
      uri,
      displayName: account.displayName,
      authorizationUsername: account.authUser || parsed.user,
      authorizationPassword: account.password,
      transportOptions: { server: account.servers[0], connectionTimeout: 5 },
      preloadedRouteSet: account.outboundProxy ? [account.outboundProxy] : [],
      reconnectionAttempts: 0,
      logBuiltinEnabled: false,
      logLevel: "warn",
      logConnector:
        deps.logConnector ??
        ((level, category, _label, content) => {
          if (level === "error") log.warn(category, content);
        }),
      sessionDescriptionHandlerFactory: deps.sdhFactory,
      userAgentString: "WebPhone/0.1",
      // Attended transfer to us: an INVITE with Replaces takes the place of a call we are in.
      sipExtensionReplaces: SIPExtension.Supported,
      delegate: {
        onConnect: () => this.onConnect(),
        onDisconnect: (error) => this.onDisconnect(error),
        onInvite: (invitation) => deps.onInvite(this, invitation),
      },
    };
    if (deps.transportConstructor) options.transportConstructor = deps.transportConstructor as never;
    this.ua = new UserAgent(options);
    // A shared-flow transport routes incoming messages by this UserAgent's via-host.
    const transport = this.ua.transport as unknown as { viaHost?: string; lineId?: string };
    if ("viaHost" in transport) {
      transport.viaHost = this.ua.configuration.viaHost.toLowerCase();
      transport.lineId = this.id;
    }
    this.registerer = new Registerer(this.ua, {
      expires: account.expires ?? DEFAULT_EXPIRES,
      // Our own refresh timer fires first (see refreshRatio); SIP.js's is the backstop.
      refreshFrequency: 99,
    });
    this.registerer.stateChange.addListener((s) => this.onRegistererState(s));
    registererWaiting(this.registerer).waitingChange.addListener((waiting: boolean) => {
      if (!waiting && this.registerQueued) {
        this.registerQueued = false;
        this.sendRegister();
      }
    });
  }

  get state(): LineState {
    return this.machine.state;
  }

  get snapshot(): LineSnapshot {
    return {
      id: this.id,
      label: this.account.label || this.account.displayName || this.account.sipUri.replace(/^sips?:/, ""),
      aor: this.account.sipUri,
      state: this.machine.state,
      error: this.error,
      server: this.account.servers[this.serverIndex],
      ...(this.account.deskPhone ? { deskPhone: this.account.deskPhone, clickToCall: this.account.clickToCall ?? "browser" } : {}),
    };
  }

  /** Connects and registers; from here on the line keeps itself registered until stop(). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    this.moveTo(LineState.Connecting);
    this.ua.start().then(
      () => undefined,
      () => this.onTransportFailure(),
    );
  }

  /** Unregisters (best effort, bounded) and disconnects. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.stopping = true;
    this.started = false;
    this.clearAllTimers();
    if (this.machine.state === LineState.Registered && this.registers && this.ua.isConnected()) {
      this.moveTo(LineState.Unregistering);
      await Promise.race([this.registerer.unregister().catch(() => undefined), new Promise<void>((r) => this.later(r, 2000))]);
    } else if (this.machine.can(LineState.Unregistering)) {
      this.moveTo(LineState.Unregistering);
    }
    this.clearAllTimers();
    await this.ua.stop().catch(() => undefined);
    this.error = undefined;
    if (this.machine.state !== LineState.Disabled) this.moveTo(LineState.Disabled);
  }

  /**
   * The page is going away (reload, tab closed): un-REGISTER now, without waiting, so the PBX
   * does not ring a contact that no longer exists until it expires.
   */
  unregisterNow(): void {
    if (this.machine.state !== LineState.Registered || !this.ua.isConnected()) return;
    this.clearAllTimers();
    this.registerer.unregister().catch(() => undefined);
  }

  /** The network came back (browser `online` event): try now instead of waiting for the backoff. */
  reconnectNow(): void {
    if (!this.started || this.stopping) return;
    if (this.machine.state === LineState.Failed && this.error?.kind === "transport") {
      this.backoff.reset();
      this.retry();
    } else if (this.machine.state === LineState.Registered || this.machine.state === LineState.Connected) {
      this.ping();
    }
  }

  private moveTo(state: LineState, error?: LineError): void {
    this.error = error;
    if (this.machine.state === state) {
      this.emit("change", this.snapshot);
      return;
    }
    this.machine.transition(state);
  }

  private later(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  private clear(t: ReturnType<typeof setTimeout> | undefined): void {
    if (t === undefined) return;
    clearTimeout(t);
    this.timers.delete(t);
  }

  private clearAllTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.retryTimer = this.refreshTimer = this.pingTimer = undefined;
  }

  private get registers(): boolean {
    return this.account.register !== false;
  }

  private onConnect(): void {
    if (this.stopping) return;
    this.clear(this.retryTimer);
    this.failedServers = 0;
    if (this.registers) {
      this.sendRegister();
    } else {
      this.backoff.reset();
      this.moveTo(LineState.Connected);
      this.schedulePing();
      if (this.lostFlow) {
        this.lostFlow = false;
        this.emit("reconnected", undefined);
      }
    }
  }

  private onDisconnect(error?: Error): void {
    if (this.stopping || !this.started) return;
    // Already handled (we closed a dead socket ourselves and scheduled the retry).
    if (this.machine.state === LineState.Failed && this.error?.kind === "transport" && this.retryTimer) return;
    log.info(this.id, "transport lost", error?.message);
    this.onTransportFailure();
  }

  /**
   * The connection failed or dropped. Like a desk phone with DNS SRV failover, the next server
   * in the list is tried at once; only when every server failed in a row does the backoff wait.
   */
  private onTransportFailure(): void {
    if (this.stopping || !this.started) return;
    this.lostFlow = true;
    this.clear(this.refreshTimer);
    this.clear(this.pingTimer);
    this.clear(this.retryTimer);
    const servers = this.account.servers;
    const failed = servers[this.serverIndex];
    this.failedServers++;
    const roundDone = this.failedServers >= servers.length;
    if (roundDone) this.failedServers = 0;
    this.useServer((this.serverIndex + 1) % servers.length);
    const delay = roundDone ? this.backoff.next() : 0;
    this.moveTo(LineState.Failed, {
      kind: "transport",
      message: roundDone
        ? describeTransportFailure(servers.length > 1 ? servers.join(", ") : failed, delay)
        : `${describeTransportFailure(failed)}, trying ${servers[this.serverIndex]}`,
      retryAt: Date.now() + delay,
    });
    this.retryTimer = this.later(() => this.retry(), delay);
    // No network at all: say "offline" rather than blame the server. The retries go on.
    const failure = this.error;
    void this.deps.probeOffline?.().then((offline) => {
      if (!offline || this.error !== failure) return;
      this.moveTo(LineState.Failed, {
        kind: "transport",
        offline: true,
        message: "Offline: no network. The line registers again by itself when the network is back",
        retryAt: failure?.retryAt,
      });
    });
  }

  /** Points the transport at another server; SIP.js reads the URL on each connect. */
  private useServer(index: number): void {
    this.serverIndex = index;
    const transport = this.ua.transport as unknown as { configuration?: { server: string } };
    if (transport.configuration) transport.configuration.server = this.account.servers[index];
  }

  private retry(): void {
    if (this.stopping || !this.started) return;
    this.clear(this.retryTimer);
    if (this.ua.isConnected()) {
      if (this.registers) this.sendRegister();
      else this.moveTo(LineState.Connected);
      return;
    }
    this.moveTo(LineState.Connecting, this.error);
    this.ua.reconnect().catch(() => this.onTransportFailure());
  }

  private sendRegister(): void {
    if (this.stopping || !this.started) return;
    if (registererWaiting(this.registerer).waiting) {
      // A REGISTER is in flight (SIP.js #1071 would reject ours): send again when it completes.
      this.registerQueued = true;
      return;
    }
    if (this.machine.state !== LineState.Registered) this.moveTo(LineState.Registering, this.error);
    this.registerer
      .register({
        requestDelegate: {
          onAccept: (response) => this.onRegistered(grantedExpires(response, this.ua, this.account.expires ?? DEFAULT_EXPIRES)),
          onReject: (response) => this.onRegisterRejected(response),
        },
      })
      .catch((e: Error) => {
        log.info(this.id, "REGISTER not sent", e.message);
        if (!this.ua.isConnected()) this.onTransportFailure();
      });
  }

  private onRegistered(expires: number): void {
    this.backoff.reset();
    this.clear(this.retryTimer);
    if (this.machine.state !== LineState.Registered || this.error) this.moveTo(LineState.Registered);
    if (this.lostFlow) {
      this.lostFlow = false;
      this.emit("reconnected", undefined);
    }
    this.clear(this.refreshTimer);
    this.refreshTimer = this.later(() => this.sendRegister(), refreshDelayMs(expires, this.timing.refreshRatio));
    this.schedulePing();
  }

  private onRegisterRejected(response: IncomingResponse): void {
    const code = response.message.statusCode ?? 0;
    const reason = response.message.reasonPhrase ?? "";
    this.clear(this.refreshTimer);
    this.clear(this.pingTimer);
    if (code === 401 || code === 403 || code === 407) {
      // Final: the credentials are wrong. Retried once a minute at most (the PBX may have been
      // mid-provisioning), never in a loop.
      this.moveTo(LineState.Failed, {
        kind: "auth",
        code,
        message: describeRegistrationFailure(code, reason),
        retryAt: Date.now() + this.timing.authRetryMs,
      });
      this.clear(this.retryTimer);
      this.retryTimer = this.later(() => this.retry(), this.timing.authRetryMs);
      return;
    }
    const retryAfter = Number(response.message.getHeader("Retry-After")?.split(/[\s;]/)[0]);
    const delay = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : this.backoff.next();
    this.moveTo(LineState.Failed, {
      kind: "server",
      code,
      message: `${describeRegistrationFailure(code, reason)}, retrying in ${Math.round(delay / 1000)} s`,
      retryAt: Date.now() + delay,
    });
    this.clear(this.retryTimer);
    this.retryTimer = this.later(() => this.retry(), delay);
  }

  private onRegistererState(state: RegistererState): void {
    // Registration expired without a successful refresh (e.g. the refresh timer was frozen while
    // the machine slept): register again at once.
    if (state === RegistererState.Unregistered && this.machine.state === LineState.Registered && !this.stopping) {
      this.sendRegister();
    }
  }

  private schedulePing(): void {
    this.clear(this.pingTimer);
    this.pingTimer = this.later(() => this.ping(), this.timing.keepAliveMs);
  }

  /**
   * OPTIONS to the registrar. Any response proves the WebSocket is alive; silence means a dead
   * socket (NAT timeout, sleeping laptop, proxy that dropped us without a FIN).
   */
  private ping(): void {
    if (!this.ua.isConnected() || this.stopping) return;
    this.clear(this.pingTimer);
    const core = this.ua.userAgentCore;
    const target = UserAgent.makeURI(`sip:${this.domain}`);
    if (!target) return;
    const message = core.makeOutgoingRequestMessage("OPTIONS", target, this.ua.configuration.uri, target, {});
    let answered = false;
    const done = () => {
      if (answered) return;
      answered = true;
      this.clear(deadline);
      if (this.machine.state === LineState.Registered || this.machine.state === LineState.Connected) this.schedulePing();
    };
    const deadline = this.later(() => {
      if (answered) return;
      answered = true;
      log.info(this.id, "keep-alive unanswered: socket is dead");
      // Schedule the retry first: the disconnect below reports back through onDisconnect,
      // which then sees the failure already handled.
      this.onTransportFailure();
      const transport = this.ua.transport as unknown as { abort?(reason: string): void };
      if (transport.abort) transport.abort("keep-alive unanswered");
      else void this.ua.transport.disconnect().catch(() => undefined);
    }, this.timing.keepAliveTimeoutMs);
    core.request(message, { onAccept: done, onReject: done, onRedirect: done });
  }
}

/**
 * The expiry the registrar granted (it may shorten ours): our Contact's `expires`, else the
 * Expires header, else what we asked for. Registrars that rewrite the Contact (SIP.js #852) are
 * matched by the Contact's user part, which SIP.js makes random and unique.
 */
export function grantedExpires(response: IncomingResponse, ua: UserAgent, asked: number): number {
  const msg = response.message;
  const ours = ua.contact.uri.user;
  const n = msg.getHeaders("contact").length;
  for (let i = 0; i < n; i++) {
    const c = msg.parseHeader("contact", i) as { uri?: { user?: string }; getParam(p: string): string | undefined } | undefined;
    if (c && c.uri?.user === ours) {
      const e = Number(c.getParam("expires"));
      if (Number.isFinite(e) && e > 0) return e;
    }
  }
  const header = Number(msg.getHeader("expires"));
  return Number.isFinite(header) && header > 0 ? header : asked;
}

/**
 * SIP.js keeps the Registerer's "request in flight" flag private (it is public API in later
 * upstream code); we need it to avoid SIP.js #1071.
 */
function registererWaiting(r: Registerer): {
  waiting: boolean;
  waitingChange: { addListener(l: (waiting: boolean) => void): void };
} {
  return r as unknown as ReturnType<typeof registererWaiting>;
}
