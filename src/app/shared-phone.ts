import type { CallSnapshot } from "../sip/api/call-state.js";
import { Emitter } from "../sip/core/emitter.js";
import type { LineSnapshot } from "../sip/api/line-state.js";
import { getLogger } from "../sip/core/logger.js";
import { PHONE_COMMANDS, isPhoneCommand, type PhoneCommand, type RemoteCommands } from "../sip/api/commands.js";
import { PhoneError, type Phone, type PhoneEvents } from "../sip/api/phone.js";
import type { SipTrace } from "../sip/core/sip-trace.js";
import type { PresenceSnapshot } from "../sip/api/presence-state.js";
import type { MessageSnapshot } from "../sip/api/text-message.js";
import type { VideoMedia } from "../sip/api/video-calls.js";
import { TabOutbox, withLines, type LinesMessage, type Soon } from "./tab-outbox.js";

const log = getLogger("tabs");

/**
 * One registration per browser profile, however many tabs show the phone.
 *
 * Two tabs that both registered a line would both ring, and one would take the other's calls.
 * So one tab is elected (Web Locks: the lock holder leads until it closes) to run the real
 * `Phone` with its SIP connections and media; every other tab is a follower that mirrors the
 * leader's lines and calls (BroadcastChannel) and sends its commands (dial, answer, hang up…)
 * to the leader. When the leader closes, the browser releases its lock and the next tab takes
 * over, loads the configuration and registers by itself.
 *
 * Calls' audio plays in the leading tab. Without Web Locks or BroadcastChannel every tab leads
 * (the behaviour before this existed).
 */

type Message =
  | { t: "hello" }
  | { t: "state"; lines: LineSnapshot[]; calls: CallSnapshot[]; watched?: PresenceSnapshot[] }
  | { t: "event"; name: keyof PhoneEvents; data: PhoneEvents[keyof PhoneEvents] }
  | { t: "cmd"; id: string; method: PhoneCommand; args: unknown[] }
  | { t: "result"; id: string; ok: true; value: unknown }
  | { t: "result"; id: string; ok: false; error: { message: string; name: string; code?: string; detail?: PhoneError["detail"] } }
  | { t: "peer"; kind: PeerChange }
  | LinesMessage;

/** What another tab changed in storage. */
export type PeerChange = "config-changed" | "history-changed" | "settings-changed" | "messages-changed";

