import { tookRingtones } from "./alert-info-tone.js";
import { SocketLivenessMap } from "./keep-alive.js";
import type { AccountConfig, PhoneConfig } from "../../config/phone-config.js";
import type { Clock } from "../core/clock.js";
import type { IncomingCalls } from "./incoming-calls.js";
import type { IncomingPolicy } from "./incoming-policy.js";
import { Line, type LineTiming } from "./line.js";
import type { LineSnapshot } from "./line-state.js";
import type { Messaging } from "./messaging.js";
import { PhoneError } from "./phone-errors.js";
import type { PhonePlatform, TransportConstructor } from "./platform.js";
import type { Presence } from "./presence.js";
import type { Voicemail } from "./voicemail.js";

export interface LineRegistryDeps {
  platform: Pick<PhonePlatform, "sdhFactory">;
  clock: Clock;
  transport: TransportConstructor;
  timing?: Partial<LineTiming>;
  probeOffline?: () => Promise<boolean>;
  /** The parts each line is wired to: what it receives goes to them, its changes too. */
  incoming: Pick<IncomingCalls, "receive">;
  voicemail: Pick<Voicemail, "unsolicited" | "lineChanged" | "snapshotOf">;
  messaging: Pick<Messaging, "receive" | "lineChanged">;
  presence: Pick<Presence, "lineAdded">;
  /** DND and forwarding, shown in the line's snapshot. */
  policy: Pick<IncomingPolicy, "flags">;
  /** Registered again after a lost connection; `networkChanged`: the browser said `online` since. */
  reconnected(line: Line, networkChanged: boolean): void;
  /** The phone's `line-state` event. */
  announce(snapshot: LineSnapshot): void;
}

/**
 * The lines the phone holds, one per account in the configuration's order, and the
 * configuration they came from. Applying a configuration keeps unchanged lines as they are,
 * restarts changed ones and stops removed ones.
 */
export class LineRegistry {
  private readonly lines = new Map<string, Line>();
  /** One keep-alive per server socket, whatever the number of lines on it (keep-alive.ts). */
  private readonly liveness = new SocketLivenessMap();
  private current: PhoneConfig = { version: 1, accounts: [] };
  /** Set by `online`: the path may have changed, so refreshed calls restart ICE too. */
  private networkChanged = false;
  /**
   * Each line's snapshot, made again only when it changes (the line's change event, its
   * voicemail, DND or forwarding: every path that announces it). `snapshots` is read at every
   * line event by the element and its host page: with 1000 lines registering, building them
   * all each time was 3 million snapshots (npm run bench, "1000 lines").
   */
  private readonly made = new WeakMap<Line, LineSnapshot>();
  /** `snapshots` in order, and where each line is in it; dropped when lines come or go. */
  private list: LineSnapshot[] | undefined;
  private at = new Map<Line, number>();

  constructor(private readonly deps: LineRegistryDeps) {}

  get config(): PhoneConfig {
    return this.current;
  }

  get snapshots(): LineSnapshot[] {
    if (!this.list) {
      const lines = [...this.lines.values()];
      this.list = lines.map((l) => this.snapshot(l));
      this.at = new Map(lines.map((l, i) => [l, i]));
    }
    // A copy: the caller may sort or change it, the kept one stays as it is.
    return this.list.slice();
  }

  get(id: string): Line | undefined {
    return this.lines.get(id);
  }

  all(): Line[] {
    return [...this.lines.values()];
  }

  /** The line of `lineId`; throws PhoneError "no-line". */
  require(lineId: string): Line {
    const line = this.lines.get(lineId);
    if (!line) throw new PhoneError(`No line "${lineId}"`, "no-line", { lineId });
    return line;
  }

  /** The line of `lineId`, or the first enabled one; throws PhoneError "no-line" when `required`. */
  pick(lineId: string | undefined, required: boolean): Line | undefined {
    if (lineId) {
      const line = this.lines.get(lineId);
      if (!line && required) throw new PhoneError(`No line "${lineId}"`, "no-line", { lineId });
      return line;
    }
    const line = [...this.lines.values()].find((l) => l.account.enabled !== false);
    if (!line && required) throw new PhoneError("No account is set up: add one first", "no-line");
    return line;
  }

