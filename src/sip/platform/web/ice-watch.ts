import { systemClock, type Clock, type TimerHandle } from "../../core/clock.js";
import { getLogger } from "../../core/logger.js";

const log = getLogger("ice-watch");

/** What the watch reads of a peer connection. */
export type WatchedConnection = Pick<RTCPeerConnection, "iceConnectionState" | "addEventListener" | "removeEventListener">;

export interface IceWatchTiming {
  /** How long ICE may stay `disconnected` before a restart, in ms. */
  disconnectedMs: number;
  /**
   * How much longer the side that did not place the call waits, after `disconnected` or
   * `failed`, before its own restart, in ms: see ICE_WATCH_TIMING.
   */
  secondSideMs: number;
  /**
   * After each restart, how long the new path has to connect before the next one, in ms; as
   * many restarts as entries, then the watch gives up.
   */
  backoffMs: readonly number[];
}

/**
 * 4 s: Chrome reports `disconnected` after about 2.5 s without an answer to its connectivity
 * checks, and a Wi-Fi roam or a burst of loss often comes back by itself within a second or
 * two of that; a restart costs a re-INVITE through the proxy and new candidates. Three
 * restarts, 5, 10 and 20 s apart: a network that is gone for longer is left to the RTP timeout
 * (60 s by default), which ends the call with a reason.
 *
 * 2.5 s more for the side that did not place the call: when the path is lost for both (a relay
 * or a NAT between them went), both see it within a few ms of each other, and two restarts at
 * once collide. Their re-INVITEs cross (491 and a retry 0–4 s later), or one arrives while the
 * other side's offer is still gathering its candidates, so the first attempt fails on both
 * sides and a call may go on without sound for seconds more. With the caller first, the
 * callee sees its ICE `checking` again (the caller's re-INVITE is being answered) before its
 * own turn, and leaves it to finish. A peer that never restarts (a desk phone, a PBX) costs a
 * call we answered 2.5 s more of silence. A network change is not staggered: only this side
 * saw it.
 */
export const ICE_WATCH_TIMING: IceWatchTiming = { disconnectedMs: 4000, secondSideMs: 2500, backoffMs: [5000, 10_000, 20_000] };

/**
 * Renews the media path: a re-INVITE with ICE restart, retried on glare or a transient error
 * while `stillNeeded()` (false once ICE connected again, say through the other side's own
 * restart, or once the watch stopped).
 */
export type IceRestart = (stillNeeded: () => boolean) => Promise<void>;

/**
 * Decides when a call's media path is renewed by an ICE restart (a re-INVITE with new ICE
 * credentials and candidates, made by `restart`):
 *
 * ```
 *  connected ──disconnected──▶ grace (4 s) ──still not connected──▶ restart ──▶ backoff ──┐
 *      ▲             failed, or the network changed ───────────────▶    ▲                 │
 *      └────────────────────────── connected (the budget is whole again) ◀── not connected ┘
 * ```
 * At most one restart is in flight; a `failed` during the backoff waits for it; after the
 * last attempt nothing more is tried until ICE connects again. `checking` during the grace
 * means a restart is already under way (the other side's re-INVITE): it is left to finish.
 * The side that did not place the call (`first` false) waits `secondSideMs` longer, after
 * `disconnected` and after `failed` alike, so that the caller's restart comes first.
 */
export class IceWatch {
  private attempts = 0;
  private inFlight = false;
  private pending: { kind: "grace" | "backoff"; handle: TimerHandle } | undefined;
  private stopped = false;
  private readonly clock: Clock;
  private readonly timing: IceWatchTiming;
  /** What this side waits more than the other before its first restart (secondSideMs or 0). */
  private readonly lateMs: number;

  constructor(
    private readonly pc: WatchedConnection,
    private readonly restart: IceRestart,
    { clock = systemClock, timing = ICE_WATCH_TIMING, first = true }: { clock?: Clock; timing?: IceWatchTiming; first?: boolean } = {},
  ) {
    this.clock = clock;
    this.timing = timing;
    this.lateMs = first ? 0 : timing.secondSideMs;
    pc.addEventListener("iceconnectionstatechange", this.onState);
  }

  stop(): void {
    this.stopped = true;
    this.clear();
    this.pc.removeEventListener("iceconnectionstatechange", this.onState);
  }

  /**
   * The device moved to another network: the path in use may be gone (its interface is) or a
   * costly one, so it is renewed now, unless a restart is already in flight or waiting.
   */
  networkChanged(): void {
    if (this.stopped || this.inFlight || this.pending?.kind === "backoff") return;
    this.clear();
    void this.attempt(true);
  }

  private readonly onState = (): void => {
    if (this.stopped) return;
    switch (this.pc.iceConnectionState) {
      case "connected":
      case "completed":
        this.attempts = 0;
        this.clear();
        return;
      case "disconnected":
        if (!this.pending && !this.inFlight) this.schedule("grace", this.timing.disconnectedMs + this.lateMs);
        return;
      case "checking":
        if (this.pending?.kind === "grace") this.clear();
        return;
      case "failed":
        if (this.pending?.kind === "backoff" || this.inFlight) return;
        this.clear();
        // The second side still leaves the first restart to the caller (its grace, if running, is cut to that).
        if (this.lateMs > 0 && this.attempts === 0) this.schedule("grace", this.lateMs);
        else void this.attempt(false);
        return;
      case "closed":
        this.stop();
        return;
      default:
        return;
    }
  };

  private get healthy(): boolean {
    const s = this.pc.iceConnectionState;
    return s === "connected" || s === "completed";
  }

  private async attempt(force: boolean): Promise<void> {
    if (this.stopped || this.inFlight || (!force && this.healthy)) return;
    const state = this.pc.iceConnectionState;
    if (this.attempts >= this.timing.backoffMs.length) {
      log.warn(`ICE ${state} after ${this.attempts} restarts: no more restarts until it connects`);
      return;
    }
    const backoff = this.timing.backoffMs[this.attempts];
    this.attempts++;
    this.inFlight = true;
    log.info(`ICE ${force ? "network changed" : state}: restart ${this.attempts} of ${this.timing.backoffMs.length}`);
    try {
      await this.restart(() => !this.stopped && (force || !this.healthy));
    } catch (e) {
      log.info("ICE restart failed:", (e as Error)?.message ?? e);
    } finally {
      this.inFlight = false;
    }
    if (this.stopped) return;
    if (this.healthy) {
      // Renewed without ever losing the path (a network change): nothing was used up.
      this.attempts = 0;
      return;
    }
    this.clear();
    this.schedule("backoff", backoff);
  }

  private schedule(kind: "grace" | "backoff", ms: number): void {
    const handle = this.clock.setTimeout(() => {
      this.pending = undefined;
      void this.attempt(false);
    }, ms);
    this.pending = { kind, handle };
  }

  private clear(): void {
    if (this.pending) this.clock.clearTimeout(this.pending.handle);
    this.pending = undefined;
  }
}
