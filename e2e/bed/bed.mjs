// The test bed: Kamailio (registrar/proxy, UDP+WS+WSS), rtpengine (WebRTC <-> RTP bridge) and
// baresip desk phones, all on 127.0.0.1, started and stopped by the tests and the demo script.
// Processes are ended by the PIDs we started, never by name.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, createWriteStream, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, isAbsolute } from "node:path";
import { fileURLToPath } from "node:url";
import net from "node:net";
import dgram from "node:dgram";

const here = dirname(fileURLToPath(import.meta.url));

export const PORTS = {
  udp: Number(process.env.BED_UDP_PORT ?? 5060),
  ws: Number(process.env.BED_WS_PORT ?? 8080),
  wss: Number(process.env.BED_WSS_PORT ?? 8443),
  rtpengineNg: Number(process.env.BED_RTPENGINE_PORT ?? 2223),
  trunk: Number(process.env.BED_TRUNK_PORT ?? 5080),
};

/** @typedef {{ user: string, password: string, name: string }} BedUser */

/** Fixed users of the bed: extension, password, display name. */
export const USERS = {
  alice: { user: "1001", password: "alice-secret-1001", name: "Alice" },
  bob: { user: "1002", password: "bob-secret-1002", name: "Bob" },
  carol: { user: "1003", password: "carol-secret-1003", name: "Carol" },
  desk: { user: "2001", password: "desk-secret-2001", name: "Desk" },
  desk2: { user: "2002", password: "desk-secret-2002", name: "Desk 2" },
};
export const DOMAIN = "127.0.0.1";

/**
 * 40 more users for the many-lines tests: 5000..5039.
 * @type {BedUser[]}
 */
export const LINE_USERS = Array.from({ length: 40 }, (_, i) => ({
  user: String(5000 + i),
  password: `line-${5000 + i}-secret`,
  name: `Line ${i + 1}`,
}));

/**
 * 1000 more users for the scale figures of the bench (SIPTAPI's ACD edition offers 999 lines):
 * 7000..7999.
 * @type {BedUser[]}
 */
export const MANY_USERS = Array.from({ length: 1000 }, (_, i) => ({
  user: String(7000 + i),
  password: `many-${7000 + i}-secret`,
  name: `Agent ${i + 1}`,
}));

/** @param {string} [prefix] */
export function makeRunDir(prefix = "webphone-bed-") {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A started child process with its log kept in memory and on disk. */
export class Proc {
  /**
   * @param {string} name
   * @param {string} cmd
   * @param {string[]} args
   * @param {string} logFile
   * @param {{ cwd?: string }} [opts]
   */
  constructor(name, cmd, args, logFile, opts = {}) {
    this.name = name;
    this.output = "";
    /** @type {Set<(chunk: string) => void>} */
    this.listeners = new Set();
    const log = createWriteStream(logFile);
    // Its own process group, so that kill() reaches the children a daemon forks (Kamailio).
    this.child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"], detached: true, ...opts });
    /** @type {Promise<{ code: number | null, sig: NodeJS.Signals | null }>} */
    this.exited = new Promise((resolve) => this.child.on("exit", (code, sig) => resolve({ code, sig })));
    /** @param {Buffer} d */
    const onData = (d) => {
      const s = d.toString();
      this.output += s;
      if (this.output.length > 4_000_000) this.output = this.output.slice(-2_000_000);
      log.write(s);
      for (const l of this.listeners) l(s);
    };
    this.child.stdout.on("data", onData);
    this.child.stderr.on("data", onData);
  }
  get pid() {
    return this.child.pid;
  }
  /** True until the process has exited. */
  get running() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
  /**
   * Resolves when the output (from now on with `fromNow`, else already seen too) matches `re`.
   * @param {RegExp} re
   * @param {number} [timeoutMs]
   * @param {{ fromNow?: boolean }} [options]
   * @returns {Promise<RegExpMatchArray>}
   */
  waitFor(re, timeoutMs = 10_000, { fromNow = false } = {}) {
    const start = fromNow ? this.output.length : 0;
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = this.output.slice(start).match(re);
        if (m) {
          cleanup();
          resolve(m);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.name}: no ${re} within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }
  /**
   * Stops the process (SIGTERM), or its whole process group at once with SIGKILL.
   * @param {"SIGTERM" | "SIGKILL"} [signal]
   */
  async stop(signal = "SIGTERM") {
    const pid = this.child.pid;
    if (!this.running || pid === undefined) return;
    try {
      process.kill(signal === "SIGKILL" ? -pid : pid, signal);
    } catch {
      return;
    }
    // Bounded: what does not stop in 3 s is killed.
    const t = setTimeout(() => {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Gone meanwhile.
      }
    }, 3000);
    await this.exited;
    clearTimeout(t);
  }
}

