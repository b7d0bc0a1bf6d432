import { CallState, type CallSnapshot } from "../sip/api/call-state.js";
import { systemClock, type Clock, type TimerHandle } from "../sip/core/clock.js";
import type { CallStats } from "../sip/api/platform.js";
import type { CallQualitySummary } from "../storage/history-store.js";

/**
 * How often a connected call is read for its history entry. callStats judges the 5-10 s before
 * each reading (docs/media.md), so readings 5 s apart cover the call without gaps and nearly
 * without overlap; the RTP watch reads as often, so the browser's getStats work only doubles.
 */
export const SAMPLE_MS = 5000;

const round = (v: number, places: number) => Math.round(v * 10 ** places) / 10 ** places;

/**
 * One call's readings, summed as they come: sums, counts and extremes, never the readings, so
 * memory stays the same however long the call lasts. A reading without a MOS (nothing was
 * expected: held by the other side, no media yet) says nothing about how the call sounded and
 * is left out.
 */
export class QualityTally {
  private samples = 0;
  private mosSum = 0;
  private mosWorst = Infinity;
  private lossWorst = 0;
  private jitterSum = 0;
  private rttSum = 0;
  private rttSamples = 0;
  private codec: string | undefined;

  add(s: CallStats): void {
    if (s.mos === undefined || !Number.isFinite(s.mos)) return;
    this.samples++;
    this.mosSum += s.mos;
    this.mosWorst = Math.min(this.mosWorst, s.mos);
    this.lossWorst = Math.max(this.lossWorst, finite(s.lossPercent));
    this.jitterSum += finite(s.jitterMs);
    if (s.rttMs !== undefined && Number.isFinite(s.rttMs)) {
      this.rttSum += s.rttMs;
      this.rttSamples++;
    }
    // A re-INVITE may change the codec: the history says what was heard last.
    if (s.codec) this.codec = s.codec;
  }

  /** The figures so far; undefined before the first reading with a MOS. */
  summary(): CallQualitySummary | undefined {
    const n = this.samples;
    if (!n) return undefined;
    return {
      mosAvg: round(this.mosSum / n, 2),
      mosWorst: round(this.mosWorst, 2),
      lossWorstPercent: round(this.lossWorst, 2),
      jitterAvgMs: round(this.jitterSum / n, 1),
      ...(this.rttSamples ? { rttAvgMs: round(this.rttSum / this.rttSamples, 1) } : {}),
      ...(this.codec ? { codec: this.codec } : {}),
      samples: n,
    };
  }
}

function finite(v: number | undefined): number {
  return v !== undefined && Number.isFinite(v) && v > 0 ? v : 0;
}

/** One call being sampled: its tally, and whether (and in which turn) its timer runs. */
interface Sampled {
  tally: QualityTally;
  timer?: TimerHandle;
  /** Bumped at every start and stop: a reading that comes back from an earlier turn is dropped. */
  turn: number;
  running: boolean;
}

/** What the call recorder uses of the watch (call-recorder.ts). */
export interface QualitySampler {
  update(call: CallSnapshot): void;
  take(callId: string): CallQualitySummary | undefined;
}

/**
 * Samples each call's quality every SAMPLE_MS while it is connected and heard (established, held
 * by neither side, not a click-to-call leg, whose audio is the desk phone's), for its history
 * entry. One timer per call at most, stopped on hold and at the end; readings never overlap
 * (the next is timed from the end of the last). The tally survives a hold, so a call held
 * in the middle is summed over both of its connected parts.
 */
export class CallQualityWatch implements QualitySampler {
  private readonly calls = new Map<string, Sampled>();

  constructor(
    private readonly read: (callId: string) => Promise<CallStats | undefined>,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Follows a call's change: starts sampling when it is connected and heard, stops it otherwise. */
  update(call: CallSnapshot): void {
    const heard = call.state === CallState.Established && !call.held && !call.heldByRemote && !call.clickToCall;
    let c = this.calls.get(call.id);
    if (!heard) {
      if (c) this.stop(c);
      return;
    }
    if (!c) this.calls.set(call.id, (c = { tally: new QualityTally(), turn: 0, running: false }));
    if (c.running) return;
    c.running = true;
    c.turn++;
    this.schedule(call.id, c, c.turn);
  }

  /** The call's summary (undefined: never heard long enough), and the call forgotten. */
  take(callId: string): CallQualitySummary | undefined {
    const c = this.calls.get(callId);
    if (!c) return undefined;
    this.stop(c);
    this.calls.delete(callId);
    return c.tally.summary();
  }

  /** Calls being followed (for tests: nothing is left behind). */
  get size(): number {
    return this.calls.size;
  }

  private stop(c: Sampled): void {
    this.clock.clearTimeout(c.timer);
    c.timer = undefined;
    c.running = false;
    c.turn++;
  }

  private schedule(id: string, c: Sampled, turn: number): void {
    c.timer = this.clock.setTimeout(() => void this.sample(id, c, turn), SAMPLE_MS);
  }

  private async sample(id: string, c: Sampled, turn: number): Promise<void> {
    c.timer = undefined;
    const stats = await this.read(id).catch(() => undefined);
    // Held, ended or restarted while the reading was under way: it belongs to no turn now.
    if (c.turn !== turn || this.calls.get(id) !== c) return;
    if (stats) c.tally.add(stats);
    this.schedule(id, c, turn);
  }
}
