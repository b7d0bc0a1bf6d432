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

  constructor(private readonly deps: LineRegistryDeps) {}

  get config(): PhoneConfig {
    return this.current;
  }

  get snapshots(): LineSnapshot[] {
    return [...this.lines.values()].map((l) => this.snapshot(l));
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
    const wanted = new Map(config.accounts.map((a) => [a.id, a]));
    const gone = [...this.lines.keys()].filter((id) => !wanted.has(id));
    for (const [id, line] of this.lines) {
      const next = wanted.get(id);
      // A new ringtone changes nothing on the wire: the line (and its calls) stays up.
      if (next && tookRingtones(line.account, next)) continue;
      if (!next || JSON.stringify(next) !== JSON.stringify(line.account)) {
        this.lines.delete(id);
        void line.stop();
      }
    }
    const kept = new Map(this.lines);
    this.lines.clear();
    // Rebuilt in the configuration's order, so a changed line keeps its place in the UI.
    for (const account of config.accounts) {
      const existing = kept.get(account.id);
      if (existing) {
        this.lines.set(account.id, existing);
        continue;
      }
      const line = this.create(account);
      this.lines.set(account.id, line);
      this.deps.announce(line.snapshot);
      if (account.enabled !== false) line.start();
    }
    this.current = config;
    return gone;
  }

  /** Announces a line's snapshot again (its voicemail count changed). */
  announce(lineId: string): void {
    const line = this.lines.get(lineId);
    if (line) this.deps.announce(this.snapshot(line));
  }

  /** Announces every line again (DND or forwarding changed). */
  announceAll(): void {
    for (const line of this.lines.values()) this.deps.announce(this.snapshot(line));
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

  async stopAll(): Promise<void> {
    await Promise.all([...this.lines.values()].map((l) => l.stop()));
    this.lines.clear();
  }

  private snapshot(line: Line): LineSnapshot {
    return { ...line.snapshot, ...this.deps.policy.flags(line.id), ...this.deps.voicemail.snapshotOf(line) };
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
