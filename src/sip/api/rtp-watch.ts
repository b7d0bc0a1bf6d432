import type { Clock, TimerHandle } from "../core/clock.js";
import { getLogger } from "../core/logger.js";
import type { Call } from "./call.js";
import { CallState } from "./call-state.js";
import type { CallStats } from "./platform.js";

const log = getLogger("rtp-watch");

/** What the watch needs of a call. */
export type WatchedCall = Pick<Call, "id" | "state" | "snapshot" | "peerConnection" | "giveUp">;

/** Seconds without a packet from the other side before the call is ended (desk phones do the same). */
export const DEFAULT_RTP_TIMEOUT_S = 60;
/** How often the inbound packet count is read. */
const CHECK_MS = 5000;

/**
 * The RTP timeout: a call whose other side has stopped sending (a crashed phone, a network
 * gone, a far end that vanished without BYE) is ended after `seconds`, with the reason shown.
 * Held calls are not watched either way: a phone that holds us may rightly send nothing
 * (`a=inactive`), and ours sends nothing while we hold. Session timers (session-timer.ts) find
 * the same on the signalling side, but only every half hour.
 */
export class RtpWatch {
  private handle: TimerHandle | undefined;
  private lastPackets = -1;
  private silentSinceMs: number | undefined;

  constructor(
    private readonly call: WatchedCall,
    private readonly seconds: number,
    private readonly clock: Clock,
    private readonly readStats: (pc: RTCPeerConnection) => Promise<CallStats>,
  ) {}

  start(): void {
    if (this.seconds <= 0 || this.handle) return;
    this.handle = this.clock.setTimeout(() => void this.check(), CHECK_MS);
  }

  stop(): void {
    this.clock.clearTimeout(this.handle);
    this.handle = undefined;
  }

  private async check(): Promise<void> {
    this.handle = undefined;
    const call = this.call;
    if (call.state !== CallState.Established) return;
    const s = call.snapshot;
    const pc = call.peerConnection;
    if (s.held || s.heldByRemote || !pc) {
      this.silentSinceMs = undefined;
      this.lastPackets = -1;
    } else {
      const packets = await this.readStats(pc).then(
        (stats) => stats.packetsReceived,
        () => undefined,
      );
      const now = this.clock.now();
      if (packets !== undefined && packets !== this.lastPackets) {
        this.lastPackets = packets;
        this.silentSinceMs = undefined;
      } else if (packets !== undefined) {
        this.silentSinceMs ??= now - CHECK_MS;
        if (now - this.silentSinceMs >= this.seconds * 1000) {
          log.warn(call.id, `no RTP for ${this.seconds} s: ending the call`);
          await call.giveUp({ kind: "rtp-timeout", seconds: this.seconds });
          return;
        }
      }
    }
    if (call.state === CallState.Established) this.handle = this.clock.setTimeout(() => void this.check(), CHECK_MS);
  }
}
