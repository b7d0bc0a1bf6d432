import type { Invitation, Session } from "sip.js";
import type { DtmfMethod } from "../../config/phone-config.js";
import type { Clock } from "../core/clock.js";
import { getLogger } from "../core/logger.js";
import { Call } from "./call.js";
import { CallState, type CallDirection, type CallSnapshot } from "./call-state.js";
import type { CallTones } from "./call-tones.js";
import type { Conference } from "./conference.js";
import type { Line } from "./line.js";
import type { OutgoingCalls } from "./outgoing-calls.js";
import { PhoneError } from "./phone-errors.js";
import type { PhonePlatform } from "./platform.js";
import type { Referrals } from "./referrals.js";
import { DEFAULT_RTP_TIMEOUT_S, RtpWatch } from "./rtp-watch.js";

// The Phone's own logger: these notes were the phone's before this file held them.
const log = getLogger("phone");

export interface CallRegistryDeps {
  platform: PhonePlatform;
  clock: Clock;
  tones: CallTones;
  referrals: Pick<Referrals, "follow" | "callEnded">;
  outgoing: Pick<OutgoingCalls, "callEnded">;
  /** The conference, once one was asked for (it loads on first use). */
  conference(): Pick<Conference, "group" | "memberEnded"> | undefined;
  /** A call's line, for its RTP timeout. */
  line(id: string): Line | undefined;
  /** Every change of every call: the phone's `call-state` event. */
  announce(snapshot: CallSnapshot): void;
}

/**
 * The calls the phone holds, in the order the UI lists them, and what each is wired to while it
 * lasts: its RTP watch, the platform's watch on its connection (ICE restart), the tones, the
 * referrals that follow its incoming REFERs. A call leaves the list when it ends.
 */
export class CallRegistry {
  private calls = new Map<string, Call>();
  /** Calls reported ended before they were (endAllNow). */
  private readonly reportedEnded = new Set<string>();

  constructor(private readonly deps: CallRegistryDeps) {}

  get snapshots(): CallSnapshot[] {
    return [...this.calls.values()].map((c) => c.snapshot);
  }

  get(id: string): Call | undefined {
    return this.calls.get(id);
  }

  live(): Call[] {
    return [...this.calls.values()];
  }

  /** A call by id, or the newest that matches; throws PhoneError "no-call". */
  find(callId: string | undefined, match: (c: Call) => boolean = () => true): Call {
    if (callId) {
      const call = this.calls.get(callId);
      if (!call) throw new PhoneError(`No call "${callId}"`, "no-call", { callId });
      return call;
    }
    const call = [...this.calls.values()].reverse().find(match);
    if (!call) throw new PhoneError("There is no call to act on", "no-call");
    return call;
  }

  /** A new Call on `line`, wired to the platform (media, clock, DTMF method). */
  create(
    session: Session,
    line: Line,
    direction: CallDirection,
    remote: { user: string; name?: string; uri: string },
    dtmf?: DtmfMethod,
  ): Call {
    return new Call(session, line.id, direction, remote, {
      playRemote: (stream) => this.deps.platform.playRemote(stream),
      dtmf: dtmf ?? line.account.dtmf ?? "rfc4733",
      clock: this.deps.clock,
    });
  }

  /** Holds every established call except `keep` (answering or dialing while in a call). */
  async holdOthers(keep: ReadonlySet<string> = new Set()): Promise<void> {
    const active = [...this.calls.values()].filter((c) => !keep.has(c.id) && c.state === CallState.Established && !c.snapshot.held);
    await Promise.all(active.map((c) => c.hold(true).catch((e: Error) => log.warn("hold failed", e.message))));
  }

  /** The calls that act as one with `call`: its conference, or itself. */
  groupOf(call: Call): Call[] {
    return this.deps.conference()?.group(call) ?? [call];
  }

