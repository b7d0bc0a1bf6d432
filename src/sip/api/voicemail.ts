import type { Notification } from "sip.js";
import {
  C,
  type IncomingRequestMessage,
  type IncomingResponse,
  type OutgoingSubscribeRequest,
  type Subscription,
} from "sip.js/lib/core/index.js";
import { AllowedMethods } from "sip.js/lib/core/user-agent-core/allowed-methods.js";
import { Timers, type Clock, type TimerHandle } from "../core/clock.js";
import { getLogger } from "../core/logger.js";
import type { Line } from "./line.js";
import { LinePhase } from "./line-state.js";
import { parseMessageSummary, type VoicemailState } from "./message-summary.js";

export type { VoicemailState };

const log = getLogger("voicemail");

export const MWI_EVENT = "message-summary";
const SUMMARY_TYPE = "application/simple-message-summary";
/** What we ask for; the server may grant less (SIP.js refreshes at 90 % of what it grants). */
const SUBSCRIBE_EXPIRES_S = 3600;
/**
 * SUBSCRIBEs per registration at most: a server that ends the subscription again and again
 * (RFC 6665 4.1.3 "deactivated", "timeout") is followed a few times, never in a loop.
 */
const MAX_ATTEMPTS = 5;
/** A server that says "try again later" (probation/giveup) without saying when. */
const DEFAULT_RETRY_S = 60;
/**
 * Held SUBSCRIBEs sent in one task when they are released; the rest follow in the next tasks,
 * so that a thousand lines' do not hold the page (and its clicks) for a third of a second.
 */
const RELEASE_CHUNK = 50;
/** 489 Bad Event, 405, 404, 501: the server does not do MWI subscriptions. */
const UNSUPPORTED = new Set([404, 405, 489, 501]);

interface Watch {
  line: Line;
  dialog?: Subscription;
  request?: OutgoingSubscribeRequest;
  attempts: number;
  /** No more SUBSCRIBEs until the line registers again. */
  stopped: boolean;
  timer?: TimerHandle;
}

/**
 * Message waiting (RFC 3842) for every line: the counts a `message-summary` NOTIFY carries,
 * whether it comes in the subscription the line makes once registered, or unsolicited, out of
 * any dialog (what Asterisk sends by default, to the registered contact). A malformed body is
 * logged and changes nothing: the last good state stays. `changed` fires when a line's state
 * differs from what it was.
 * https://www.rfc-editor.org/rfc/rfc3842 , https://www.rfc-editor.org/rfc/rfc6665
 */
export class Voicemail {
  private readonly states = new Map<string, VoicemailState>();
  private readonly watches = new Map<string, Watch>();
  private readonly timers: Timers;
  /**
   * Lines with a REGISTER to make or in flight (connecting, registering). While there is one,
   * the SUBSCRIBE of a line that registered waits in `held`: a phone starting with many lines
   * registers them all first, then asks for their mailboxes. 1000 lines sent 1000 SUBSCRIBEs
   * and got their challenges among the 2000 REGISTERs, a third of the messages the page and the
   * proxy handled before the last line was registered (npm run bench, "1000 lines").
   */
  private readonly registering = new Set<string>();
  private readonly held = new Set<Watch>();
  private releasing: TimerHandle | undefined;

  constructor(
    clock: Clock,
    private readonly changed: (lineId: string) => void,
  ) {
    this.timers = new Timers(clock);
  }

  /** The line snapshot's part: the counts once the server told us, and the number to call. */
  snapshotOf(line: Line): { voicemail?: VoicemailState; voicemailNumber?: string } {
    const state = this.states.get(line.id);
    const number = line.account.voicemailNumber;
    return { ...(state ? { voicemail: { ...state } } : {}), ...(number ? { voicemailNumber: number } : {}) };
  }

