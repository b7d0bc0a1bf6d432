import { EmitterImpl, TransportState, type Transport } from "sip.js";
import { getLogger } from "../../core/logger.js";
import { screenRequest } from "../../core/request-screen.js";
import { frameText } from "../../core/sip-bytes.js";

const log = getLogger("flow");

/**
 * One WebSocket per server, shared by every line registered through it (RFC 5626 calls this a
 * flow). Browsers throttle new WebSocket connections to a host once about ten are pending, so 40
 * lines with a socket each took ~5 s to come up; sharing one socket takes one handshake, and the
 * PBX holds one TLS connection instead of 40.
 *
 * Each line's SIP.js UserAgent still sees its own Transport (`SharedTransport`). Incoming
 * messages are handed to the line they belong to: responses by the host of their top Via,
 * requests by the host of their Request-URI (both are the UserAgent's random `*.invalid`
 * via-host, which it puts in its Via and Contact). Every request is screened first
 * (core/request-screen.ts): what RFC 3261 says to refuse is answered here, statelessly.
 */
export type WebSocketFactory = (url: string, protocol: string) => WebSocket;

export class FlowRegistry {
  private readonly flows = new Map<string, WebSocketFlow>();
  /** Sees every message each line sends and receives (the SIP trace). */
  onMessage: ((lineId: string, direction: "in" | "out", text: string) => void) | undefined;
  /** The last failed connection attempt per server (kept when its flow goes away). */
  readonly failures = new Map<string, { at: number; error: Error }>();

  constructor(
    private readonly makeSocket: WebSocketFactory = (url, protocol) => new WebSocket(url, protocol),
    readonly connectTimeoutMs = 5000,
  ) {}

  flow(url: string): WebSocketFlow {
    let f = this.flows.get(url);
    if (!f)
      this.flows.set(
        url,
        (f = new WebSocketFlow(url, this.makeSocket, this.connectTimeoutMs, () => this.flows.delete(url), this.failures)),
      );
    return f;
  }

  /** A SIP.js transport class whose instances share this registry's sockets. */
  transportClass(): new (logger: unknown, options: { server: string }) => SharedTransport {
    // SIP.js constructs the transport itself (new T(logger, options)): the class closes over
    // this registry.
    const join = (server: string) => [this, server] as const;
    return class extends SharedTransport {
      constructor(_logger: unknown, options: { server: string }) {
        super(...join(options.server));
      }
    };
  }

  /** Open sockets, for diagnostics and tests. */
  get openFlows(): number {
    return [...this.flows.values()].filter((f) => f.isOpen).length;
  }
}

/**
 * After a failed connection attempt, joins within this window fail at once with the same error
 * instead of opening another socket: 40 lines retrying on their own jittered timers cost the
 * server one connection attempt per window, not 40.
 */
const FAILED_OPEN_REUSE_MS = 2000;

export class WebSocketFlow {
  private ws: WebSocket | undefined;
  private opening: Promise<void> | undefined;
  private readonly members = new Set<SharedTransport>();

  constructor(
    readonly url: string,
    private readonly makeSocket: WebSocketFactory,
    private readonly timeoutMs: number,
    private readonly onEmpty: () => void,
    private readonly failures: Map<string, { at: number; error: Error }>,
  ) {}

  get isOpen(): boolean {
    return this.ws?.readyState === 1;
  }

  join(member: SharedTransport): Promise<void> {
    this.members.add(member);
    if (this.isOpen) return Promise.resolve();
    const failure = this.failures.get(this.url);
    if (!this.opening && failure && Date.now() - failure.at < FAILED_OPEN_REUSE_MS) {
      return Promise.reject(failure.error);
    }
    this.opening ??= this.open().then(
      () => {
        this.opening = undefined;
        this.failures.delete(this.url);
      },
      (error: Error) => {
        this.opening = undefined;
        this.failures.set(this.url, { at: Date.now(), error });
        throw error;
      },
    );
    return this.opening;
  }

  /** The member no longer uses the flow; the socket closes with its last member. */
  leave(member: SharedTransport): void {
    this.members.delete(member);
    if (this.members.size === 0) {
      const ws = this.ws;
      this.ws = undefined;
      if (ws) {
        ws.onclose = null;
        ws.close(1000);
      }
      this.onEmpty();
    }
  }

  /** Closes the socket for everyone (it was found dead); every member is told. */
  abort(reason: string): void {
    const ws = this.ws;
    if (!ws) return;
    this.ws = undefined;
    ws.onclose = null;
    ws.close(4000, reason.slice(0, 100));
    this.lost(new Error(reason));
  }

  send(text: string): void {
    if (!this.ws || this.ws.readyState !== 1) throw new Error(`WebSocket to ${this.url} is not open`);
    this.ws.send(text);
  }

