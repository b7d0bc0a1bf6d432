// A SIP-over-WebSocket peer of our own for hostile-input tests: it answers REGISTER with 200 and
// INVITE with 486, records everything the phone sends, and sends whatever a test asks, however
// malformed. Loopback only.
import http from "node:http";
import { createHash } from "node:crypto";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** @typedef {{ socket: import("node:stream").Duplex, buf: Buffer }} Client */
/**
 * @typedef {object} HostilePeer
 * @property {string} url its `ws://` address
 * @property {string[]} received every message the phone sent, in order
 * @property {(text: string) => void} send to every connected phone
 * @property {(bytes: Uint8Array, options?: { binary?: boolean }) => void} sendBytes these exact
 *   bytes to every connected phone, in a text frame or (RFC 7118: not UTF-8) a binary frame
 * @property {number} clientCount
 * @property {() => string | undefined} contact what the phone registered as its contact
 * @property {() => Promise<unknown>} close
 */

/**
 * @param {{ port?: number }} [options]
 * @returns {Promise<HostilePeer>}
 */
export function startHostileServer({ port = 0 } = {}) {
  /** @type {Set<Client>} */
  const clients = new Set();
  /** @type {string[]} */
  const received = [];
  const server = http.createServer((req, res) => res.writeHead(404).end());
  server.on("upgrade", (req, socket) => {
    const key = req.headers["sec-websocket-key"];
    const accept = createHash("sha1")
      .update(key + GUID)
      .digest("base64");
    socket.write(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        `Sec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: sip\r\n\r\n`,
    );
    const client = { socket, buf: Buffer.alloc(0) };
    clients.add(client);
    socket.on("data", (d) => {
      client.buf = Buffer.concat([client.buf, d]);
      for (;;) {
        const frame = readFrame(client.buf);
        if (!frame) break;
        client.buf = client.buf.subarray(frame.length);
        if (frame.opcode === 8) return socket.end();
        if (frame.opcode === 9) sendFrame(socket, frame.payload, 10);
        if (frame.opcode === 1) onMessage(client, frame.payload.toString("utf8"));
      }
    });
    socket.on("close", () => clients.delete(client));
    socket.on("error", () => clients.delete(client));
  });

  /**
   * @param {Client} client
   * @param {string} text
   */
  function onMessage(client, text) {
    received.push(text);
    const method = text.slice(0, text.indexOf(" "));
    if (text.startsWith("SIP/2.0")) return;
    if (method === "ACK") return;
    const code = method === "INVITE" ? 486 : 200;
    const headers = ["Via", "From", "To", "Call-ID", "CSeq"].map((h) => {
      const m = new RegExp(`^${h}:.*$`, "im").exec(text);
      return h === "To" && m ? `${m[0]};tag=hostile` : m?.[0];
    });
    const contact = method === "REGISTER" ? `${/^Contact:.*$/im.exec(text)?.[0]};expires=600\r\n` : "";
    send(
      `SIP/2.0 ${code} ${code === 200 ? "OK" : "Busy Here"}\r\n${headers.filter(Boolean).join("\r\n")}\r\n${contact}Content-Length: 0\r\n\r\n`,
      client,
    );
  }

  /**
   * @param {string} text
   * @param {Client} [only]
   */
  function send(text, only) {
    for (const c of only ? [only] : clients) sendFrame(c.socket, Buffer.from(text, "utf8"), 1);
  }

  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      resolve({
        url: `ws://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}`,
        received,
        send: (text) => send(text),
        sendBytes: (bytes, { binary = false } = {}) => {
          for (const c of clients) sendFrame(c.socket, Buffer.from(bytes), binary ? 2 : 1);
        },
        get clientCount() {
          return clients.size;
        },
        /** What the phone registered as its contact (to address requests to it). */
        contact() {
          const reg = received.find((m) => m.startsWith("REGISTER "));
          return /^Contact:\s*<([^>]+)>/im.exec(reg ?? "")?.[1];
        },
        close: () =>
          new Promise((r) => {
            for (const c of clients) c.socket.destroy();
            server.close(r);
          }),
      });
    });
  });
}

/**
 * One WebSocket frame from the start of `buf`, unmasked, or undefined while incomplete.
 * @param {Buffer} buf
 */
function readFrame(buf) {
  if (buf.length < 2) return undefined;
  const opcode = buf[0] & 0x0f;
  const masked = (buf[1] & 0x80) !== 0;
  let len = buf[1] & 0x7f;
  let off = 2;
  if (len === 126) {
    if (buf.length < 4) return undefined;
    len = buf.readUInt16BE(2);
    off = 4;
  } else if (len === 127) {
    if (buf.length < 10) return undefined;
    len = Number(buf.readBigUInt64BE(2));
    off = 10;
  }
  const maskOff = off;
  if (masked) off += 4;
  if (buf.length < off + len) return undefined;
  const payload = Buffer.from(buf.subarray(off, off + len));
  if (masked) for (let i = 0; i < len; i++) payload[i] ^= buf[maskOff + (i % 4)];
  return { opcode, payload, length: off + len };
}

/**
 * @param {import("node:stream").Duplex} socket
 * @param {Buffer} payload
 * @param {number} opcode
 */
function sendFrame(socket, payload, opcode) {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (len >= 126 && len < 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else if (len >= 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  socket.write(Buffer.concat([head, payload]));
}
