import type { CallStats } from "../../api/platform.js";
import { estimateQuality } from "../../api/call-quality.js";

export type { CallStats };

/** The receive counters a quality estimate is taken over, at one reading. */
interface Sample {
  /** The report's timestamp, ms. */
  at: number;
  received: number;
  lost: number;
  /** Seconds the emitted samples spent in the jitter buffer, summed (W3C webrtc-stats). */
  bufferDelay: number;
  emitted: number;
}

/**
 * A call's quality is judged over the recent past, not since the start: a call that had a bad
 * minute and recovered is good now, and one that just turned bad shows it within seconds. The
 * interval runs from the newest reading at least WINDOW_MS old (so a reading right after
 * another still covers several seconds) to now; while the call is younger, from its start.
 * Anyone may read (the RTP watch every 5 s, the call screen, a host page): the interval is by
 * time, not by reader. Readings closer than MIN_GAP_MS to the last kept one are not kept, so
 * at most about WINDOW_MS / MIN_GAP_MS samples are held per call.
 */
const WINDOW_MS = 5000;
const MIN_GAP_MS = 1000;
const history = new WeakMap<RTCPeerConnection, Sample[]>();

const ZERO: Sample = { at: 0, received: 0, lost: 0, bufferDelay: 0, emitted: 0 };

export async function readCallStats(pc: RTCPeerConnection): Promise<CallStats> {
  const report = await pc.getStats();
  const out: CallStats = {
    packetsReceived: 0,
    packetsSent: 0,
    packetsLost: 0,
    bytesReceived: 0,
    audioLevel: 0,
    totalAudioEnergy: 0,
    jitterMs: 0,
  };
  const codecs = new Map<string, string>();
  let codecId: string | undefined;
  let remoteRtt: number | undefined;
  const now: Sample = { ...ZERO };
  report.forEach((s: Record<string, unknown> & { type: string; id: string }) => {
    now.at = Math.max(now.at, Number(s.timestamp ?? 0));
    if (s.type === "codec") codecs.set(s.id, String(s.mimeType ?? ""));
    if (s.type === "inbound-rtp" && s.kind === "audio") {
      out.packetsReceived += Number(s.packetsReceived ?? 0);
      out.packetsLost += Number(s.packetsLost ?? 0);
      out.bytesReceived += Number(s.bytesReceived ?? 0);
      out.audioLevel = Math.max(out.audioLevel, Number(s.audioLevel ?? 0));
      out.totalAudioEnergy += Number(s.totalAudioEnergy ?? 0);
      out.jitterMs = Math.max(out.jitterMs, Number(s.jitter ?? 0) * 1000);
      now.bufferDelay += Number(s.jitterBufferDelay ?? 0);
      now.emitted += Number(s.jitterBufferEmittedCount ?? 0);
      codecId = s.codecId as string | undefined;
    }
    if (s.type === "outbound-rtp" && s.kind === "audio") out.packetsSent += Number(s.packetsSent ?? 0);
    if (s.type === "candidate-pair" && s.nominated && s.currentRoundTripTime !== undefined) {
      out.roundTripMs = Number(s.currentRoundTripTime) * 1000;
    }
    // From RTCP receiver reports of the other end: the whole media path, not just the first hop.
    if (s.type === "remote-inbound-rtp" && s.kind === "audio" && s.roundTripTime !== undefined) {
      remoteRtt = Number(s.roundTripTime) * 1000;
    }
  });
  if (codecId) out.codec = codecs.get(codecId)?.replace(/^audio\//, "");
  out.rttMs = remoteRtt ?? out.roundTripMs;
  now.received = out.packetsReceived;
  now.lost = out.packetsLost;
  now.at ||= Date.now();
  return judge(out, pc, now);
}

/** Adds the recent loss and the E-model estimate (see WINDOW_MS), and keeps the reading. */
function judge(out: CallStats, pc: RTCPeerConnection, now: Sample): CallStats {
  const kept = history.get(pc) ?? [];
  const before = recentBase(kept, now.at);
  // Counters that went back (a new stream after a re-INVITE) start a new interval.
  const since = before.received > now.received || before.emitted > now.emitted ? ZERO : before;
  const lost = Math.max(0, now.lost - since.lost);
  const expected = Math.max(0, now.received - since.received) + lost;
  if (expected > 0) {
    const emitted = now.emitted - since.emitted;
    const jitterBufferMs = emitted > 0 ? ((now.bufferDelay - since.bufferDelay) / emitted) * 1000 : undefined;
    out.lossPercent = (100 * lost) / expected;
    const q = estimateQuality({ rttMs: out.rttMs, jitterMs: out.jitterMs, jitterBufferMs, lossPercent: out.lossPercent, codec: out.codec });
    out.mos = Math.round(q.mos * 100) / 100;
    out.quality = q.quality;
  }
  const last = kept[kept.length - 1];
  if (!last || now.at - last.at >= MIN_GAP_MS) kept.push(now);
  // Only the base of the next interval and what came after it are needed.
  const base = kept.indexOf(recentBase(kept, now.at));
  if (base > 0) kept.splice(0, base);
  history.set(pc, kept);
  return out;
}

/** The reading the recent interval starts from: the newest at least WINDOW_MS old, else the start. */
function recentBase(kept: readonly Sample[], at: number): Sample {
  for (let i = kept.length - 1; i >= 0; i--) if (kept[i].at <= at - WINDOW_MS) return kept[i];
  return ZERO;
}