/**
 * Polls until something accepts TCP connections on the port (bounded by `timeoutMs`).
 * @param {number} port
 * @param {number} [timeoutMs]
 * @param {string} [host]
 */
export async function waitForTcp(port, timeoutMs = 10_000, host = "127.0.0.1") {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((/** @type {(ok: boolean) => void} */ resolve) => {
      const s = net.connect({ port, host }, () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`nothing listens on ${host}:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A self-signed certificate for 127.0.0.1 in `dir` (WSS, TURN over TLS).
 * @param {string} dir
 */
export function ensureCert(dir) {
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    { stdio: "ignore" },
  );
  return { cert, key };
}

export class Kamailio {
  /**
   * `ports` overrides PORTS, for a second instance (failover tests).
   * @param {string} dir
   * @param {{ name?: string, ports?: Partial<typeof PORTS> }} [options]
   */
  constructor(dir, { name = "kamailio", ports = PORTS } = {}) {
    this.ports = { ...PORTS, ...ports };
    this.dir = join(dir, name);
    mkdirSync(this.dir, { recursive: true });
    const { cert, key } = ensureCert(this.dir);
    writeFileSync(
      join(this.dir, "tls.cfg"),
      [
        "[server:default]",
        "method = TLSv1.2+",
        `certificate = ${cert}`,
        `private_key = ${key}`,
        "verify_certificate = no",
        "require_certificate = no",
        "",
        "[client:default]",
        "method = TLSv1.2+",
        "verify_certificate = no",
        "require_certificate = no",
        "",
      ].join("\n"),
    );
    const users = [...Object.values(USERS), ...LINE_USERS, ...MANY_USERS]
      .map((u) => `\t$sht(users=>${u.user}) = "${u.password}";`)
      .join("\n");
    const P = this.ports;
    const cfg = readFileSync(join(here, "kamailio.cfg"), "utf8")
      .replaceAll("@UDP_PORT@", String(P.udp))
      .replaceAll("@WS_PORT@", String(P.ws))
      .replaceAll("@WSS_PORT@", String(P.wss))
      .replaceAll("@RTPENGINE_NG_PORT@", String(P.rtpengineNg))
      .replaceAll("@TRUNK_PORT@", String(P.trunk))
      .replaceAll("@RUN_DIR@", this.dir)
      .replace("@USERS@", users);
    // db_text tables for presence and pua (busy lamps): Debian's empty ones, per run.
    mkdirSync(join(this.dir, "db"), { recursive: true });
    for (const table of ["version", "presentity", "active_watchers", "watchers", "xcap", "pua"]) {
      copyFileSync(join("/usr/share/kamailio/dbtext/kamailio", table), join(this.dir, "db", table));
    }
    this.cfgFile = join(this.dir, "kamailio.cfg");
    writeFileSync(this.cfgFile, cfg);
    execFileSync("kamailio", ["-c", "-f", this.cfgFile], { stdio: "pipe" });
    this.starts = 0;
    /** @type {Proc | undefined} */
    this.proc = undefined;
  }
  async start() {
    this.starts++;
    this.proc = new Proc(
      "kamailio",
      "kamailio",
      ["-f", this.cfgFile, "-DD", "-E", "-m", "64", "-M", "8", "-Y", this.dir, "-P", join(this.dir, "kamailio.pid")],
      join(this.dir, `kamailio.${this.starts}.log`),
    );
    await waitForTcp(this.ports.ws);
    await waitForTcp(this.ports.wss);
    return this;
  }
  async stop() {
    await this.proc?.stop();
  }
  /** Kills it without warning (SIGKILL), as a crash or power loss would. */
  async kill() {
    await this.proc?.stop("SIGKILL");
  }
  /** True from start() until it stopped or was killed. */
  get running() {
    return this.proc?.running ?? false;
  }
  get log() {
    return this.proc?.output ?? "";
  }
  /**
   * A kamcmd command; bounded, so that a hung server fails the poll instead of blocking it.
   * @param {...string} args
   */
  rpc(...args) {
    return execFileSync("kamcmd", ["-s", `unix:${join(this.dir, "kamailio_ctl")}`, ...args], {
      encoding: "utf8",
      timeout: 5000,
    });
  }
  /** Kamailio's location table: each AoR with its contact addresses and sockets. */
  locations() {
    const out = this.rpc("ul.dump");
    /** @type {Record<string, { address: string, socket: string }[]>} */
    const contacts = {};
    for (const block of out.split(/\bAoR:\s*/).slice(1)) {
      const aor = /^(\S+)/.exec(block)?.[1] ?? "";
      contacts[aor] = [...block.matchAll(/Address:\s*(\S+)[\s\S]*?Socket:\s*(\S+)/g)].map((m) => ({ address: m[1], socket: m[2] }));
    }
    return { raw: out, aors: Object.keys(contacts), contacts };
  }
  /**
   * How many REGISTER requests (challenged or not) Kamailio saw for a user.
   * @param {string} user
   */
  registerCount(user) {
    try {
      const out = this.rpc("htable.get", "regcount", `s:${user}`);
      const m = out.match(/value:\s*(\d+)/);
      return m ? Number(m[1]) : 0;
    } catch {
      return 0;
    }
  }
}

export class Rtpengine {
  /** @param {string} dir */
  constructor(dir) {
    this.dir = join(dir, "rtpengine");
    mkdirSync(this.dir, { recursive: true });
    /** @type {Proc | undefined} */
    this.proc = undefined;
  }
  async start() {
    // Userspace forwarding only (table -1): the kernel module is not installed on test machines.
    this.proc = new Proc(
      "rtpengine",
      "rtpengine",
      [
        "--table=-1",
        "--interface=127.0.0.1",
        `--listen-ng=127.0.0.1:${PORTS.rtpengineNg}`,
        "--port-min=30000",
        "--port-max=30999",
        "--foreground",
        "--log-stderr",
        `--pidfile=${join(this.dir, "rtpengine.pid")}`,
        "--log-level=6",
        "--delete-delay=0",
      ],
      join(this.dir, "rtpengine.log"),
    );
    await this.ping();
    return this;
  }
  /**
   * Waits until rtpengine answers an NG ping (bounded by `timeoutMs`).
   * @param {number} [timeoutMs]
   */
  async ping(timeoutMs = 10_000) {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const ok = await new Promise((/** @type {(ok: boolean) => void} */ resolve) => {
        const s = dgram.createSocket("udp4");
        const t = setTimeout(() => {
          s.close();
          resolve(false);
        }, 200);
        s.on("message", (m) => {
          clearTimeout(t);
          s.close();
          resolve(m.toString().includes("pong"));
        });
        s.send("1 d7:command4:pinge", PORTS.rtpengineNg, "127.0.0.1");
      });
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("rtpengine does not answer NG ping");
  }
  /** What rtpengine logged so far (each line names the Call-ID it is about). */
  get log() {
    return this.proc?.output ?? "";
  }
  async stop() {
    await this.proc?.stop();
  }
}

/** baresip as a legacy desk phone registered over UDP; sine tone out, decoded audio dumped. */
export class Baresip {
  /**
   * `codecs`: its audio codecs in its order (default G.711 only, as most desk phones; "G722"
   * loads baresip's g722 module). `sipTrace`: every SIP message in its log (`-s`).
   * @param {string} dir
   * @param {"desk" | "desk2"} [who]
   * @param {{ sipPort?: number, ctrlPort?: number, answer?: string, codecs?: string[], sipTrace?: boolean }} [options]
   */
  constructor(dir, who = "desk", { sipPort = 5070, ctrlPort = 4444, answer = "auto", codecs = ["PCMU", "PCMA"], sipTrace = false } = {}) {
    this.user = USERS[who];
    this.dir = join(dir, `baresip-${who}`);
    mkdirSync(this.dir, { recursive: true });
    this.dumpDir = join(this.dir, "dump");
    mkdirSync(this.dumpDir, { recursive: true });
    writeFileSync(
      join(this.dir, "config"),
      [
        "poll_method epoll",
        `sip_listen 127.0.0.1:${sipPort}`,
        "sip_trans_def udp",
        "audio_player aubridge,nil",
        // ausine only produces audio at 48 kHz stereo with this baresip.
        "audio_source ausine,440",
        "ausrc_srate 48000",
        "ausrc_channels 2",
        "audio_alert aubridge,nil",
        `snd_path ${this.dumpDir}`,
        "rtp_timeout 0",
        "jitter_buffer_delay 0-0",
        "module_path /usr/lib/baresip/modules",
        "module g711.so",
        ...(codecs.includes("G722") ? ["module g722.so"] : []),
        "module opus.so",
        "module ausine.so",
        "module aubridge.so",
        "module sndfile.so",
        "module_app account.so",
        "module_app menu.so",
        "module_app ctrl_tcp.so",
        `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
        "",
      ].join("\n"),
    );
    const u = this.user;
    writeFileSync(
      join(this.dir, "accounts"),
      `<sip:${u.user}@${DOMAIN}>;auth_pass=${u.password};answermode=${answer};regint=600;` +
        // G.711 only by default, as most desk phones; also baresip 1.0 ignores RFC 4733 events
        // when the audio codec is Opus (48 kHz) and the events are telephone-event/8000.
        // baresip finds a codec by its sampling rate, which SDP's G722/8000 is not (RFC 3551 4.5.2).
        `audio_codecs=${codecs.map((c) => (c === "G722" ? "G722/16000/1" : c)).join(",")};dtmfmode=rtpevent\n`,
    );
    writeFileSync(join(this.dir, "contacts"), "");
    this.sipPort = sipPort;
    this.ctrlPort = ctrlPort;
    this.sipTrace = sipTrace;
    /** @type {Proc | undefined} */
    this.proc = undefined;
    /** @type {{ type: string, param?: string, [key: string]: unknown }[]} */
    this.events = [];
    /** @type {net.Socket | undefined} */
    this.eventSocket = undefined;
  }
  async start() {
    // -4 and -n: in a namespace with only lo, baresip otherwise finds no usable address.
    const args = ["-f", this.dir, "-4", "-n", "127.0.0.1", "-v", ...(this.sipTrace ? ["-s"] : [])];
    this.proc = new Proc("baresip", "baresip", args, join(this.dir, "baresip.log"));
    await this.proc.waitFor(/200 OK|registered successfully|\{\d+\/UDP\/v4\}.*OK/i, 15_000);
    await this.listenEvents();
    return this;
  }

  /**
   * Keeps a ctrl_tcp connection open: baresip sends every UA event on it as netstring JSON
   * (CALL_ESTABLISHED, CALL_DTMF_START for RFC 4733 digits, which it does not log...).
   */
  listenEvents() {
    this.events = [];
    return new Promise((/** @type {(value?: void) => void} */ resolve, reject) => {
      const sock = net.connect({ port: this.ctrlPort, host: "127.0.0.1" }, () => resolve());
      let buf = "";
      sock.on("data", (d) => {
        buf += d.toString();
        for (;;) {
          const colon = buf.indexOf(":");
          if (colon < 0) break;
          const len = Number(buf.slice(0, colon));
          if (buf.length < colon + 1 + len + 1) break;
          const body = buf.slice(colon + 1, colon + 1 + len);
          buf = buf.slice(colon + 1 + len + 1);
          try {
            const msg = JSON.parse(body);
            if (msg.event) this.events.push(msg);
          } catch {
            // Not JSON: nothing we read.
          }
        }
      });
      sock.on("error", reject);
      this.eventSocket = sock;
    });
  }
  async stop() {
    this.eventSocket?.destroy();
    await this.proc?.stop();
  }
  get log() {
    return this.proc?.output ?? "";
  }
  /**
   * Sends a ctrl_tcp command (netstring-framed JSON) and returns the response text (what came
   * within 3 s).
   * @param {string} command
   * @param {string} [params]
   * @returns {Promise<string>}
   */
  command(command, params = "") {
    return new Promise((resolve, reject) => {
      const body = JSON.stringify({ command, params, token: String(Date.now()) });
      const s = net.connect({ port: this.ctrlPort, host: "127.0.0.1" }, () => {
        s.write(`${Buffer.byteLength(body)}:${body},`);
      });
      let data = "";
      s.on("data", (d) => {
        data += d.toString();
        if (data.includes('"response"')) {
          s.destroy();
          resolve(data);
        }
      });
      s.on("error", reject);
      setTimeout(() => {
        s.destroy();
        resolve(data);
      }, 3000);
    });
  }
  /** RFC 4733 digits baresip decoded from RTP, in order (reported as ctrl_tcp events). */
  receivedDtmf() {
    return this.events
      .filter((e) => e.type === "CALL_DTMF_START")
      .map((e) => e.param)
      .join("");
  }

  /** SIP INFO digits baresip received, in order (it logs these, without an event). */
  receivedInfoDtmf() {
    return [...this.log.matchAll(/call: received DTMF: '(.)'/g)].map((m) => m[1]).join("");
  }
}

