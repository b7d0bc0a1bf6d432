// coturn as the TURN relay of a corporate network: UDP and TCP on one port, TLS on another, all
// on 127.0.0.1, long-term credentials. Started and stopped by PID like the rest of the bed.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Proc, ensureCert, waitForTcp } from "./bed.mjs";

export const TURN_PORTS = {
  /** TURN over UDP and over TCP. */
  plain: Number(process.env.BED_TURN_PORT ?? 3478),
  /** TURN over TLS. */
  tls: Number(process.env.BED_TURNS_PORT ?? 5349),
};

/** The one TURN account of the bed (RFC 5389 long-term credentials). */
export const TURN_USER = { username: "webphone", credential: "turn-secret-bed", realm: "bed.example" };

/**
 * What coturn logged about one session (an allocation).
 * @typedef {{ id: string, allocated: boolean, local?: string, remote?: string, closedBecause?: string }} TurnSession
 */

export class Coturn {
  /** @param {string} dir */
  constructor(dir) {
    this.dir = join(dir, "coturn");
    mkdirSync(this.dir, { recursive: true });
    const { cert, key } = ensureCert(this.dir);
    this.args = [
      "-n", // no configuration file: everything is here
      "--listening-ip=127.0.0.1",
      "--relay-ip=127.0.0.1",
      `--listening-port=${TURN_PORTS.plain}`,
      `--tls-listening-port=${TURN_PORTS.tls}`,
      // Away from rtpengine's 30000-30999.
      "--min-port=31000",
      "--max-port=31999",
      "--lt-cred-mech",
      `--user=${TURN_USER.username}:${TURN_USER.credential}`,
      `--realm=${TURN_USER.realm}`,
      "--fingerprint",
      `--cert=${cert}`,
      `--pkey=${key}`,
      "--no-dtls",
      // The peers (the other browser's relay or host candidates) are on lo, which coturn
      // refuses by default.
      "--allow-loopback-peers",
      "--no-cli",
      `--userdb=${join(this.dir, "turndb")}`,
      "--log-file=stdout",
      "--simple-log",
      "--verbose",
      `--pidfile=${join(this.dir, "turnserver.pid")}`,
    ];
    this.starts = 0;
    /** @type {Proc | undefined} */
    this.proc = undefined;
    /** What earlier runs logged (restart() keeps it). */
    this.earlierLog = "";
  }
  async start() {
    this.starts++;
    this.proc = new Proc("coturn", "turnserver", this.args, join(this.dir, `coturn.${this.starts}.log`));
    await waitForTcp(TURN_PORTS.plain);
    await waitForTcp(TURN_PORTS.tls);
    return this;
  }
  async stop() {
    await this.proc?.stop();
  }
  /** Stops it and starts a new one on the same ports: every allocation is gone. */
  async restart() {
    await this.stop();
    this.earlierLog += this.log;
    await this.start();
  }
  /** What the running coturn logged. */
  get log() {
    return this.proc?.output ?? "";
  }
  /** Where the log of every run so far ends: pass it to sessions() to see only what follows. */
  mark() {
    return this.earlierLog.length + this.log.length;
  }
  /**
   * The sessions coturn logged after `since` (a mark()): allocated or not, and once closed, on
   * which of its ports (3478 UDP/TCP, 5349 TLS) and why.
   * @param {number} [since]
   * @returns {TurnSession[]}
   */
  sessions(since = 0) {
    const text = (this.earlierLog + this.log).slice(since);
    /** @type {Map<string, TurnSession>} */
    const sessions = new Map();
    /** @param {string} id */
    const session = (id) => sessions.get(id) ?? sessions.set(id, { id, allocated: false }).get(id) ?? { id, allocated: false };
    for (const m of text.matchAll(/session (\d+): new, realm=<[^>]*>, username=<([^>]*)>/g)) session(m[1]);
    for (const m of text.matchAll(/session (\d+): realm <[^>]*> user <[^>]*>: incoming packet ALLOCATE processed, success/g)) {
      session(m[1]).allocated = true;
    }
    for (const m of text.matchAll(/session (\d+): closed \(2nd stage\).*local (\S+), remote (\S+), reason: (.*)/g)) {
      Object.assign(session(m[1]), { local: m[2].replace(/,$/, ""), remote: m[3].replace(/,$/, ""), closedBecause: m[4] });
    }
    return [...sessions.values()];
  }
  /**
   * How many TCP or TLS connections clients opened after `since`.
   * @param {number} [since]
   */
  streamConnections(since = 0) {
    return [...(this.earlierLog + this.log).slice(since).matchAll(/tcp or tls connected to: /g)].length;
  }
}