  /** A line's phase changed: subscribe once registered; drop the subscription when it is not. */
  lineChanged(line: Line): void {
    if (line.phase === LinePhase.Connecting || line.phase === LinePhase.Registering) this.registering.add(line.id);
    else this.registering.delete(line.id);
    this.follow(line);
    this.release();
  }

  private follow(line: Line): void {
    const watch = this.watches.get(line.id);
    if (line.phase === LinePhase.Registered) {
      if (watch?.line === line) return;
      if (watch) this.drop(watch, false);
      const fresh: Watch = { line, attempts: 0, stopped: false };
      this.watches.set(line.id, fresh);
      this.held.add(fresh);
      return;
    }
    if (watch?.line === line) {
      // Un-REGISTERing (stopped, page closing): the socket is still up, so say goodbye.
      this.drop(watch, line.phase === LinePhase.Unregistering);
      this.watches.delete(line.id);
    }
  }

  /** Lines no longer configured: their state goes. */
  linesRemoved(ids: readonly string[]): void {
    for (const id of ids) {
      const watch = this.watches.get(id);
      if (watch) this.drop(watch, false);
      this.watches.delete(id);
      this.states.delete(id);
      this.registering.delete(id);
    }
    this.release();
  }

  /** The held SUBSCRIBEs go once no line has a REGISTER to make, RELEASE_CHUNK a task. */
  private release(): void {
    if (this.registering.size || this.releasing) return;
    let sent = 0;
    for (const watch of this.held) {
      if (sent++ === RELEASE_CHUNK) {
        this.releasing = this.timers.after(0, () => {
          this.releasing = undefined;
          this.release();
        });
        return;
      }
      this.held.delete(watch);
      this.subscribe(watch);
    }
  }

  /** An out-of-dialog NOTIFY on `line`: ours when it is a message summary (200), else 489. */
  unsolicited(line: Line, notification: Notification): void {
    const event = eventOf(notification.request);
    if (event !== MWI_EVENT) {
      void notification.reject({ statusCode: 489 }).catch(() => undefined);
      return;
    }
    void notification.accept().catch(() => undefined);
    this.apply(line.id, notification.request);
  }

  private subscribe(watch: Watch): void {
    const { line } = watch;
    if (watch.stopped || watch.attempts >= MAX_ATTEMPTS || this.watches.get(line.id) !== watch) return;
    watch.attempts++;
    const core = line.ua.userAgentCore;
    const aor = core.configuration.aor;
    // RFC 3842 4: the subscriber SUBSCRIBEs to its own address of record (the mailbox's account).
    const message = core.makeOutgoingRequestMessage(C.SUBSCRIBE, aor, aor, aor, {}, [
      `Event: ${MWI_EVENT}`,
      `Accept: ${SUMMARY_TYPE}`,
      `Expires: ${SUBSCRIBE_EXPIRES_S}`,
      `Contact: ${core.configuration.contact.toString()}`,
      `Allow: ${AllowedMethods.toString()}`,
    ]);
    watch.request = core.subscribe(message, {
      onNotify: ({ request, subscription }) => {
        if (this.watches.get(line.id) !== watch) {
          acceptQuietly(request);
          return;
        }
        if (subscription && !watch.dialog) {
          watch.dialog = subscription;
          subscription.autoRefresh = true;
          subscription.delegate = {
            onNotify: (notify) => {
              acceptQuietly(notify);
              this.inDialog(watch, notify.message);
            },
            onRefresh: (refresh) => {
              refresh.delegate = { onReject: (r) => this.failed(watch, r), onRedirect: (r) => this.failed(watch, r) };
            },
            onTerminated: () => this.ended(watch, undefined),
          };
        }
        acceptQuietly(request);
        this.inDialog(watch, request.message);
      },
      onNotifyTimeout: () => this.ended(watch, undefined),
      onReject: (response) => this.failed(watch, response),
      onRedirect: (response) => this.failed(watch, response),
    });
  }