/** How long a new follower waits for the leader's state before it shows itself. */
const FIRST_STATE_WAIT_MS = 1000;
/** How long a follower waits for the leader to carry out a command. */
const COMMAND_TIMEOUT_MS = 10_000;

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The commands (sip/api/commands.ts) are not written out here: the static block below installs
 * one method per name, each `run(name, ...args)`, and this merged interface gives them their
 * types (the test checks that every name is a method).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface SharedPhone extends RemoteCommands {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class SharedPhone extends Emitter<PhoneEvents> {
  static {
    for (const name of PHONE_COMMANDS) {
      Object.defineProperty(SharedPhone.prototype, name, {
        value(this: SharedPhone, ...args: unknown[]) {
          return this.run(name, ...args);
        },
        writable: true,
        configurable: true,
      });
    }
  }

  private leading = false;
  private lines_: LineSnapshot[] = [];
  private calls_: CallSnapshot[] = [];
  private watched_ = new Map<string, PresenceSnapshot>();
  private channel: BroadcastChannel | undefined;
  private readonly outbox: TabOutbox<Message>;
  private readonly pending = new Map<string, Pending>();
  private counter = 0;
  private readonly tabId = Math.random().toString(36).slice(2, 10);
  /** Another tab changed something shared (configuration, history, settings). */
  onPeer: ((kind: PeerChange) => void) | undefined;

  constructor(
    private readonly local: Phone,
    private readonly name = "webphone",
    soon?: Soon,
  ) {
    super();
    this.outbox = new TabOutbox<Message>((m) => this.send(m), soon);
    for (const name of ["line-state", "call-state", "incoming-call", "message", "presence", "audio-device"] as const) {
      local.on(name, (data) => {
        if (!this.leading) return;
        (this.emit as (n: string, d: unknown) => void)(name, data);
        if (name === "line-state") this.outbox.line(data as LineSnapshot);
        else this.post({ t: "event", name, data });
      });
    }
  }

  /** This tab holds the SIP connections. */
  get isLeader(): boolean {
    return this.leading;
  }

  /**
   * Finds this tab's role: resolves once known. `lead` runs when this tab becomes the leader
   * (now, or later when the leading tab closes); it must start the lines.
   */
  async start(lead: (takeover: boolean) => Promise<void>): Promise<void> {
    const locks = (globalThis.navigator as { locks?: LockManager } | undefined)?.locks;
    if (!locks || typeof BroadcastChannel !== "function") {
      this.leading = true;
      await lead(false);
      return;
    }
    this.channel = new BroadcastChannel(`${this.name}-tabs`);
    this.channel.onmessage = (e: MessageEvent<Message>) => void this.onMessage(e.data);
    const key = `${this.name}-leader`;
    const takeLead = async (takeover: boolean) => {
      this.leading = true;
      log.info("this tab leads");
      for (const p of this.pending.values()) p.reject(new Error("The phone moved to this tab: try again"));
      this.pending.clear();
      try {
        await lead(takeover);
      } finally {
        this.publishState();
        // A tab that started as a follower while the previous leader was still unloading (a
        // reload) stops waiting for that leader's state: it leads now.
        this.gotState?.();
        this.gotState = undefined;
      }
      // Held until the tab closes: then the browser gives the lock to the next tab.
      await new Promise<never>(() => undefined);
    };
    const leads = await new Promise<boolean>((resolve) => {
      void locks.request(key, { ifAvailable: true }, async (lock) => {
        resolve(lock !== null);
        if (lock) await takeLead(false);
      });
    });
    if (leads) return;
    void locks.request(key, () => takeLead(true));
    // A follower starts with the leader's lines and calls (or without, if it does not answer).
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, FIRST_STATE_WAIT_MS);
      this.gotState = () => {
        clearTimeout(timer);
        resolve();
      };
      this.post({ t: "hello" });
    });
  }

  private gotState: (() => void) | undefined;

  /** Tells the other tabs that something shared changed. */
  announce(kind: PeerChange): void {
    this.post({ t: "peer", kind });
  }

  /** Sends every line and call to the followers (after a configuration change, on takeover). */
  publishState(): void {
    if (!this.leading) return;
    this.post({ t: "state", lines: this.local.lines, calls: this.local.calls, watched: this.local.watched });
    for (const l of this.local.lines) this.emit("line-state", l);
  }

  get lines(): LineSnapshot[] {
    return this.leading ? this.local.lines : this.lines_;
  }

  get calls(): CallSnapshot[] {
    return this.leading ? this.local.calls : this.calls_;
  }

  /** The watched parties (busy lamps) and their states. */
  get watched(): PresenceSnapshot[] {
    return this.leading ? this.local.watched : [...this.watched_.values()];
  }

  get trace(): SipTrace {
    return this.local.trace;
  }

  offHook(lineId?: string): void {
    if (this.leading) this.local.offHook(lineId);
  }

  onHook(): void {
    if (this.leading) this.local.onHook();
  }

  /** A call's video to show (video-calls.ts): in the leading tab only, where the media are. */
  videoMedia(callId: string): VideoMedia | undefined {
    return this.leading ? this.local.videoMedia(callId) : undefined;
  }

  /** Runs a phone method here if this tab leads, else in the leading tab. */
  private run(method: PhoneCommand, ...args: unknown[]): Promise<unknown> {
    if (this.leading) {
      try {
        return Promise.resolve((this.local[method] as (...a: unknown[]) => unknown)(...args));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    const id = `${this.tabId}-${++this.counter}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new PhoneError("The tab that holds the phone connection did not answer: try again, or reload", "bad-state"));
      }, COMMAND_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      this.post({ t: "cmd", id, method, args });
    });
  }

  private post(m: Message): void {
    this.outbox.post(m);
  }

  private send(m: Message): void {
    try {
      this.channel?.postMessage(m);
    } catch (e) {
      log.warn("could not tell the other tabs:", (e as Error).message);
    }
  }

  private async onMessage(m: Message): Promise<void> {
    switch (m.t) {
      case "hello":
        this.publishState();
        return;
      case "state":
        if (this.leading) return;
        this.lines_ = m.lines;
        this.calls_ = m.calls;
        this.gotState?.();
        this.gotState = undefined;
        for (const l of m.lines) this.emit("line-state", l);
        for (const c of m.calls) this.emit("call-state", c);
        this.watched_ = new Map((m.watched ?? []).map((w) => [w.target, w]));
        for (const w of this.watched_.values()) this.emit("presence", w);
        return;
      case "event":
        if (this.leading) return;
        this.mirror(m.name, m.data);
        return;
      case "lines":
        if (this.leading) return;
        this.lines_ = withLines(this.lines_, m.lines);
        for (const l of m.lines) this.emit("line-state", l);
        return;
      case "cmd": {
        // Only the commands: a message names any property, and this runs it with its arguments.
        if (!this.leading || !isPhoneCommand(m.method)) return;
        try {
          const value = await (this.local[m.method] as (...a: unknown[]) => unknown)(...m.args);
          this.post({ t: "result", id: m.id, ok: true, value });
        } catch (e) {
          const err = e as Error & { code?: string; detail?: PhoneError["detail"] };
          this.post({
            t: "result",
            id: m.id,
            ok: false,
            error: { message: err.message, name: err.name, code: err.code, detail: err.detail },
          });
        }
        return;
      }
      case "result": {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        clearTimeout(p.timer);
        if (m.ok) p.resolve(m.value);
        else
          p.reject(
            m.error.name === "PhoneError"
              ? new PhoneError(m.error.message, (m.error.code ?? "bad-state") as PhoneError["code"], m.error.detail)
              : Object.assign(new Error(m.error.message), { name: m.error.name }),
          );
        return;
      }
      case "peer":
        this.onPeer?.(m.kind);
        return;
    }
  }

  private mirror(name: keyof PhoneEvents, data: PhoneEvents[keyof PhoneEvents]): void {
    // A chosen audio device went or came back: news only, the leader holds the devices.
    if (name === "audio-device") return this.emit(name, data as PhoneEvents["audio-device"]);
    if (name === "presence") {
      const lamp = data as PresenceSnapshot;
      this.watched_.set(lamp.target, lamp);
      return this.emit("presence", lamp);
    }
    // Messages are events only: the conversations live in storage (app/message-recorder.ts).
    if (name === "message") return this.emit("message", data as MessageSnapshot);
    if (name === "line-state") {
      const line = data as LineSnapshot;
      const i = this.lines_.findIndex((l) => l.id === line.id);
      this.lines_ = i >= 0 ? this.lines_.map((l, j) => (j === i ? line : l)) : [...this.lines_, line];
      this.emit("line-state", line);
      return;
    }
    const call = data as CallSnapshot;
    const rest = this.calls_.filter((c) => c.id !== call.id);
    const i = this.calls_.findIndex((c) => c.id === call.id);
    this.calls_ = call.state === "ended" ? rest : i >= 0 ? this.calls_.map((c) => (c.id === call.id ? call : c)) : [...this.calls_, call];
    (this.emit as (n: string, d: unknown) => void)(name, call);
  }
}
