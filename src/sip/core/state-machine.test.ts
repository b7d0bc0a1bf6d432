import { describe, expect, it } from "vitest";
import { CALL_MOVES, CallState } from "../api/call-state.js";
import { LINE_MOVES, LinePhase, LineState, publicState } from "../api/line-state.js";
import { StateMachine } from "./state-machine.js";

describe("StateMachine", () => {
  it("reports each legal move and refuses illegal ones", () => {
    const seen: string[] = [];
    const m = new StateMachine("call", CallState.Dialing, CALL_MOVES, (to, from) => seen.push(`${from}>${to}`));
    m.transition(CallState.Ringing);
    m.transition(CallState.Established);
    expect(() => m.transition(CallState.Incoming)).toThrow(/illegal transition established -> incoming/);
    m.transition(CallState.Terminating);
    m.transition(CallState.Ended);
    expect(seen).toEqual(["dialing>ringing", "ringing>established", "established>terminating", "terminating>ended"]);
    expect(m.can(CallState.Dialing)).toBe(false);
  });

  it("has no way out of ended, and every line state can be disabled", () => {
    expect(CALL_MOVES[CallState.Ended]).toEqual([]);
    for (const s of Object.values(LinePhase)) {
      if (s === LinePhase.Disabled) continue;
      const reachesDisabled = LINE_MOVES[s].includes(LinePhase.Disabled) || LINE_MOVES[s].includes(LinePhase.Unregistering);
      expect(reachesDisabled, s).toBe(true);
    }
  });

  it("a line's phases show as the public states: waiting to retry and auth failure are both failed", () => {
    expect(Object.values(LinePhase).map(publicState)).toEqual([
      "disabled",
      "connecting",
      "registering",
      "registered",
      "connected",
      "failed",
      "failed",
      "unregistering",
    ]);
  });

  it("state names are the strings host pages rely on", () => {
    expect(Object.values(LineState)).toEqual([
      "disabled",
      "connecting",
      "registering",
      "registered",
      "unregistering",
      "failed",
      "connected",
    ]);
    expect(Object.values(CallState)).toEqual(["dialing", "ringing", "incoming", "established", "terminating", "ended"]);
  });
});
