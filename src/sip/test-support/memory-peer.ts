import { IncomingRequestMessage, LoggerFactory, Parser, type IncomingResponseMessage } from "sip.js/lib/core/index.js";
import type { WebSocketFactory } from "../platform/web/websocket-flow.js";

/**
 * An in-memory SIP peer for unit tests: registrar, proxy and far end in one, reached through
 * in-memory WebSockets, so the production transport (FlowRegistry/SharedTransport) and SIP.js
 * run unchanged on our side, and every message is parsed by SIP.js's own parser on the peer's
 * side. Tests script it: what REGISTER gets, how to answer an INVITE, requests to send. What it
 * received is kept for assertions on the wire. (SIP.js's own suite tests the same way:
 * test/support/api/transport-fake.ts.)
 */
export interface RegistrarBehaviour {
  /** False: WebSockets are refused, as by a server that is down. */
  reachable: boolean;
  /** Server URLs that refuse connections even when `reachable`. */
  deadServers: string[];
  /** What an authenticated REGISTER gets. */
  authResult: 200 | 401 | 403 | 503;
  /** Retry-After (seconds, as text) on a 503. */
  retryAfter: string;
  /** False: requests are swallowed (a dead socket). */
  answers: boolean;
  /** The 200 returns our Contact with another user part (SIP.js #852). */
  rewriteContact: boolean;
  /** The 200 carries no expires at all: neither a Contact parameter nor an Expires header. */
  omitExpires: boolean;
  /** Expiry granted in the 200. */
  expires: number;
  /** Which bindings the 200 lists: ours (as a registrar must), none at all, or two of others only. */
  bindings: "ours" | "none" | "others";
  /** REGISTERs asking for less than this get 423 with `Min-Expires: <minExpiresHeader ?? minExpires>`. */
  minExpires?: number;
  minExpiresHeader?: string;
}

export type PeerMessage = IncomingRequestMessage | IncomingResponseMessage;

