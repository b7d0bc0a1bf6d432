import { describe, expect, it } from "vitest";
import { FlowRegistry, type SharedTransport } from "./websocket-flow.js";

/** A WebSocket stand-in driven by the test. */
class FakeSocket {
  static made: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  closedWith: number | undefined;
  onopen: (() => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onmessage: ((ev: { data: string | ArrayBuffer }) => void) | null = null;
  binaryType = "blob";
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  send(t: string) {
    this.sent.push(t);
  }
  close(code = 1000) {
    this.closedWith = code;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

function setup() {
  FakeSocket.made = [];
  const registry = new FlowRegistry((url) => new FakeSocket(url) as unknown as WebSocket, 1000);
  const T = registry.transportClass();
  const make = (host: string, server = "wss://pbx.test/ws") => {
    const t = new T(undefined, { server });
    t.viaHost = host;
    const log: string[] = [];
    t.onMessage = (m) => log.push(m.split("\r\n")[0]);
    t.onDisconnect = (e) => log.push(`disconnect ${e?.message ?? "clean"}`);
    return { t, log };
  };
  return { registry, make };
}

const response = (host: string) => `SIP/2.0 200 OK\r\nVia: SIP/2.0/WSS ${host};branch=z9hG4bK1\r\nContent-Length: 0\r\n\r\n`;
// A whole request: the flow screens requests before any line sees them (core/request-screen.ts).
const request = (host: string) =>
  `INVITE sip:abc@${host};transport=ws;alias=127.0.0.1~1~6 SIP/2.0\r\nVia: SIP/2.0/WSS 127.0.0.1;branch=z9hG4bK2\r\n` +
  "From: <sip:b@pbx.test>;tag=1\r\nTo: <sip:abc@pbx.test>\r\nCall-ID: c2\r\nCSeq: 1 INVITE\r\nContact: <sip:b@x.invalid>\r\nContent-Length: 0\r\n\r\n";

describe("shared WebSocket flows", () => {
  it("lines on one server share one socket; messages reach the line they belong to", async () => {
    const { registry, make } = setup();
    const a = make("aaa.invalid");
    const b = make("bbb.invalid");
    const ca = a.t.connect();
    const cb = b.t.connect();
    expect(FakeSocket.made).toHaveLength(1);
    FakeSocket.made[0].open();
    await Promise.all([ca, cb]);
    expect(a.t.isConnected() && b.t.isConnected()).toBe(true);
    expect(registry.openFlows).toBe(1);
    await a.t.send("REGISTER a");
    await b.t.send("REGISTER b");
    expect(FakeSocket.made[0].sent).toEqual(["REGISTER a", "REGISTER b"]);
    FakeSocket.made[0].onmessage!({ data: response("bbb.invalid") });
    FakeSocket.made[0].onmessage!({ data: request("aaa.invalid") });
    FakeSocket.made[0].onmessage!({ data: "\r\n" });
    expect(a.log).toEqual(["INVITE sip:abc@aaa.invalid;transport=ws;alias=127.0.0.1~1~6 SIP/2.0"]);
    expect(b.log).toEqual(["SIP/2.0 200 OK"]);
    // A request to refuse is answered on the socket and reaches no line.
    FakeSocket.made[0].onmessage!({ data: request("aaa.invalid").replace("CSeq: 1 INVITE\r\n", "") });
    expect(a.log).toHaveLength(1);
    expect(FakeSocket.made[0].sent.at(-1)).toMatch(/^SIP\/2.0 400 Missing CSeq\r\nVia: SIP\/2.0\/WSS 127.0.0.1;branch=z9hG4bK2\r\n/);
  });

  it("reads SIP in binary frames (RFC 7118), and a line's SIP.js throwing on a message stays inside the flow", async () => {
    const { make } = setup();
    const a = make("aaa.invalid");
    const connected = a.t.connect();
    FakeSocket.made[0].open();
    await connected;
    expect(FakeSocket.made[0].binaryType).toBe("arraybuffer");
    FakeSocket.made[0].onmessage!({ data: new TextEncoder().encode(request("aaa.invalid")).buffer });
    expect(a.log).toEqual(["INVITE sip:abc@aaa.invalid;transport=ws;alias=127.0.0.1~1~6 SIP/2.0"]);
    a.t.onMessage = () => {
      throw new Error("Session does not exist.");
    };
    expect(() => FakeSocket.made[0].onmessage!({ data: request("aaa.invalid") })).not.toThrow();
  });

  it("a dropped socket tells every line; the next connect opens a new one", async () => {
    const { make } = setup();
    const a = make("aaa.invalid");
    const b = make("bbb.invalid");
    const both = Promise.all([a.t.connect(), b.t.connect()]);
    FakeSocket.made[0].open();
    await both;
    FakeSocket.made[0].drop(1006);
    expect(a.log).toEqual(["disconnect WebSocket closed wss://pbx.test/ws (code: 1006)"]);
    expect(b.log).toEqual(["disconnect WebSocket closed wss://pbx.test/ws (code: 1006)"]);
    const again = a.t.connect();
    expect(FakeSocket.made).toHaveLength(2);
    FakeSocket.made[1].open();
    await again;
    expect(a.t.isConnected()).toBe(true);
    expect(b.t.isConnected()).toBe(false);
  });

  it("a refused connection fails every waiting connect; the socket closes with its last line", async () => {
    const { registry, make } = setup();
    const a = make("aaa.invalid");
    const b = make("bbb.invalid");
    const ca = a.t.connect();
    const cb = b.t.connect();
    FakeSocket.made[0].drop(1006);
    await expect(ca).rejects.toThrow(/code: 1006/);
    await expect(cb).rejects.toThrow(/code: 1006/);
    // Within 2 s of a failed attempt, lines retrying on their own timers open no new socket.
    await expect(a.t.connect()).rejects.toThrow(/code: 1006/);
    expect(FakeSocket.made).toHaveLength(1);
    registry.failures.clear();
    const c2 = Promise.all([a.t.connect(), b.t.connect()]);
    FakeSocket.made[1].open();
    await c2;
    await a.t.disconnect();
    expect(FakeSocket.made[1].closedWith).toBeUndefined();
    await b.t.disconnect();
    expect(FakeSocket.made[1].closedWith).toBe(1000);
  });

  it("lines on different servers get different sockets; abort() closes a dead one for all", async () => {
    const { make } = setup();
    const a = make("aaa.invalid", "wss://one.test");
    const b = make("bbb.invalid", "wss://two.test");
    const c = make("ccc.invalid", "wss://one.test");
    const all = Promise.all([a.t.connect(), b.t.connect(), c.t.connect()]);
    FakeSocket.made.forEach((s) => s.open());
    await all;
    expect(FakeSocket.made.map((s) => s.url)).toEqual(["wss://one.test", "wss://two.test"]);
    (a.t as SharedTransport).abort("keep-alive unanswered");
    expect(a.log).toEqual(["disconnect keep-alive unanswered"]);
    expect(c.log).toEqual(["disconnect keep-alive unanswered"]);
    expect(b.log).toEqual([]);
    expect(FakeSocket.made[0].closedWith).toBe(4000);
  });
});
