import { Timers, type Clock, type TimerHandle } from "../core/clock.js";
import { LinePhase } from "./line-state.js";
import type { Line } from "./line.js";
import { PhoneError } from "./phone-errors.js";
import type { PresenceSnapshot } from "./presence-state.js";
import type { TargetResolver } from "./target-resolver.js";
import { Watch, type WatchHost } from "./watch.js";

/** Time between two SUBSCRIBEs of the queue: 200 watched parties take 5 s, never one burst. */
export const WATCH_SPACING_MS = 25;
/** Watched parties per phone at most (each is a subscription the server keeps for us). */
export const MAX_WATCHES = 500;

export interface PresenceDeps {
  clock: Clock;
  targets: TargetResolver;
  line(id: string | undefined): Line | undefined;
  changed(snapshot: PresenceSnapshot): void;
  note(lineId: string, text: string): void;
}

/**
 * Busy lamps: the watched parties of every line (watch.ts holds one subscription each) and the
 * queue their SUBSCRIBEs leave through. A line with 200 watched parties sends one SUBSCRIBE
 * each, spaced WATCH_SPACING_MS apart: at start, when it registers, after a reconnect (the server
 * sends NOTIFYs along the flow the SUBSCRIBE came on, and that flow is gone), and when the
 * server ends one. Refreshes are SIP.js's, at 90 % of each granted expiry, so they stay as spread
 * out as the first SUBSCRIBEs were.
 */
export class Presence {
  private readonly watches = new Map<string, Watch>();
  private readonly queue = new Set<Watch>();
  private readonly timers: Timers;
  private pumping: TimerHandle | undefined;
  private readonly retries = new Map<Watch, TimerHandle>();

  constructor(private readonly deps: PresenceDeps) {
    this.timers = new Timers(deps.clock);
  }

  get snapshots(): PresenceSnapshot[] {
    return [...this.watches.values()].map((w) => w.snapshot);
  }

  /** The watch of `target`, if it is watched. */
  get(target: string): Watch | undefined {
    return this.watches.get(target);
  }

  async watch(target: string, lineId?: string): Promise<void> {
    const line = this.deps.line(lineId);
    if (!line) throw new PhoneError(lineId ? `No line "${lineId}"` : "No account is set up: add one first", "no-line", { lineId });
    const existing = this.watches.get(target);
    if (existing?.lineId === line.id) return;
    if (!existing && this.watches.size >= MAX_WATCHES) {
      throw new PhoneError(`At most ${MAX_WATCHES} parties can be watched`, "bad-state", { input: target });
    }
    const { uri } = await this.deps.targets.resolve(target, line.account, line.domain);
    this.unwatch(target);
    const w = new Watch(target, line.id, uri, this.host);
    this.watches.set(target, w);
    this.deps.changed(w.snapshot);
    this.enqueue(w);
  }

  unwatch(target: string): void {
    const w = this.watches.get(target);
    if (!w) return;
    this.watches.delete(target);
    this.queue.delete(w);
    this.timers.cancel(this.retries.get(w));
    this.retries.delete(w);
    w.stop();
  }

  /** A line of the phone was created (or re-created by a configuration change). */
  lineAdded(line: Line): void {
    line.on("change", (s) => {
      if (s.state === "registered" || s.state === "connected") this.lineUp(line);
    });
    line.on("reconnected", () => {
      for (const w of this.watches.values()) if (w.lineId === line.id) w.renew(line);
    });
    this.lineUp(line);
  }

  dispose(): void {
    for (const target of [...this.watches.keys()]) this.unwatch(target);
    this.timers.cancelAll();
  }

  /** Watches of this line that have no subscription on it yet (a new or restarted line). */
  private lineUp(line: Line): void {
    for (const w of this.watches.values()) if (w.lineId === line.id && !w.isOn(line)) this.enqueue(w);
  }

  private readonly host: WatchHost = {
    enqueue: (w) => this.enqueue(w),
    later: (w, ms) => {
      this.timers.cancel(this.retries.get(w));
      this.retries.set(
        w,
        this.timers.after(ms, () => {
          this.retries.delete(w);
          this.enqueue(w);
        }),
      );
    },
    changed: (s) => {
      if (this.watches.has(s.target)) this.deps.changed(s);
    },
    note: (lineId, text) => this.deps.note(lineId, text),
  };

  private enqueue(w: Watch): void {
    if (this.watches.get(w.target) !== w) return;
    this.queue.add(w);
    this.pumping ??= this.timers.after(0, () => this.pump());
  }

  /** Sends the next queued SUBSCRIBE whose line can carry it, then waits WATCH_SPACING_MS. */
  private pump(): void {
    this.pumping = undefined;
    for (const w of this.queue) {
      this.queue.delete(w);
      const line = this.deps.line(w.lineId);
      const up = line && (line.phase === LinePhase.Registered || line.phase === LinePhase.Connected);
      // A line that is down gets its watches back through lineUp() when it registers.
      if (!line || !up) continue;
      w.subscribe(line);
      break;
    }
    if (this.queue.size) this.pumping = this.timers.after(WATCH_SPACING_MS, () => this.pump());
  }
}
