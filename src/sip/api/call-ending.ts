import { StateMachine } from "../core/state-machine.js";
import type { EndReason } from "./call-state.js";

/**
 * How a call comes to its end. SIP.js reports Terminated before it hands us the final response
 * (or before a failing invite()/answer() settles), so the reason is known only once both have
 * happened:
 *
 * ```
 *          intend(reason)                 SIP.js Terminated
 * open ───────────────────▶ ending ──────────────────────────▶ settling ──(nothing pending)──▶ done
 *   │                                                              ▲
 *   └────────────────────── SIP.js Terminated ─────────────────────┘
 * ```
 * `ending` holds why we expect the end (we hung up, declined, gave up, transferred; the peer
 * sent BYE or CANCEL). The first reason given wins, unless a later one is `definite` (an
 * explicit user action or a failure we detected). `settling` waits for the invite()/answer()
 * still running; `done` fires once.
 */
export enum EndingState {
  Open = "open",
  Ending = "ending",
  Settling = "settling",
  Done = "done",
}

const MOVES: Readonly<Record<EndingState, readonly EndingState[]>> = {
  [EndingState.Open]: [EndingState.Ending, EndingState.Settling],
  [EndingState.Ending]: [EndingState.Settling],
  [EndingState.Settling]: [EndingState.Done],
  [EndingState.Done]: [],
};

export class CallEnding {
  private readonly machine: StateMachine<EndingState>;
  private intent: EndReason | undefined;
  /** invite()/answer() still running: their outcome decides why the call ended. */
  private pending = 0;
  /** We sent the CANCEL ourselves: the 487 that follows is ours, not a failure. */
  cancelledByUs = false;

  constructor(
    id: string,
    private readonly onDone: (intent: EndReason | undefined) => void,
  ) {
    this.machine = new StateMachine(`call ${id} ending`, EndingState.Open, MOVES, (to) => {
      if (to === EndingState.Done) this.onDone(this.intent);
    });
  }

  get state(): EndingState {
    return this.machine.state;
  }

  get reason(): EndReason | undefined {
    return this.intent;
  }

  /** Why the call will end. The first reason wins unless `definite`. */
  intend(reason: EndReason, definite = false): void {
    if (this.machine.state === EndingState.Done) return;
    if (definite || this.intent === undefined) this.intent = reason;
    if (this.machine.state === EndingState.Open) this.machine.transition(EndingState.Ending);
  }

  /** Runs an invite()/answer(): the end waits for it. */
  async during(operation: () => Promise<void>): Promise<void> {
    this.pending++;
    try {
      await operation();
    } finally {
      this.pending--;
      this.settle();
    }
  }

  /** SIP.js terminated the session. */
  terminated(): void {
    if (this.machine.can(EndingState.Settling)) this.machine.transition(EndingState.Settling);
    // SIP.js calls the request delegate with the final response right after this.
    queueMicrotask(() => this.settle());
  }

  private settle(): void {
    if (this.machine.state === EndingState.Settling && this.pending === 0) this.machine.transition(EndingState.Done);
  }
}
