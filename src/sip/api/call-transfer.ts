import { UserAgent, type Notification, type Session } from "sip.js";
import type { IncomingResponse } from "sip.js/lib/core/index.js";
import type { Clock } from "../core/clock.js";
import { referWithRawReferTo } from "../core/sipjs-internals.js";
import { StateMachine } from "../core/state-machine.js";
import type { EndReason } from "./call-state.js";
import type { CallFailure } from "./failures.js";

/** How long a transfer may go without a final NOTIFY before it counts as failed. */
export const TRANSFER_NOTIFY_TIMEOUT_MS = 90_000;

/**
 * Progress of a transfer we started (REFER), from its NOTIFYs (RFC 3515 message/sipfrag):
 *
 * ```
 *        REFER sent        1xx ≥ 180          2xx
 * idle ─────────────▶ trying ───────▶ ringing ─────▶ answered
 *   ▲                   │                │
 *   │                   └── refused / ≥ 300 / no news ──▶ failed ──(transfer again)──▶ trying
 * ```
 */
export enum TransferState {
  Idle = "idle",
  Trying = "trying",
  Ringing = "ringing",
  Answered = "answered",
  Failed = "failed",
}

const MOVES: Readonly<Record<TransferState, readonly TransferState[]>> = {
  [TransferState.Idle]: [TransferState.Trying],
  [TransferState.Trying]: [TransferState.Ringing, TransferState.Answered, TransferState.Failed],
  [TransferState.Ringing]: [TransferState.Answered, TransferState.Failed],
  [TransferState.Answered]: [],
  [TransferState.Failed]: [TransferState.Trying],
};

/** Why a transfer failed, as data (the UI words it). */
export type TransferFailure =
  | { stage: "refer"; sipCode: number } // the REFER itself was refused
  | { stage: "notify"; sipCode: number } // the transferee's call failed
  | { stage: "timeout"; seconds: number } // no final NOTIFY
  | { stage: "error"; detail: string }; // not sent at all

/** How Call.transfer goes about it: a blind transfer, a consultation, a click-to-call leg. */
export interface TransferOptions {
  /** The dialog to replace at the target (attended transfer), "callid;to-tag=..;from-tag=..". */
  replaces?: string;
  /** Take the call back from hold when the transfer fails (default true). */
  resumeOnFailure?: boolean;
  /** Hold the call before the REFER (default true; click-to-call legs have no media to hold). */
  hold?: boolean;
  /** End our call when the transfer fails (click-to-call: no leg is left behind). */
  endOnFailure?: boolean;
  /** How a failure shows on the call (click-to-call words it its own way). */
  failureOf?: (failure: TransferFailure) => CallFailure;
}

/** What a transfer does to its call. */
export interface TransferringCall {
  held(): boolean;
  /** Holds the call or takes it back (Call.hold). */
  hold(on: boolean): Promise<void>;
  /** Our leg ends (BYE), for this reason. */
  end(reason: EndReason): void;
  /** The transfer failed: how it shows on the call. */
  failed(failure: CallFailure): void;
}

export interface TransferProgress {
  target: string;
  state: "trying" | "ringing" | "answered" | "failed";
  code?: number;
}

/**
 * One call's transfer: sends the REFER (blind, or with Replaces for an attended transfer) and
 * follows its NOTIFYs. The call decides what an outcome means for it (end, resume, stay held).
 */
export class CallTransfer {
  private readonly machine: StateMachine<TransferState>;
  private target = "";
  private code: number | undefined;
  private noNews: ReturnType<Clock["setTimeout"]> | undefined;

  constructor(
    id: string,
    private readonly session: Session,
    private readonly clock: Clock,
    private readonly onChange: () => void,
    private readonly call: TransferringCall,
  ) {
    this.machine = new StateMachine(`call ${id} transfer`, TransferState.Idle, MOVES, onChange);
  }

  get state(): TransferState {
    return this.machine.state;
  }

  /** For the call's snapshot; undefined before any transfer. */
  get progress(): TransferProgress | undefined {
    const state = this.machine.state;
    if (state === TransferState.Idle) return undefined;
    return { target: this.target, state, ...(this.code !== undefined ? { code: this.code } : {}) };
  }

