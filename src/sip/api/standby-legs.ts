import type { AccountConfig } from "../../config/phone-config.js";
import type { Clock, TimerHandle } from "../core/clock.js";
import { getLogger } from "../core/logger.js";
import { LinePhase } from "./line-state.js";
import type { StandbyLeg } from "./platform.js";

const log = getLogger("standby");

/** Standby legs kept at most, whatever the number of lines (one per distinct ICE configuration). */
export const MAX_STANDBY_LEGS = 3;
/** A leg is made again after this long: its candidates may name NAT mappings that are gone. */
export const STANDBY_MAX_AGE_MS = 120_000;
/** A line that placed or took a call, or was dialled on, keeps a leg this long after. */
export const RECENT_USE_MS = 15 * 60_000;
/** After a leg could not be made (no TURN answer...), the next try waits this long. */
export const STANDBY_RETRY_MS = 30_000;
/**
 * A leg a call took is made again when that call is over, or after this long if it lasts: no
 * new connection competes with a call being set up, and the call's connection stays the page's
 * newest while it is up.
 */
export const STANDBY_REFILL_MS = 30_000;

/** What the policy reads of a line. */
export interface StandbyLine {
  readonly id: string;
  readonly account: AccountConfig;
  readonly phase: LinePhase;
}

export interface StandbyLegsDeps {
  clock: Clock;
  /** Makes a leg under the account's ICE servers and codec order (platform.openStandby). */
  open(account: AccountConfig): Promise<StandbyLeg>;
  /** The phone's lines, in the configuration's order. */
  lines(): readonly StandbyLine[];
}

interface Slot {
  readonly key: string;
  readonly leg: Promise<StandbyLeg | undefined>;
  readonly madeAt: number;
}

/**
 * The phone's standby legs: a peer connection per ICE configuration with the audio offer made
 * and set and its candidates gathered, but no microphone, so that a call from any entry point
 * (dial(), a call button, a link) sends its INVITE at once and opens the microphone meanwhile.
 *
 * One leg serves every line with the same ICE servers, transport policy and codec order: an
 * offer holds nothing of the line (no address, no credentials), and 1000 lines on one PBX cost
 * one peer connection. Legs are kept for the lines a call is likely to come from: the default
 * line (the one dial() takes without a line id) and lines used in the last RECENT_USE_MS, and
 * only while they are registered; at most MAX_STANDBY_LEGS in all. A leg is made again when the
 * call that took it ended (STANDBY_REFILL_MS at the latest), when it is older than
 * STANDBY_MAX_AGE_MS, when the network changes, when the user starts typing a number on its line
 * (renew), and when a line's configuration changes (a leg is only ever taken by a line whose key
 * it was made for). Docs: docs/performance.md, "Standby legs and prepared answers".
 */
export class StandbyLegs {
  private readonly slots = new Map<string, Slot>();
  /** Line id → when it was last used (dialled on, placed or took a call). */
  private readonly used = new Map<string, number>();
  private timer: TimerHandle | undefined;
  /** Keys whose last attempt failed, or whose leg a call took → when a leg may be made again. */
  private readonly notBefore = new Map<string, number>();

  /** The dial pad's microphone, put on every leg made for its key until a call takes one. */
  private lent: { key: string; microphone: Promise<MediaStream> } | undefined;

  constructor(private readonly deps: StandbyLegsDeps) {}

  /** `lineId` was used (a call placed or established on it): it keeps a leg for a while. */
  use(lineId: string): void {
    this.used.delete(lineId);
    this.used.set(lineId, this.deps.clock.now());
    this.sync();
  }

  /**
   * The leg for `line`, taken (no other call gets it), or undefined when none suits. A leg still
   * being made is waited for: it started earlier than a new one would. A new one is made after.
   */
  async take(line: StandbyLine): Promise<StandbyLeg | undefined> {
    const key = standbyKey(line.account);
    const slot = this.slots.get(key);
    this.slots.delete(key);
    if (this.lent?.key === key) this.lent = undefined;
    this.used.delete(line.id);
    this.used.set(line.id, this.deps.clock.now());
    const leg = slot ? await slot.leg : undefined;
    if (leg?.usable) {
      this.notBefore.set(key, this.deps.clock.now() + STANDBY_REFILL_MS);
      this.later(0);
      return leg;
    }
    leg?.release();
    this.later(0);
    return undefined;
  }

  /** A call on `lineId` ended: its line's leg, if a call took it, is made again now. */
  callEnded(lineId: string): void {
    const line = this.deps.lines().find((l) => l.id === lineId);
    if (line) this.notBefore.delete(standbyKey(line.account));
    this.later(0);
  }

  /**
   * The user starts typing a number on `line`: its leg is made again now, fresh for the call
   * about to be placed (a click before it is ready waits for it: typing takes longer).
   */
  renew(line: StandbyLine): void {
    const key = standbyKey(line.account);
    this.drop(key);
    // Even if one could not be made lately, or a call holds the last one: the user needs it now.
    this.notBefore.delete(key);
    this.use(line.id);
  }

  /**
   * The microphone opened while the user types on `line` goes on its leg's sender (nothing is
   * sent: the leg has no answer yet), as a desk phone's handset is live once lifted. The leg
   * does not own it: whoever opened it closes it (OutgoingCalls.onHook) or hands it to the call.
   */
  lendMicrophone(line: StandbyLine, microphone: Promise<MediaStream>): void {
    this.lent = { key: standbyKey(line.account), microphone };
    this.applyLent(this.lent.key);
  }

