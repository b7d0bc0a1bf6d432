import type { CallSnapshot } from "../sip/api/call-state.js";
import type { CallResult, HistoryEntry } from "../storage/history-store.js";

/** What an ended call becomes in the history. */
export function historyEntryFor(call: CallSnapshot, lineLabel: string): HistoryEntry {
  const endedAt = call.endedAt ?? Date.now();
  let result: CallResult;
  if (call.answeredAt) result = "answered";
  else if (call.direction === "in") result = call.reason === "declined" ? "declined" : "missed";
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
  };
}