/**
 * RMS (0..1) of a 16-bit PCM WAV file, skipping the first `skipMs`.
 * @param {string} file
 * @param {number} [skipMs]
 * @returns {{ rms: number, samples: number, channels?: number, rate?: number, bits?: number }}
 */
export function wavRms(file, skipMs = 0) {
  const buf = readFileSync(file);
  let off = 12;
  /** @type {{ channels: number, rate: number, bits: number } | undefined} */
  let fmt;
  while (off + 8 <= buf.length) {
    const id = buf.toString("ascii", off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === "fmt ") {
      fmt = { channels: buf.readUInt16LE(off + 10), rate: buf.readUInt32LE(off + 12), bits: buf.readUInt16LE(off + 22) };
    }
    if (id === "data" && fmt) {
      const start = off + 8 + Math.floor((skipMs / 1000) * fmt.rate) * fmt.channels * 2;
      const end = Math.min(buf.length, off + 8 + (size || buf.length));
      let sum = 0;
      let n = 0;
      for (let i = start; i + 1 < end; i += 2) {
        const v = buf.readInt16LE(i) / 32768;
        sum += v * v;
        n++;
      }
      return { rms: n ? Math.sqrt(sum / n) : 0, samples: n, ...fmt };
    }
    off += 8 + size + (size % 2);
  }
  return { rms: 0, samples: 0 };
}

