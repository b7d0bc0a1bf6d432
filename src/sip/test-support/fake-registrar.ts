import { EmitterImpl, TransportState, type Transport } from "sip.js";

/**
 * An in-memory SIP.js transport with a tiny registrar behind it, for unit tests of Line logic
 * (state machine, backoff, auth failure handling) without a browser or a server. The e2e suite
 * covers the same behaviour against Kamailio.
 */
export interface RegistrarBehaviour {
  /** False: connect() fails, as a refused WebSocket does. */
  reachable: boolean;
  /** Servers (URLs) that refuse connections even when `reachable`. */
  deadServers?: string[];
  /** What an authenticated REGISTER gets. */
  authResult: 200 | 403 | 401 | 503;
  /** False: requests are swallowed (a dead socket). */
  answers: boolean;
  /** True: the 200 OK returns our Contact with another user part (SIP.js #852). */
  rewriteContact?: boolean;
}

export class FakeRegistrar {
  behaviour: RegistrarBehaviour = { reachable: true, authResult: 200, answers: true };
  readonly received: string[] = [];
  connects = 0;
  /** Server URL of each connection attempt, in order. */
  readonly attempts: string[] = [];
  transports: FakeTransport[] = [];

  count(method: string): number {
    return this.received.filter((m) => m.startsWith(method + " ")).length;
  }

  /** A transport class bound to this registrar, for UserAgentOptions.transportConstructor. */
  transportClass(): new (logger: unknown, options: { server: string }) => Transport {
    const registrar = this;
    return class extends FakeTransport {
      constructor(_logger: unknown, options: { server: string }) {
        super(registrar);
        this.configuration.server = options.server;
      }
    };
  }

  /** Drops every connection, as a server restart does. */
  dropAll(): void {
    for (const t of this.transports) t.drop();
  }
}

function header(msg: string, name: string): string {
  const m = new RegExp(`^${name}:\\s*(.*)$`, "im").exec(msg);
  return m ? m[1].trim() : "";
}

export class FakeTransport implements Transport {
  readonly protocol = "WSS";
  state = TransportState.Disconnected;
  readonly stateChange = new EmitterImpl<TransportState>();
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  /** As SIP.js's WebSocket transport: the Line may point it at another server. */
  readonly configuration = { server: "" };

  constructor(private readonly registrar: FakeRegistrar) {
    registrar.transports.push(this);
  }

  private set(state: TransportState): void {
    this.state = state;
    this.stateChange.emit(state);
  }

  async connect(): Promise<void> {
    this.registrar.connects++;
    this.registrar.attempts.push(this.configuration.server);
    this.set(TransportState.Connecting);
    await Promise.resolve();
    if (!this.registrar.behaviour.reachable || this.registrar.behaviour.deadServers?.includes(this.configuration.server)) {
      this.set(TransportState.Disconnected);
      throw new Error("WebSocket closed (1006)");
    }
    this.set(TransportState.Connected);
    this.onConnect?.();
  }

  async disconnect(): Promise<void> {
    if (this.state === TransportState.Disconnected) return;
    this.set(TransportState.Disconnected);
    this.onDisconnect?.();
  }

  drop(): void {
    if (this.state !== TransportState.Connected) return;
    this.set(TransportState.Disconnected);
    this.onDisconnect?.(new Error("Connection lost"));
  }

  async dispose(): Promise<void> {
    await this.disconnect();
  }

  isConnected(): boolean {
    return this.state === TransportState.Connected;
  }

  async send(message: string): Promise<void> {
    if (!this.isConnected()) throw new Error("not connected");
    this.registrar.received.push(message);
    if (!this.registrar.behaviour.answers) return;
    const method = message.slice(0, message.indexOf(" "));
    if (method === "ACK") return;
    let status = 200;
    let extra = "";
    if (method === "REGISTER") {
      if (!/^Authorization:/im.test(message)) {
        status = 401;
        extra = 'WWW-Authenticate: Digest realm="test", nonce="n0nce", algorithm=MD5\r\n';
      } else {
        status = this.registrar.behaviour.authResult;
        if (status === 401) extra = 'WWW-Authenticate: Digest realm="test", nonce="n0nce2", algorithm=MD5\r\n';
        if (status === 503) extra = "Retry-After: 30\r\n";
      }
      if (status === 200) {
        let contact = header(message, "Contact");
        if (this.registrar.behaviour.rewriteContact) contact = contact.replace(/<sip:[^@]+@/, "<sip:rewritten@");
        extra += `Contact: ${contact};expires=600\r\n`;
      }
    }
    const reason = { 200: "OK", 401: "Unauthorized", 403: "Forbidden", 503: "Service Unavailable" }[status];
    const response =
      `SIP/2.0 ${status} ${reason}\r\n` +
      `Via: ${header(message, "Via")}\r\n` +
      `From: ${header(message, "From")}\r\n` +
      `To: ${header(message, "To")};tag=srv\r\n` +
      `Call-ID: ${header(message, "Call-ID")}\r\n` +
      `CSeq: ${header(message, "CSeq")}\r\n` +
      extra +
      "Content-Length: 0\r\n\r\n";
    setTimeout(() => this.onMessage?.(response), 1);
  }
}