  track(call: Call, { replaces }: { replaces?: Call } = {}): Call {
    const { platform, clock, tones } = this.deps;
    if (replaces) {
      call.replaces = replaces.id;
      // The new call takes the replaced one's place in the list (the UI keeps its order).
      const entries = [...this.calls];
      entries.splice(entries.findIndex(([id]) => id === replaces.id) + 1, 0, [call.id, call]);
      this.calls = new Map(entries);
    } else {
      this.calls.set(call.id, call);
    }
    call.onReferred = (referral) => this.deps.referrals.follow(call, referral);
    const line = this.deps.line(call.lineId);
    const rtp = new RtpWatch(call, line?.account.rtpTimeout ?? DEFAULT_RTP_TIMEOUT_S, clock, (pc) => platform.readStats(pc));
    // A lost media path is renewed by a re-INVITE with ICE restart; the platform decides when.
    // The side that placed the call goes first (ice-watch.ts): both restarting at once collide.
    let unwatchIce: (() => void) | undefined;
    const restartIce = (stillNeeded: () => boolean) => call.refresh({ iceRestart: true, attempts: 2, stillNeeded });
    call.on("change", (s) => {
      if (s.state === CallState.Established) rtp.start();
      const pc = s.state === CallState.Established ? call.peerConnection : undefined;
      if (pc) unwatchIce ??= platform.watchConnection?.(pc, restartIce, { first: call.direction === "out" });
      if (s.state === CallState.Ended) rtp.stop();
      if (s.state === CallState.Ended) unwatchIce?.();
      tones.update(this.live());
      // Reported ended already (endAllNow): its real end, or a change on the way there, is not news.
      if (!this.reportedEnded.has(call.id)) this.deps.announce(s);
      if (s.state === CallState.Ended) {
        this.reportedEnded.delete(call.id);
        this.ended(call);
      }
    });
    tones.update(this.live());
    this.deps.announce(call.snapshot);
    return call;
  }

  /** A line is back after a reconnection: its connected calls refresh their dialogs (Call.refresh). */
  lineReconnected(lineId: string, iceRestart: boolean): void {
    for (const call of this.calls.values()) {
      if (call.lineId === lineId && call.state === CallState.Established) void call.refresh({ iceRestart });
    }
  }

  /** Each call's ending leaves now, and it is reported ended at once: see Phone.pageUnloading. */
  endAllNow(): void {
    const now = this.deps.clock.now();
    for (const call of [...this.calls.values()]) {
      const { state, answeredAt, direction } = call.snapshot;
      if (state === CallState.Ended) continue;
      const ending: Pick<CallSnapshot, "reason" | "sipCode"> = answeredAt
        ? { reason: "hangup" }
        : direction === "in"
          ? { reason: "missed", sipCode: 480 }
          : { reason: "cancelled" };
      try {
        const sent = state === CallState.Incoming ? (call.session as Invitation).reject({ statusCode: 480 }) : call.hangup();
        sent.catch((e: Error) => log.info(call.id, "not ended on unload:", e.message));
      } catch (e) {
        log.info(call.id, "not ended on unload:", (e as Error).message);
      }
      // A page that does go on (kept in the back/forward cache, or the unload was a test) hears the
      // real end later: one ended event per call, or the history wrote the call twice and an
      // embedding page saw it end twice.
      this.reportedEnded.add(call.id);
      this.deps.announce({ ...call.snapshot, ...ending, state: CallState.Ended, endedAt: now });
    }
  }

  /** Hangs up every call; failures are ignored (the phone is being disposed of). */
  async hangupAll(): Promise<void> {
    await Promise.all([...this.calls.values()].map((c) => c.hangup().catch(() => undefined)));
  }

  private ended(call: Call): void {
    this.calls.delete(call.id);
    this.deps.referrals.callEnded(call.id);
    void this.deps.conference()?.memberEnded(call.id);
    this.deps.tones.update(this.live());
    this.deps.outgoing.callEnded(call);
  }
}
