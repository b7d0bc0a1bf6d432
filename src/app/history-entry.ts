import type { CallSnapshot } from "../sip/api/call-state.js";
import type { CallQualitySummary, CallResult, HistoryEntry } from "../storage/history-store.js";

/** What an ended call becomes in the history, with how it sounded when it was sampled (call-quality-watch.ts). */
export function historyEntryFor(call: CallSnapshot, lineLabel: string, quality?: CallQualitySummary): HistoryEntry {
  const endedAt = call.endedAt ?? Date.now();
  let result: CallResult;
  if (call.answeredAt) result = "answered";
  else if (call.direction === "in") result = incomingResult(call.reason);
  else result = call.reason === "cancelled" ? "cancelled" : "failed";
  return {
    id: call.id,
    lineId: call.lineId,
    lineLabel,
    direction: call.direction,
    remote: call.remote,
    ...(call.remoteName ? { remoteName: call.remoteName } : {}),
    startedAt: call.startedAt,
    ...(call.answeredAt ? { answeredAt: call.answeredAt } : {}),
    endedAt,
    durationMs: call.answeredAt ? endedAt - call.answeredAt : 0,
    result,
    ...(call.sipCode ? { sipCode: call.sipCode } : {}),
    ...(quality ? { quality } : {}),
  };
}

/**
 * What a call still up becomes in the history, written when it starts and when it is answered
 * (so a tab that dies mid-call still leaves it there): as if it ended now, marked open. Not
 * answered yet, it reads as missed (in) or not answered (out): what it is if nothing more comes.
 */
export function openHistoryEntry(call: CallSnapshot, lineLabel: string, now = Date.now()): HistoryEntry {
  const reason = call.answeredAt ? call.reason : call.direction === "in" ? "missed" : "cancelled";
  return { ...historyEntryFor({ ...call, endedAt: now, ...(reason ? { reason } : {}) }, lineLabel), open: true };
}

/** An incoming call that was not answered here: declined, taken by another device, or missed. */
function incomingResult(reason: CallSnapshot["reason"]): CallResult {
  switch (reason) {
    case "declined":
    case "answered-elsewhere":
    case "declined-elsewhere":
      return reason;
    default:
      return "missed";
  }
}