const logger = new LoggerFactory().getLogger("memory-peer");
let seq = 0;
const unique = (p: string) => `${p}${(++seq).toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export const PEER_SDP =
  "v=0\r\no=peer 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n";

export class MemorySocket {
  readyState = 0;
  onopen: (() => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onmessage: ((ev: { data: string }) => void) | null = null;

  constructor(
    private readonly peer: MemoryPeer,
    readonly url: string,
  ) {
    setTimeout(() => {
      const b = peer.behaviour;
      if (!b.reachable || b.deadServers.includes(url)) {
        this.readyState = 3;
        this.onclose?.({ code: 1006 });
        return;
      }
      this.readyState = 1;
      peer.sockets.add(this);
      this.onopen?.();
    }, 1);
  }

  send(text: string): void {
    if (this.readyState !== 1) throw new Error("socket not open");
    this.peer.receive(text, this);
  }

  close(code = 1000): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.peer.sockets.delete(this);
    this.onclose?.({ code });
  }

  /** From the peer: a message for the client. */
  deliver(text: string): void {
    if (this.readyState === 1) setTimeout(() => this.onmessage?.({ data: text }), 1);
  }
}

export class MemoryPeer {
  behaviour: RegistrarBehaviour = {
    reachable: true,
    deadServers: [],
    authResult: 200,
    retryAfter: "30",
    answers: true,
    rewriteContact: false,
    omitExpires: false,
    expires: 600,
    bindings: "ours",
  };
  readonly sockets = new Set<MemorySocket>();
  /** Every message the peer received, parsed by SIP.js, in order. */
  readonly received: PeerMessage[] = [];
  /** Server URL of every WebSocket opened. */
  readonly connections: string[] = [];
  /** Registered contacts by AoR user ("1001" → its Contact URI and socket). */
  readonly contacts = new Map<string, { uri: string; socket: MemorySocket }>();
  /** Requests other than REGISTER/OPTIONS: the test answers them (default: nothing). */
  onRequest: ((request: IncomingRequestMessage, socket: MemorySocket) => void) | undefined;

  socketFactory(): WebSocketFactory {
    return (url) => {
      this.connections.push(url);
      return new MemorySocket(this, url) as unknown as WebSocket;
    };
  }

  /** Requests received with this method. */
  requests(method: string): IncomingRequestMessage[] {
    return this.received.filter((m): m is IncomingRequestMessage => m instanceof IncomingRequestMessage && m.method === method);
  }

  count(method: string): number {
    return this.requests(method).length;
  }

  /** Drops every connection, as a server restart does. */
  dropAll(): void {
    for (const s of [...this.sockets]) s.close(1006);
    this.contacts.clear();
  }

  receive(text: string, socket: MemorySocket): void {
    const message = Parser.parseMessage(text, logger);
    if (!message) throw new Error(`the peer could not parse:\n${text}`);
    this.received.push(message);
    if (!(message instanceof IncomingRequestMessage)) return;
    if (!this.behaviour.answers) return;
    if (message.method === "REGISTER") return this.register(message, socket);
    if (message.method === "OPTIONS") return this.reply(socket, message, 200);
    this.onRequest?.(message, socket);
  }

  /** Sends a response to `request` on `socket`. */
  reply(socket: MemorySocket, request: IncomingRequestMessage, code: number, headers: string[] = [], body = ""): void {
    const reasons: Record<number, string> = {
      100: "Trying",
      180: "Ringing",
      200: "OK",
      202: "Accepted",
      302: "Moved Temporarily",
      401: "Unauthorized",
      403: "Forbidden",
      486: "Busy Here",
      487: "Request Terminated",
      491: "Request Pending",
      503: "Service Unavailable",
    };
    const to = request.getHeader("to") ?? "";
    const lines = [
      `SIP/2.0 ${code} ${reasons[code] ?? "Status"}`,
      ...request.getHeaders("via").map((v) => `Via: ${v}`),
      `From: ${request.getHeader("from")}`,
      `To: ${code > 100 && !/;\s*tag=/i.test(to) ? `${to};tag=${this.toTag(request)}` : to}`,
      `Call-ID: ${request.callId}`,
      `CSeq: ${request.getHeader("cseq")}`,
      ...headers,
    ];
    if (body) lines.push("Content-Type: application/sdp");
    socket.deliver(`${lines.join("\r\n")}\r\nContent-Length: ${new TextEncoder().encode(body).length}\r\n\r\n${body}`);
  }

  /** Our To-tag for a dialog, the same for every response to it. */
  toTag(request: IncomingRequestMessage): string {
    return (this.tags[request.callId] ??= unique("t"));
  }
  private readonly tags: Record<string, string> = {};

  /** Sends a raw request to the client on `socket`. */
  send(socket: MemorySocket, text: string): void {
    socket.deliver(text);
  }

  /** Calls a registered user: an INVITE to its Contact. Returns the dialog to continue it. */
  invite(user: string, options: { from?: string; headers?: string[]; body?: string | null } = {}): PeerDialog {
    const contact = this.contacts.get(user);
    if (!contact) throw new Error(`${user} is not registered`);
    const dialog = new PeerDialog(this, contact.socket, contact.uri, `<sip:${options.from ?? "1002"}@pbx.test>`, `<sip:${user}@pbx.test>`);
    const body = options.body === undefined ? PEER_SDP : (options.body ?? "");
    dialog.invite = dialog.request("INVITE", options.headers ?? [], body);
    return dialog;
  }

  private register(request: IncomingRequestMessage, socket: MemorySocket): void {
    const b = this.behaviour;
    if (!request.hasHeader("authorization")) {
      return this.reply(socket, request, 401, [`WWW-Authenticate: Digest realm="pbx.test", nonce="${unique("n")}", algorithm=MD5`]);
    }
    if (b.authResult === 401)
      return this.reply(socket, request, 401, [`WWW-Authenticate: Digest realm="pbx.test", nonce="${unique("n")}", algorithm=MD5`]);
    if (b.authResult !== 200)
      return this.reply(socket, request, b.authResult, b.authResult === 503 ? [`Retry-After: ${b.retryAfter}`] : []);
    const contact = request.getHeader("contact") ?? "";
    const asked = Number(/;expires=(\d+)/.exec(contact)?.[1] ?? request.getHeader("expires"));
    if (b.minExpires !== undefined && asked > 0 && asked < b.minExpires) {
      return this.reply(socket, request, 423, [`Min-Expires: ${b.minExpiresHeader ?? b.minExpires}`]);
    }
    if (b.bindings === "none") return this.reply(socket, request, 200, []);
    if (b.bindings === "others") {
      return this.reply(socket, request, 200, [
        `Contact: <sip:someone@192.0.2.7:5060>;expires=${b.expires}`,
        `Contact: <sip:another@192.0.2.8:5060>;expires=${b.expires}`,
      ]);
    }
    const uri = /<([^>]+)>/.exec(contact)?.[1] ?? "";
    const user = /sip:([^@]+)@/.exec(request.getHeader("to") ?? "")?.[1] ?? "";
    const unregister = /expires=0\b/.test(contact) || request.getHeader("expires") === "0";
    if (unregister) this.contacts.delete(user);
    else this.contacts.set(user, { uri, socket });
    let returned = b.rewriteContact ? contact.replace(/<sip:[^@]+@/, "<sip:rewritten@") : contact;
    returned = returned.replace(/;expires=\d+/, "");
    this.reply(socket, request, 200, [`Contact: ${returned}${b.omitExpires ? "" : `;expires=${unregister ? 0 : b.expires}`}`]);
  }
}

/** A dialog the peer takes part in: builds its requests and answers. */
export class PeerDialog {
  readonly callId = unique("call");
  private readonly fromTag = unique("f");
  private cseq = 0;
  /** The phone's To-tag and Contact, from its 2xx. */
  remoteTag: string | undefined;
  remoteTarget: string;
  invite: string | undefined;

  constructor(
    private readonly peer: MemoryPeer,
    readonly socket: MemorySocket,
    target: string,
    private readonly from: string,
    private readonly to: string,
  ) {
    this.remoteTarget = target;
  }

  /** CANCELs the INVITE (same Via branch, RFC 3261 9.1), with these headers (a Reason, say). */
  cancel(headers: string[] = []): string {
    return this.request("CANCEL", headers, "", this.invite);
  }

  /** Builds and sends a request in this dialog; returns its Via branch. */
  request(method: string, headers: string[] = [], body = "", viaBranch?: string): string {
    const branch = viaBranch ?? unique("z9hG4bK");
    const cseq = method === "ACK" || method === "CANCEL" ? this.cseq : ++this.cseq;
    const lines = [
      `${method} ${this.remoteTarget} SIP/2.0`,
      `Via: SIP/2.0/WSS peer.test;branch=${branch}`,
      "Max-Forwards: 70",
      `From: ${this.from};tag=${this.fromTag}`,
      `To: ${this.to}${this.remoteTag ? `;tag=${this.remoteTag}` : ""}`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: ${this.from.replace("@pbx.test", "@peer.test;transport=ws")}`,
      ...headers,
    ];
    if (body) lines.push("Content-Type: application/sdp");
    this.peer.send(this.socket, `${lines.join("\r\n")}\r\nContent-Length: ${new TextEncoder().encode(body).length}\r\n\r\n${body}`);
    return branch;
  }

  /** Responses the phone sent in this dialog. */
  responses(method?: string): IncomingResponseMessage[] {
    return this.peer.received.filter(
      (m): m is IncomingResponseMessage =>
        !(m instanceof IncomingRequestMessage) && m.callId === this.callId && (!method || m.method === method),
    );
  }

  /** Takes the phone's tag and Contact from its 2xx, and ACKs it. */
  confirm(): void {
    const ok = this.responses("INVITE").find((r) => r.statusCode === 200);
    if (!ok) throw new Error("no 200 to the INVITE yet");
    this.remoteTag = ok.toTag;
    this.remoteTarget = /<([^>]+)>/.exec(ok.getHeader("contact") ?? "")?.[1] ?? this.remoteTarget;
    this.request("ACK");
  }
}
