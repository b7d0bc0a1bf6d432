import type { PlainId } from "../i18n/catalogue.js";
import type { Words } from "../i18n/words.js";
import { gradeOf, type CallQuality } from "../sip/api/call-quality.js";
import type { CallStats } from "../sip/api/platform.js";
import type { CallQualitySummary } from "../storage/history-store.js";

/** The grade as a word (src/sip reports codes). */
const GRADE_WORDS: Record<CallQuality, PlainId> = { good: "quality.good", fair: "quality.fair", poor: "quality.poor" };

/**
 * Signal bars, fewer for a worse grade: the grade reads from the shape as well as the word and
 * the colour, so no one needs to tell green from red.
 */
export const GRADE_ICONS: Record<CallQuality, string> = { good: "▮▮▮", fair: "▮▮▯", poor: "▮▯▯" };

/** The indicator's text: "Quality: good". */
export function qualityLabel(w: Words, grade: CallQuality): string {
  return w.t("quality.label", { grade: w.t(GRADE_WORDS[grade]) });
}

/** What is announced (politely) when the grade changes during a call. */
export function qualityChanged(w: Words, grade: CallQuality): string {
  return w.t("quality.changed", { grade: w.t(GRADE_WORDS[grade]) });
}

const ms = (w: Words, v: number) => w.t("quality.ms", { value: w.fixed(v, v < 10 ? 1 : 0) });
const percent = (w: Words, v: number) => w.t("quality.percent", { value: w.number(v < 10 ? Number(v.toFixed(1)) : Math.round(v)) });
const mos = (w: Words, v: number) => w.fixed(v, 1);

/** The figures behind the grade, as label and value, for the call's details (undefined: not measured). */
export function qualityFigures(w: Words, s: CallStats): Array<[string, string]> {
  const rows: Array<[string, string | undefined]> = [
    [w.t("quality.mos"), s.mos === undefined ? undefined : w.fixed(s.mos, 2)],
    [w.t("quality.loss"), s.lossPercent === undefined ? undefined : percent(w, s.lossPercent)],
    [w.t("quality.jitter"), ms(w, s.jitterMs)],
    [w.t("quality.rtt"), s.rttMs === undefined ? undefined : ms(w, s.rttMs)],
    [w.t("quality.codec"), s.codec],
  ];
  return rows.map(([label, value]) => [label, value ?? w.t("quality.notMeasured")]);
}

/** A kept call's quality in a few words, graded on its average MOS: "Quality: good (MOS 4.3)". */
export function describeQualitySummary(w: Words, q: CallQualitySummary): string {
  return w.t("quality.summary", { quality: qualityLabel(w, gradeOf(q.mosAvg)), mos: mos(w, q.mosAvg) });
}

/** All of a kept call's figures in one line (the history row's title). */
export function qualitySummaryDetails(w: Words, q: CallQualitySummary): string {
  return [
    w.t("quality.worst", { summary: describeQualitySummary(w, q), mos: mos(w, q.mosWorst) }),
    w.t("quality.lossUpTo", { loss: percent(w, q.lossWorstPercent) }),
    w.t("quality.jitterAverage", { jitter: ms(w, q.jitterAvgMs) }),
    q.rttAvgMs === undefined ? undefined : w.t("quality.rttAverage", { rtt: ms(w, q.rttAvgMs) }),
    q.codec,
  ]
    .filter(Boolean)
    .join("; ");
}

/** Whether a stored entry's summary can be shown (entries come from storage: old or odd ones have none). */
export function hasQualitySummary(q: CallQualitySummary | undefined): q is CallQualitySummary {
  return !!q && [q.mosAvg, q.mosWorst, q.lossWorstPercent, q.jitterAvgMs].every((v) => Number.isFinite(v));
}