  /** Applies a validated configuration (see Phone.configure); returns the ids of the lines removed. */
  apply(config: PhoneConfig): string[] {
    // The kept list goes with every change of the lines below: their events are read meanwhile.
    const wanted = new Map(config.accounts.map((a) => [a.id, a]));
    const gone = [...this.lines.keys()].filter((id) => !wanted.has(id));
    for (const [id, line] of this.lines) {
      const next = wanted.get(id);
      // A new ringtone changes nothing on the wire: the line (and its calls) stays up.
      if (next && tookRingtones(line.account, next)) continue;
      if (!next || JSON.stringify(next) !== JSON.stringify(line.account)) {
        this.lines.delete(id);
        this.list = undefined;
        void line.stop();
      }
    }
    const kept = new Map(this.lines);
    this.lines.clear();
    this.list = undefined;
    // Rebuilt in the configuration's order, so a changed line keeps its place in the UI.
    for (const account of config.accounts) {
      const existing = kept.get(account.id);
      if (existing) {
        this.lines.set(account.id, existing);
        this.list = undefined;
        continue;
      }
      const line = this.create(account);
      this.lines.set(account.id, line);
      this.list = undefined;
      this.deps.announce(this.snapshot(line));
      if (account.enabled !== false) line.start();
    }
    this.current = config;
    return gone;
  }

  /** Announces a line's snapshot again (its voicemail count changed). */
  announce(lineId: string): void {
    const line = this.lines.get(lineId);
    if (line) this.deps.announce(this.remake(line));
  }

  /** Announces every line again (DND or forwarding changed). */
  announceAll(): void {
    for (const line of this.lines.values()) this.deps.announce(this.remake(line));
  }

  /** The network is back (browser `online` event): every line reconnects now. */
  networkOnline(): void {
    this.networkChanged = true;
    for (const line of this.lines.values()) line.reconnectNow();
  }

  /** The page is being unloaded: every line un-REGISTERs (see Line.unregisterNow). */
  unregisterAll(): void {
    for (const line of this.lines.values()) line.unregisterNow();
  }

  /**
   * A line for one trial registration (trial-registration.ts): on this phone's sockets and
   * trace, but not among its lines (no calls, messages or lamps; an INVITE to it gets 480).
   */
  trialLine(account: AccountConfig): Line {
    const { deps } = this;
    return new Line(
      { ...account, id: `trial-${Math.random().toString(36).slice(2, 8)}`, enabled: true, register: true },
      {
        sdhFactory: deps.platform.sdhFactory(account),
        onInvite: (_l, invitation) => void invitation.reject({ statusCode: 480 }).catch(() => undefined),
        transportConstructor: deps.transport,
        clock: deps.clock,
      },
    );
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.lines.values()].map((l) => l.stop()));
    this.lines.clear();
    this.list = undefined;
  }

  private snapshot(line: Line): LineSnapshot {
    return this.made.get(line) ?? this.remake(line);
  }

  private remake(line: Line): LineSnapshot {
    // Frozen: every reader gets this same object until the line changes.
    const made = Object.freeze({ ...line.snapshot, ...this.deps.policy.flags(line.id), ...this.deps.voicemail.snapshotOf(line) });
    this.made.set(line, made);
    const i = this.at.get(line);
    if (this.list && i !== undefined) this.list[i] = made;
    return made;
  }

  private create(account: AccountConfig): Line {
    const { deps } = this;
    const line = new Line(account, {
      sdhFactory: deps.platform.sdhFactory(account),
      onInvite: (l, invitation) => deps.incoming.receive(l, invitation),
      onNotify: (l, notification) => deps.voicemail.unsolicited(l, notification),
      onMessage: (l, message) => deps.messaging.receive(l, message),
      transportConstructor: deps.transport,
      liveness: this.liveness,
      timing: deps.timing,
      clock: deps.clock,
      probeOffline: deps.probeOffline,
    });
    line.on("change", () => {
      this.made.delete(line);
      deps.voicemail.lineChanged(line);
      deps.messaging.lineChanged(line);
      deps.announce(this.snapshot(line));
    });
    line.on("reconnected", () => {
      deps.reconnected(line, this.networkChanged);
      this.networkChanged = false;
    });
    deps.presence.lineAdded(line);
    return line;
  }
}