  /** A NOTIFY of our subscription: its body, then what its Subscription-State says. */
  private inDialog(watch: Watch, message: IncomingRequestMessage): void {
    this.apply(watch.line.id, message);
    const state = message.parseHeader("Subscription-State") as { state?: string; reason?: string; params?: Record<string, string> };
    if (state?.state === "terminated") this.ended(watch, state);
  }

  /** The SUBSCRIBE (or a refresh) was refused: a server without MWI is left alone until the next registration. */
  private failed(watch: Watch, response: IncomingResponse): void {
    const code = response.message.statusCode ?? 0;
    log.info(watch.line.id, `message-summary SUBSCRIBE refused (${code})`);
    this.forget(watch);
    if (UNSUPPORTED.has(code)) watch.stopped = true;
    else this.retry(watch, retryAfterS(response.message.getHeader("Retry-After")) ?? DEFAULT_RETRY_S);
  }

  /** The subscription ended (RFC 6665 4.1.3): subscribe again where the reason says to, bounded. */
  private ended(watch: Watch, state: { reason?: string; params?: Record<string, string> } | undefined): void {
    this.forget(watch);
    const reason = state?.reason;
    if (reason === "rejected" || reason === "noresource" || reason === "invariant") {
      watch.stopped = true;
      return;
    }
    const later = reason === "probation" || reason === "giveup" || !reason;
    this.retry(watch, later ? (retryAfterS(state?.params?.["retry-after"]) ?? DEFAULT_RETRY_S) : 0);
  }

  private retry(watch: Watch, seconds: number): void {
    this.timers.cancel(watch.timer);
    watch.timer = this.timers.after(seconds * 1000, () => this.subscribe(watch));
  }

  private forget(watch: Watch): void {
    watch.dialog = undefined;
    watch.request?.waitNotifyStop();
    watch.request = undefined;
  }

  private drop(watch: Watch, unsubscribe: boolean): void {
    watch.stopped = true;
    this.held.delete(watch);
    this.timers.cancel(watch.timer);
    const dialog = watch.dialog;
    this.forget(watch);
    if (!dialog) return;
    dialog.delegate = undefined;
    try {
      if (unsubscribe) dialog.unsubscribe();
      else dialog.dispose();
    } catch (e) {
      log.info(watch.line.id, "subscription not ended:", (e as Error).message);
    }
  }

  private apply(lineId: string, message: IncomingRequestMessage): void {
    const type = (message.getHeader("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
    const body = message.body ?? "";
    // An empty NOTIFY (the first one of some servers) carries no state.
    if (!body.trim()) return;
    const result =
      type && type !== SUMMARY_TYPE ? { ok: false as const, why: `Content-Type ${type.slice(0, 60)}` } : parseMessageSummary(body);
    if (!result.ok) {
      log.warn(lineId, "message-summary ignored:", result.why);
      return;
    }
    const before = this.states.get(lineId);
    const after = result.state;
    if (before && before.waiting === after.waiting && before.new === after.new && before.old === after.old) return;
    this.states.set(lineId, after);
    this.changed(lineId);
  }
}

/** 200 to a NOTIFY of ours; a transaction already answered (a retransmission raced) is no error. */
function acceptQuietly(request: { accept(): unknown }): void {
  try {
    request.accept();
  } catch (e) {
    log.info("NOTIFY not answered:", (e as Error).message);
  }
}

function eventOf(message: IncomingRequestMessage): string | undefined {
  const event = message.parseHeader("Event") as { event?: string } | undefined;
  return event?.event?.toLowerCase();
}

/** Retry-After (or retry-after=) in seconds, clamped to 1 s - 1 hour; undefined when absent or not a number. */
function retryAfterS(value: string | number | undefined): number | undefined {
  const n = typeof value === "number" ? value : Number.parseInt(value ?? "", 10);
  return Number.isFinite(n) ? Math.min(3600, Math.max(1, n)) : undefined;
}