  /** The lent microphone was closed (the user stopped typing): later legs do not get it. */
  returnMicrophone(): void {
    this.lent = undefined;
  }

  /** The network changed: candidates gathered on the old one are worthless. */
  networkChanged(): void {
    for (const key of [...this.slots.keys()]) this.drop(key);
    this.notBefore.clear();
    this.sync();
  }

  /**
   * Brings the legs in line with the lines: one per wanted key, none for keys no longer wanted,
   * old ones made again. Called on every line change; cheap when nothing changed.
   */
  sync(): void {
    const now = this.deps.clock.now();
    const wanted = this.wantedAccounts(now);
    for (const key of [...this.slots.keys()]) if (!wanted.has(key)) this.drop(key);
    let next = Infinity;
    for (const [key, account] of wanted) {
      const slot = this.slots.get(key);
      if (slot && now - slot.madeAt >= STANDBY_MAX_AGE_MS) this.refresh(slot, account);
      else if (!slot && (this.notBefore.get(key) ?? 0) <= now) this.make(key, account);
      const due = this.slots.get(key)?.madeAt ?? this.notBefore.get(key) ?? now;
      next = Math.min(next, (this.slots.has(key) ? due + STANDBY_MAX_AGE_MS : due) - now);
    }
    // A line's recent use running out may take its leg away.
    for (const at of this.used.values()) next = Math.min(next, at + RECENT_USE_MS - now);
    if (Number.isFinite(next)) this.later(Math.max(next, 0) + 1);
  }

  /** A line changed (registered, lost, configured): the legs follow, once for many changes in a row. */
  linesChanged(): void {
    this.later(0);
  }

  /** Frees every leg (the phone is disposed); lines configured later get theirs again. */
  releaseAll(): void {
    this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.used.clear();
    for (const key of [...this.slots.keys()]) this.drop(key);
  }

  /** The keys wanted now and an account to make each with: default line first, then most recently used. */
  private wantedAccounts(now: number): Map<string, AccountConfig> {
    const lines = this.deps.lines().filter((l) => l.account.enabled !== false);
    const byId = new Map(lines.map((l) => [l.id, l]));
    for (const [id, at] of this.used) if (now - at >= RECENT_USE_MS || !byId.has(id)) this.used.delete(id);
    // The map is in order of use (use() re-inserts): the last used first.
    const recent = [...this.used.keys()].reverse().map((id) => byId.get(id));
    const wanted = new Map<string, AccountConfig>();
    for (const line of [lines[0], ...recent]) {
      if (!line || !canCall(line.phase) || line.account.clickToCall === "desk" || line.account.clickToCall === "reverse") continue;
      const key = standbyKey(line.account);
      if (!wanted.has(key) && wanted.size < MAX_STANDBY_LEGS) wanted.set(key, line.account);
    }
    return wanted;
  }

  private make(key: string, account: AccountConfig): void {
    const leg = this.open(key, account);
    this.slots.set(key, { key, leg, madeAt: this.deps.clock.now() });
    this.applyLent(key);
    void leg.then((l) => {
      if (!l && this.slots.get(key)?.leg === leg) this.slots.delete(key);
    });
  }

  /**
   * The old leg stays takeable until its successor is ready, so a call meanwhile still gets one;
   * a successor whose slot was taken or dropped meanwhile is not needed.
   */
  private refresh(old: Slot, account: AccountConfig): void {
    const now = this.deps.clock.now();
    const kept: Slot = { ...old, madeAt: now };
    this.slots.set(old.key, kept);
    void this.open(old.key, account).then((leg) => {
      if (!leg) return;
      if (this.slots.get(old.key) !== kept) return leg.release();
      this.slots.set(old.key, { key: old.key, leg: Promise.resolve(leg), madeAt: now });
      this.applyLent(old.key);
      void old.leg.then((l) => l?.release());
    });
  }

  /** Opens a leg; a failure is logged and tried again after STANDBY_RETRY_MS. */
  private open(key: string, account: AccountConfig): Promise<StandbyLeg | undefined> {
    return this.deps.open(account).then(
      (l) => {
        this.notBefore.delete(key);
        return l;
      },
      (e: unknown) => {
        log.info("standby leg not made", e);
        this.notBefore.set(key, this.deps.clock.now() + STANDBY_RETRY_MS);
        this.later(STANDBY_RETRY_MS);
        return undefined;
      },
    );
  }

  /** Puts the lent microphone on `key`'s leg, if it is lent for that key. */
  private applyLent(key: string): void {
    const lent = this.lent;
    const leg = this.slots.get(key)?.leg;
    if (lent?.key !== key || !leg) return;
    void Promise.all([leg, lent.microphone]).then(
      ([l, m]) => l?.holdMicrophone?.(m),
      () => undefined,
    );
  }

  private drop(key: string): void {
    const slot = this.slots.get(key);
    this.slots.delete(key);
    void slot?.leg.then((l) => l?.release());
  }

  private later(ms: number): void {
    this.deps.clock.clearTimeout(this.timer);
    this.timer = this.deps.clock.setTimeout(() => this.sync(), ms);
  }
}

/** Lines with one key can share a leg: its offer depends on nothing else of the account. */
export function standbyKey(account: Pick<AccountConfig, "iceServers" | "iceTransportPolicy" | "codecs">): string {
  return JSON.stringify([account.iceServers ?? [], account.iceTransportPolicy ?? "all", account.codecs ?? []]);
}

/** Registered (a refresh in flight counts), or connected without registering. */
function canCall(phase: LinePhase): boolean {
  return phase === LinePhase.Registered || phase === LinePhase.Registering || phase === LinePhase.Connected;
}