  /** Transfers the call (see Call.transfer): holds it first, then what the outcome means for it. */
  async transfer(targetUri: string, display: string, options: TransferOptions): Promise<void> {
    const { replaces, resumeOnFailure = true, hold = true, endOnFailure = false, failureOf } = options;
    const call = this.call;
    if (hold && !call.held()) await call.hold(true).catch(() => undefined);
    await this.start(targetUri, display, replaces, (outcome) => {
      if (outcome.ok) return call.end("transferred");
      call.failed(failureOf?.(outcome.failure) ?? { kind: "transfer", target: display, failure: outcome.failure });
      // No leg is left behind: ours ends too, with the reason on it.
      if (endOnFailure) call.end("failed");
      else if (resumeOnFailure) void call.hold(false).catch(() => undefined);
    });
  }

  /**
   * REFERs the other party to `targetUri`; with `replaces` ("callid;to-tag=..;from-tag=..") the
   * Refer-To names the dialog the target must swap for the transferred party (RFC 5589), and it
   * carries the target's address of record, not its Contact (see sipjs-internals.ts).
   * Resolves once the REFER is accepted or refused; the outcome comes to `onOutcome`.
   */
  start(
    targetUri: string,
    display: string,
    replaces: string | undefined,
    onOutcome: (outcome: { ok: true } | { ok: false; failure: TransferFailure }) => void,
  ): Promise<void> {
    const uri = UserAgent.makeURI(targetUri);
    if (!uri) return Promise.reject(new Error(`"${display}" is not a valid transfer target`));
    this.target = display;
    this.code = undefined;
    this.machine.transition(TransferState.Trying);
    let final = false;
    const fail = (failure: TransferFailure) => {
      if (final) return;
      final = true;
      this.stopTimer();
      this.code = "sipCode" in failure ? failure.sipCode : undefined;
      this.machine.transition(TransferState.Failed);
      onOutcome({ ok: false, failure });
    };
    const onNotify = (notification: Notification) => {
      notification.accept().catch(() => undefined);
      if (final) return;
      const frag = /SIP\/2\.0\s+(\d{3})/.exec(notification.request.body ?? "");
      const code = frag ? Number(frag[1]) : 0;
      if (code >= 100 && code < 200) {
        this.code = code;
        const next = code >= 180 ? TransferState.Ringing : TransferState.Trying;
        if (next !== this.machine.state && this.machine.can(next)) this.machine.transition(next);
        else this.onChange();
      } else if (code >= 200 && code < 300) {
        final = true;
        this.stopTimer();
        this.code = code;
        this.machine.transition(TransferState.Answered);
        onOutcome({ ok: true });
      } else if (code >= 300) fail({ stage: "notify", sipCode: code });
    };
    return new Promise<void>((resolve) => {
      const delegate = {
        onAccept: () => {
          // A peer that never sends a final NOTIFY must not leave the call in "trying" for ever.
          this.noNews = this.clock.setTimeout(
            () => fail({ stage: "timeout", seconds: TRANSFER_NOTIFY_TIMEOUT_MS / 1000 }),
            TRANSFER_NOTIFY_TIMEOUT_MS,
          );
          resolve();
        },
        onReject: (response: IncomingResponse) => {
          fail({ stage: "refer", sipCode: response.message.statusCode ?? 0 });
          resolve();
        },
      };
      const sent = replaces
        ? referWithRawReferTo(this.session, `<${uri.toString()}?Replaces=${encodeURIComponent(replaces)}>`, onNotify, delegate)
        : this.session.refer(uri, { requestDelegate: delegate, onNotify });
      sent.catch((e: Error) => {
        fail({ stage: "error", detail: e.message });
        resolve();
      });
    });
  }

  /** The call ended: no more timers. */
  dispose(): void {
    this.stopTimer();
  }

  private stopTimer(): void {
    this.clock.clearTimeout(this.noNews);
    this.noNews = undefined;
  }
}
