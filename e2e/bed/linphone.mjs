// Debian's linphonec (liblinphone 5.1) as a second, independent SIP user agent in the bed: a
// desk phone on UDP, reached through Kamailio (2003), driven through its stdin, started and
// stopped by PID. No sound card: "soundcard use files" plays a tone file as its microphone and records
// what it hears to a WAV file.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DOMAIN, Proc, USERS } from "./bed.mjs";
import { writePcmToneWav } from "./rtp.mjs";

export class Linphone {
  /**
   * @param {string} dir
   * @param {{ sipPort?: number, rtpPort?: number }} [options]
   */
  constructor(dir, { sipPort = 5072, rtpPort = 7078 } = {}) {
    this.user = USERS.linphone;
    this.dir = join(dir, "linphone");
    mkdirSync(this.dir, { recursive: true });
    this.sipPort = sipPort;
    this.rtpPort = rtpPort;
    this.tone = writePcmToneWav(join(this.dir, "tone.wav"));
    this.recordings = 0;
    /** @type {Proc | undefined} */
    this.proc = undefined;
  }

  async start() {
    const rc = join(this.dir, "linphonerc");
    writeFileSync(
      rc,
      [
        "[sip]",
        // Its identity without a registration (see start()), and the credentials it answers
        // Kamailio's 407 with.
        `contact=sip:${this.user.user}@${DOMAIN}`,
        "use_ipv6=0",
        "bind_address=127.0.0.1",
        "sip_tcp_port=-1",
        "sip_tls_port=-1",
        "[rtp]",
        `audio_rtp_port=${this.rtpPort}`,
        "[sound]",
        "echocancellation=0",
        "[video]",
        "automatically_initiate=0",
        "automatically_accept=0",
        "[auth_info_0]",
        `username=${this.user.user}`,
        `passwd=${this.user.password}`,
        `realm=${DOMAIN}`,
        `domain=${DOMAIN}`,
        "",
      ].join("\n"),
    );
    this.proc = new Proc("linphonec", "linphonec", ["-c", rc, "-d", "0"], join(this.dir, "linphonec.log"), { cwd: this.dir });
    this.proc.child.stdin?.on("error", () => undefined);
    await this.proc.waitFor(/linphonec> /, 15_000);
    // The listening port: set here, as the configuration's sip_port alone opens none headless.
    this.send(`ports sip ${this.sipPort}`);
    this.send("soundcard use files");
    this.send(`play ${this.tone}`);
    // No REGISTER: with only lo, liblinphone 5.1 finds "Local loopback network only" and never
    // registers (linphonec cannot call the network up); it still listens and calls, so Kamailio
    // reaches 2003 at this fixed port (kamailio.cfg) and its calls go to Kamailio directly.
    await this.proc.waitFor(/Using wav files instead of soundcard/, 15_000);
    return this;
  }

  /**
   * One command line on linphonec's stdin.
   * @param {string} line
   */
  send(line) {
    this.proc?.child.stdin?.write(`${line}\n`);
  }

  /** Records what it hears from now on into a new WAV file; returns its path. */
  record() {
    const file = join(this.dir, `heard-${++this.recordings}.wav`);
    this.send(`record ${file}`);
    return file;
  }

  /**
   * Waits for a line of its output from now on.
   * @param {RegExp} re
   * @param {number} [timeoutMs]
   */
  waitFor(re, timeoutMs = 15_000) {
    if (!this.proc) throw new Error("linphonec was not started");
    return this.proc.waitFor(re, timeoutMs, { fromNow: true });
  }

  /** Its "calls" table (id, destination, state) as it prints it now. */
  async calls() {
    const table = this.waitFor(/Call states[\s\S]*?linphonec> |No active call/, 5000).catch(() => [""]);
    this.send("calls");
    return (await table)[0];
  }

  /** Everything it printed so far. */
  get log() {
    return this.proc?.output ?? "";
  }

  /** RFC 4733 digits it received, in order ("Receiving tone 5 from ..."). */
  receivedDtmf() {
    return [...this.log.matchAll(/Receiving tone (.) from/g)].map((m) => m[1]).join("");
  }

  async stop() {
    if (!this.proc?.running) return;
    this.send("quit");
    const quit = await Promise.race([this.proc.exited, new Promise((r) => setTimeout(() => r(undefined), 3000))]);
    if (!quit) await this.proc.stop();
  }
}
