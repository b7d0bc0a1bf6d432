import type { Clock, TimerHandle } from "../core/clock.js";
import type { LineFailure } from "./failures.js";
import type { Line } from "./line.js";
import { LineState, type LineSnapshot } from "./line-state.js";

/** Why a trial registration did not work: a line's failure, or no final answer in time. */
export type TrialFailure = LineFailure | { kind: "timeout"; seconds: number };

/** What one registration with an account, before it is saved, came to (the set-up form's Test). */
export type TrialOutcome = { ok: true; server: string } | { ok: false; failure: TrialFailure };

/** Long enough for a slow registrar and a second server; the form's user waits for it. */
export const TRIAL_TIMEOUT_MS = 15_000;

/**
 * Registers `line` once and unregisters at once: the first outcome decides. A line on its own
 * retries for ever (backoff, failover, auth once a minute); a trial stops at the first answer
 * that settles it: registered, refused (401/403/404/…), every server unreachable (a failure
 * with no `next` server), or nothing final within `timeoutMs` (a server that takes the
 * connection and never answers). The line is stopped in every case (un-REGISTER if it got
 * registered), before the outcome is returned except after a timeout.
 */
export async function tryRegistration(line: Line, clock: Clock, timeoutMs = TRIAL_TIMEOUT_MS): Promise<TrialOutcome> {
  let off: (() => void) | undefined;
  let timer: TimerHandle | undefined;
  const outcome = new Promise<TrialOutcome>((resolve) => {
    const settle = (s: LineSnapshot): TrialOutcome | undefined => {
      if (s.state === LineState.Registered) return { ok: true, server: s.server ?? "" };
      const e = s.error;
      if (!e || s.state !== LineState.Failed) return undefined;
      // The next server is tried at once: only a full round of failures settles a transport trial.
      if (e.kind === "transport") return e.next ? undefined : { ok: false, failure: { kind: "transport", servers: e.servers } };
      if (e.kind === "auth" || e.kind === "server")
        return { ok: false, failure: { kind: e.kind, code: e.code, reasonPhrase: e.reasonPhrase } };
      return { ok: false, failure: { kind: e.kind } };
    };
    off = line.on("change", (s) => {
      const result = settle(s);
      if (result) resolve(result);
    });
    timer = clock.setTimeout(() => resolve({ ok: false, failure: { kind: "timeout", seconds: Math.round(timeoutMs / 1000) } }), timeoutMs);
    line.start();
  });
  const result = await outcome;
  off?.();
  clock.clearTimeout(timer);
  // After a timeout a REGISTER is still in flight, and SIP.js's UserAgent.stop() waits for its
  // transaction to end (Timer F, 32 s): the user is told now, the line goes in the background.
  if (!result.ok && result.failure.kind === "timeout") void line.stop().catch(() => undefined);
  else await line.stop();
  return result;
}
