/**
 * How a call sounds, estimated from network figures with the E-model (ITU-T G.107), simplified
 * as is usual for VoIP monitoring (Cole & Rosenbluth, "Voice over IP performance monitoring",
 * ACM SIGCOMM CCR 31(2), 2001): every default of G.107 kept, so that
 *
 *   R = 93.2 − Id − Ie,eff
 *   Id = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3)    d: one-way mouth-to-ear delay in ms, H: step
 *   Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl + Bpl)     Ppl: random packet loss in %  (G.107 7.2)
 *   MOS = 1 + 0.035·R + R·(R − 60)·(100 − R)·7·10⁻⁶  for 0 < R < 100 (G.107 Annex B)
 *
 * d is RTT/2 (the network one way) + the jitter buffer's delay + the codec's frame and look-ahead.
 * The grade follows G.109's user-satisfaction bands: MOS ≥ 4.0 (R ≥ 80: users satisfied) is
 * good, ≥ 3.1 (R ≥ 60: some or many users dissatisfied) fair, below that (nearly all) poor. docs/media.md
 * explains the figures and their sources. Pure: no browser, no SIP.
 */

/** The grade shown for a call (a code; components word it). */
export type CallQuality = "good" | "fair" | "poor";

/** What the estimate is made from: one direction of a call, the one we listen to. */
export interface QualityFigures {
  /** Round-trip time of the media path, ms; undefined: not measured yet (taken as 0). */
  rttMs?: number;
  /** Interarrival jitter (RFC 3550), ms. */
  jitterMs: number;
  /** Mean wait of the audio in the jitter buffer, ms, where the browser reports it (else 2 × jitter). */
  jitterBufferMs?: number;
  /** Packets lost, percent of those expected, over the interval judged. */
  lossPercent: number;
  /** The codec as SDP names it (`PCMU`, `opus`); unknown or absent: taken as G.711. */
  codec?: string;
}

export interface QualityEstimate {
  /** The transmission rating factor, 0..93.2. */
  r: number;
  /** Mean opinion score, 1..4.5 (conversational, narrowband scale). */
  mos: number;
  quality: CallQuality;
}

/** A codec's planning values: Ie and Bpl (G.113 Appendix I), and its own delay in ms. */
interface CodecFactors {
  readonly ie: number;
  readonly bpl: number;
  readonly delayMs: number;
}

/**
 * G.711 with packet-loss concealment (Chrome's NetEq conceals every codec): Ie 0, Bpl 25.1,
 * G.113 Appendix I for random loss; 20 ms frames. G.722 and Opus are not in Appendix I's
 * narrowband table; on this scale neither can score above G.711, so Ie is 0 for both. G.722
 * is concealed as G.711 is (same Bpl). Opus's Bpl of 40 is our own planning value, not ITU-T's:
 * its in-band FEC (`useinbandfec=1`) and its concealment hide isolated losses better, so 5 %
 * random loss keeps an Opus call good where G.711 drops to fair. Opus adds 6.5 ms of look-ahead
 * (RFC 6716) to its 20 ms frame.
 */
const G711: CodecFactors = { ie: 0, bpl: 25.1, delayMs: 20 };
const CODECS: Readonly<Record<string, CodecFactors>> = {
  pcmu: G711,
  pcma: G711,
  g722: { ie: 0, bpl: 25.1, delayMs: 20 },
  opus: { ie: 0, bpl: 40, delayMs: 26.5 },
};

/** R with every G.107 default (no echo, no quantizing noise, A = 0). */
const R_DEFAULT = 93.2;

/** A figure a reading may lack or get wrong (NaN, negative) counts as 0. */
function figure(v: number | undefined): number {
  return v !== undefined && Number.isFinite(v) && v > 0 ? v : 0;
}

/** The delay impairment Id for a one-way delay of `d` ms (Cole & Rosenbluth's fit of G.107). */
export function delayImpairment(d: number): number {
  return 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
}

/** The effective equipment impairment Ie,eff for `lossPercent` random loss (G.107 7.2, BurstR 1). */
export function lossImpairment(lossPercent: number, codec?: string): number {
  const { ie, bpl } = factorsOf(codec);
  const ppl = Math.min(100, figure(lossPercent));
  return ie + ((95 - ie) * ppl) / (ppl + bpl);
}

/** MOS from R (G.107 Annex B). */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

export function gradeOf(mos: number): CallQuality {
  return mos >= 4.0 ? "good" : mos >= 3.1 ? "fair" : "poor";
}

export function estimateQuality(f: QualityFigures): QualityEstimate {
  const codec = factorsOf(f.codec);
  const buffer = f.jitterBufferMs !== undefined && Number.isFinite(f.jitterBufferMs) ? figure(f.jitterBufferMs) : 2 * figure(f.jitterMs);
  const oneWay = figure(f.rttMs) / 2 + buffer + codec.delayMs;
  const r = Math.max(0, R_DEFAULT - delayImpairment(oneWay) - lossImpairment(f.lossPercent, f.codec));
  const mos = mosFromR(r);
  return { r, mos, quality: gradeOf(mos) };
}

function factorsOf(codec: string | undefined): CodecFactors {
  return CODECS[(codec ?? "").toLowerCase()] ?? G711;
}
