// RTP seen from the far end, for the interop tests: a loopback UDP sink that reads what the
// phone sends (payload types, packet times, RFC 4733 events).
import dgram from "node:dgram";

/** RFC 4733 event codes 0-15 as DTMF digits. */
const EVENT_DIGITS = "0123456789*#ABCD";

/**
 * @typedef {object} RtpPacket
 * @property {number} pt payload type
 * @property {number} seq
 * @property {number} ts RTP timestamp
 * @property {Buffer} payload
 */

/** A UDP socket on 127.0.0.1 that keeps every RTP packet it receives (RTCP is left out). */
export class RtpSink {
  constructor() {
    /** @type {RtpPacket[]} */
    this.packets = [];
    this.socket = dgram.createSocket("udp4");
    this.socket.on("message", (m) => {
      if (m.length < 12 || m[0] >> 6 !== 2) return;
      const pt = m[1] & 0x7f;
      // RTCP (RFC 5761 4: payload types 64-95 in an rtcp-mux'ed stream are RTCP packet types).
      if (pt >= 64 && pt <= 95) return;
      const cc = m[0] & 0x0f;
      const ext = (m[0] & 0x10) !== 0;
      let off = 12 + cc * 4;
      if (ext && m.length >= off + 4) off += 4 + m.readUInt16BE(off + 2) * 4;
      this.packets.push({ pt, seq: m.readUInt16BE(2), ts: m.readUInt32BE(4), payload: m.subarray(off) });
    });
  }
  /** @returns {Promise<number>} the port it listens on */
  async start() {
    await new Promise((/** @type {(v?: void) => void} */ resolve) => this.socket.bind(0, "127.0.0.1", () => resolve()));
    return this.socket.address().port;
  }
  /** @param {number} pt */
  count(pt) {
    return this.packets.filter((p) => p.pt === pt).length;
  }
  /**
   * The digits of the RFC 4733 events sent with payload type `pt`: one per event (the packets
   * of one event share its timestamp), in order.
   * @param {number} pt
   */
  digits(pt) {
    /** @type {Map<number, number>} */
    const byTs = new Map();
    for (const p of this.packets) if (p.pt === pt && p.payload.length >= 4) byTs.set(p.ts, p.payload[0]);
    return [...byTs.values()].map((e) => EVENT_DIGITS[e] ?? "?").join("");
  }
  /**
   * The usual packet time (ms) of the audio sent with payload type `pt`: the most common
   * timestamp step between consecutive packets, at `clockRate`.
   * @param {number} pt
   * @param {number} clockRate
   */
  frameMs(pt, clockRate) {
    const audio = this.packets.filter((p) => p.pt === pt);
    /** @type {Map<number, number>} */
    const steps = new Map();
    for (let i = 1; i < audio.length; i++) {
      if (((audio[i].seq - audio[i - 1].seq) & 0xffff) !== 1) continue;
      const step = (audio[i].ts - audio[i - 1].ts) >>> 0;
      steps.set(step, (steps.get(step) ?? 0) + 1);
    }
    const best = [...steps.entries()].sort((a, b) => b[1] - a[1])[0];
    return best ? (best[0] / clockRate) * 1000 : undefined;
  }
  stop() {
    this.socket.close();
  }
}