/**
 * A µ-law (G.711 PCMU) WAV file with a tone, for sipp's rtp_stream.
 * @param {string} file
 * @param {{ seconds?: number, freq?: number, rate?: number }} [options]
 */
export function writeToneWav(file, { seconds = 5, freq = 440, rate = 8000 } = {}) {
  const n = seconds * rate;
  const data = Buffer.alloc(n);
  for (let i = 0; i < n; i++) data[i] = linearToUlaw(Math.round(Math.sin((2 * Math.PI * freq * i) / rate) * 12000));
  const h = Buffer.alloc(46);
  h.write("RIFF", 0);
  h.writeUInt32LE(38 + n, 4);
  h.write("WAVE", 8);
  h.write("fmt ", 12);
  h.writeUInt32LE(18, 16);
  h.writeUInt16LE(7, 20); // WAVE_FORMAT_MULAW
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate, 28);
  h.writeUInt16LE(1, 32);
  h.writeUInt16LE(8, 34);
  h.writeUInt16LE(0, 36);
  h.write("data", 38);
  h.writeUInt32LE(n, 42);
  writeFileSync(file, Buffer.concat([h, data]));
  return file;
}

/** @param {number} sample */
function linearToUlaw(sample) {
  const BIAS = 0x84;
  const sign = sample < 0 ? 0x80 : 0;
  let s = Math.min(32635, Math.abs(sample)) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** sipp running one scenario on the trunk port; resolves its exit. */
export class Sipp {
  /**
   * A UAS scenario by default; pass `extraArgs: ["-s", user, "127.0.0.1:5060"]` for a UAC.
   * @param {string} dir
   * @param {string} scenario a file in e2e/sipp, or an absolute path
   * @param {{ port?: number, extraArgs?: string[] }} [options]
   */
  constructor(dir, scenario, { port = PORTS.trunk, extraArgs = [] } = {}) {
    this.dir = join(dir, "sipp");
    mkdirSync(this.dir, { recursive: true });
    this.scenario = isAbsolute(scenario) ? scenario : join(here, "..", "sipp", scenario);
    this.port = port;
    this.extraArgs = extraArgs;
    /** @type {Proc | undefined} */
    this.proc = undefined;
  }
  start() {
    this.proc = new Proc(
      "sipp",
      "sipp",
      [
        "-sf",
        this.scenario,
        "-i",
        "127.0.0.1",
        "-p",
        String(this.port),
        "-mi",
        "127.0.0.1",
        "-m",
        "1",
        "-nostdin",
        "-trace_msg",
        "-message_file",
        join(this.dir, "messages.log"),
        "-timeout",
        "60s",
        ...this.extraArgs,
      ],
      join(this.dir, "sipp.log"),
      { cwd: this.dir },
    );
    return this;
  }
  /** How sipp ended: bounded by its own `-timeout 60s`. */
  get exited() {
    if (!this.proc) throw new Error("sipp was not started");
    return this.proc.exited;
  }
  get messages() {
    try {
      return readFileSync(join(this.dir, "messages.log"), "utf8");
    } catch {
      return "";
    }
  }
  async stop() {
    await this.proc?.stop();
  }
}
