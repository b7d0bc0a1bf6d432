import { gradeOf, type CallQuality } from "../sip/api/call-quality.js";
import type { CallStats } from "../sip/api/platform.js";
import type { CallQualitySummary } from "../storage/history-store.js";

/** The grade as a word (src/sip reports codes). */
const GRADE_WORDS: Record<CallQuality, string> = { good: "good", fair: "fair", poor: "poor" };

/**
 * Signal bars, fewer for a worse grade: the grade reads from the shape as well as the word and
 * the colour, so no one needs to tell green from red.
 */
export const GRADE_ICONS: Record<CallQuality, string> = { good: "▮▮▮", fair: "▮▮▯", poor: "▮▯▯" };

/** The indicator's text: "Quality: good". */
export function qualityLabel(grade: CallQuality): string {
  return `Quality: ${GRADE_WORDS[grade]}`;
}

/** What is announced (politely) when the grade changes during a call. */
export function qualityChanged(grade: CallQuality): string {
  return `Call quality is ${GRADE_WORDS[grade]} now`;
}

const ms = (v: number) => `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
const percent = (v: number) => `${v < 10 ? Number(v.toFixed(1)) : Math.round(v)} %`;
const mos = (v: number) => v.toFixed(1);

/** The figures behind the grade, as label and value, for the call's details (undefined: not measured). */
export function qualityFigures(s: CallStats): Array<[string, string]> {
  const rows: Array<[string, string | undefined]> = [
    ["MOS", s.mos === undefined ? undefined : s.mos.toFixed(2)],
    ["Packet loss", s.lossPercent === undefined ? undefined : percent(s.lossPercent)],
    ["Jitter", ms(s.jitterMs)],
    ["Round trip", s.rttMs === undefined ? undefined : ms(s.rttMs)],
    ["Codec", s.codec],
  ];
  return rows.map(([label, value]) => [label, value ?? "not measured"]);
}

/** A kept call's quality in a few words, graded on its average MOS: "Quality: good (MOS 4.3)". */
export function describeQualitySummary(q: CallQualitySummary): string {
  return `${qualityLabel(gradeOf(q.mosAvg))} (MOS ${mos(q.mosAvg)})`;
}

/** All of a kept call's figures in one line (the history row's title). */
export function qualitySummaryDetails(q: CallQualitySummary): string {
  return [
    `${describeQualitySummary(q)}, worst MOS ${mos(q.mosWorst)}`,
    `packet loss up to ${percent(q.lossWorstPercent)}`,
    `jitter ${ms(q.jitterAvgMs)} on average`,
    q.rttAvgMs === undefined ? undefined : `round trip ${ms(q.rttAvgMs)} on average`,
    q.codec,
  ]
    .filter(Boolean)
    .join("; ");
}

/** Whether a stored entry's summary can be shown (entries come from storage: old or odd ones have none). */
export function hasQualitySummary(q: CallQualitySummary | undefined): q is CallQualitySummary {
  return !!q && [q.mosAvg, q.mosWorst, q.lossWorstPercent, q.jitterAvgMs].every((v) => Number.isFinite(v));
}