  private open(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let ws: WebSocket;
      try {
        ws = this.makeSocket(this.url, "sip");
      } catch (e) {
        reject(e as Error);
        return;
      }
      this.ws = ws;
      // RFC 7118 5.3: a message that is not valid UTF-8 comes in a binary frame; read it at once.
      ws.binaryType = "arraybuffer";
      let opened = false;
      const timer = setTimeout(() => {
        ws.onclose = null;
        ws.close();
        if (this.ws === ws) this.ws = undefined;
        reject(new Error(`WebSocket ${this.url} timed out`));
      }, this.timeoutMs);
      ws.onopen = () => {
        opened = true;
        clearTimeout(timer);
        resolve();
      };
      ws.onclose = (ev) => {
        clearTimeout(timer);
        if (this.ws !== ws) return;
        this.ws = undefined;
        const error = new Error(`WebSocket closed ${this.url} (code: ${ev.code})`);
        // Before it opened: the joiners' connect() fails. After: every member lost its flow.
        if (opened) this.lost(error);
        else reject(error);
      };
      ws.onmessage = (ev: MessageEvent<unknown>) => {
        const text = frameText(ev.data);
        if (text !== undefined) this.dispatch(text);
      };
    });
  }

  private lost(error: Error): void {
    const members = [...this.members];
    this.members.clear();
    for (const m of members) m.flowLost(error);
  }

  private dispatch(text: string): void {
    // Keep-alive pong (RFC 5626 CRLF).
    if (/^\s*$/.test(text)) return;
    const member = this.memberFor(text);
    const verdict = screenRequest(text);
    const first = text.slice(0, 80).split("\r\n")[0];
    if (verdict.kind === "refuse") {
      // The line it was for (or the first, when its Request-URI names none) shows it in its trace.
      const traced = member ?? this.members.values().next().value;
      traced?.trace("in", text);
      log.info(`refused with ${verdict.status}:`, first);
      if (this.isOpen) this.send(verdict.reply);
      traced?.trace("out", verdict.reply);
    } else if (verdict.kind === "drop") log.warn(`dropped a request (${verdict.why}) on ${this.url}:`, first);
    else if (member) member.receive(text);
    else log.warn(`no line for a message on ${this.url}:`, first);
  }

  private memberFor(text: string): SharedTransport | undefined {
    const firstLine = text.slice(0, text.indexOf("\r\n"));
    let host: string | undefined;
    if (firstLine.startsWith("SIP/2.0 ")) {
      host = /^(?:Via|v)\s*:\s*SIP\/2\.0\/\S+\s+([^;:,\s]+)/im.exec(text)?.[1];
    } else {
      host = /^\S+\s+sips?:(?:[^@\s]*@)?([^;:>\s]+)/i.exec(firstLine)?.[1];
    }
    host = host?.toLowerCase();
    for (const m of this.members) if (host && m.viaHost === host) return m;
    return this.members.size === 1 ? [...this.members][0] : undefined;
  }
}

/** What one SIP.js UserAgent sees: a Transport backed by a shared flow. */
export class SharedTransport implements Transport {
  readonly configuration: { server: string };
  state = TransportState.Disconnected;
  readonly stateChange = new EmitterImpl<TransportState>();
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  /** This UserAgent's via-host (also in its Contact); set by the Line after creating the UA. */
  viaHost = "";
  /** The line this transport belongs to, for the SIP trace. */
  lineId = "";
  private flow: WebSocketFlow | undefined;

  constructor(
    private readonly registry: FlowRegistry,
    server: string,
  ) {
    this.configuration = { server };
  }

  get protocol(): string {
    return this.configuration.server.toLowerCase().startsWith("wss:") ? "WSS" : "WS";
  }

  private set(state: TransportState): void {
    if (this.state === state) return;
    this.state = state;
    this.stateChange.emit(state);
  }

  /**
   * The next connect tries the server even within FAILED_OPEN_REUSE_MS of a failed attempt: for
   * a reconnect the network or the user asked for (the browser is online again), where that
   * failure says nothing about now. Lines reconnecting together still share one attempt.
   */
  forgetFailure(): void {
    this.registry.failures.delete(this.configuration.server);
  }

  async connect(): Promise<void> {
    if (this.state === TransportState.Connected) return;
    const flow = this.registry.flow(this.configuration.server);
    if (this.flow && this.flow !== flow) this.flow.leave(this);
    this.flow = flow;
    this.set(TransportState.Connecting);
    try {
      await flow.join(this);
    } catch (e) {
      flow.leave(this);
      this.flow = undefined;
      this.set(TransportState.Disconnected);
      throw e;
    }
    this.set(TransportState.Connected);
    this.onConnect?.();
  }

  async disconnect(): Promise<void> {
    const flow = this.flow;
    this.flow = undefined;
    flow?.leave(this);
    if (this.state === TransportState.Disconnected) return;
    this.set(TransportState.Disconnected);
    this.onDisconnect?.();
  }

  /** The socket is dead (keep-alive unanswered): close it for every line that shares it. */
  abort(reason: string): void {
    this.flow?.abort(reason);
  }

  async dispose(): Promise<void> {
    await this.disconnect();
  }

  isConnected(): boolean {
    return this.state === TransportState.Connected;
  }

  async send(message: string): Promise<void> {
    if (!this.flow || !this.isConnected()) throw new Error("not connected");
    this.flow.send(message);
    this.registry.onMessage?.(this.lineId, "out", message);
  }

  /** From the flow: a message for this line. */
  receive(text: string): void {
    this.trace("in", text);
    try {
      this.onMessage?.(text);
    } catch (e) {
      // SIP.js throws plain Errors on input it did not expect (a Replaces naming a dialog without
      // a session, an unexpected method); a peer's message must not become an error in the page.
      log.warn(`line ${this.lineId}: SIP.js failed on a message:`, (e as Error).message);
    }
  }

  /** The SIP trace of this line sees `text` (what the flow answered by itself, too). */
  trace(direction: "in" | "out", text: string): void {
    this.registry.onMessage?.(this.lineId, direction, text);
  }

  /** From the flow: the socket went away. */
  flowLost(error: Error): void {
    this.flow = undefined;
    if (this.state === TransportState.Disconnected) return;
    this.set(TransportState.Disconnected);
    this.onDisconnect?.(error);
  }
}
