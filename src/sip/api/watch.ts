import type { URI } from "sip.js";
import { C } from "sip.js/lib/core/index.js";
import type { IncomingNotifyRequest, IncomingResponse, OutgoingSubscribeRequest, Subscription } from "sip.js/lib/core/index.js";
import { AllowedMethods } from "sip.js/lib/core/user-agent-core/allowed-methods.js";
import { getLogger } from "../core/logger.js";
import type { Line } from "./line.js";
import { DialogView, dialogState, parkedDialog, parseDialogInfo, parsePidf, ringingDialog, type DialogEntry } from "./presence-body.js";
import type { PresenceEvent, PresenceSnapshot } from "./presence-state.js";

const log = getLogger("presence");

/** Seconds asked for in each SUBSCRIBE; SIP.js's subscription dialog refreshes at 90 % of what is granted. */
export const WATCH_EXPIRES_S = 600;
/** A transient refusal (408, 5xx, timer N) is tried again after this (or the server's Retry-After, bounded). */
export const WATCH_RETRY_MS = 30_000;
const MAX_RETRY_MS = 3_600_000;
const ACCEPT: Record<PresenceEvent, string> = { dialog: "application/dialog-info+xml", presence: "application/pidf+xml" };

export interface WatchHost {
  /** Queues a (re)SUBSCRIBE: the manager spaces them out, one line's hundreds never leave at once. */
  enqueue(watch: Watch): void;
  /** Asks for a (re)SUBSCRIBE after `ms` (then queued like the others). */
  later(watch: Watch, ms: number): void;
  changed(snapshot: PresenceSnapshot): void;
  /** A body we could not read: noted in the line's SIP trace, the last good state kept. */
  note(lineId: string, text: string): void;
}

/**
 * One watched party on one line: a SUBSCRIBE dialog (RFC 6665) for the dialog event package
 * (RFC 4235), or for presence (RFC 3856) where the server answers 489 Bad Event to dialog.
 *
 * Built on SIP.js's core subscription (UserAgentCore.subscribe and its SubscriptionDialog, which
 * refreshes itself), not on its api `Subscriber`: the Subscriber hides the final response of a
 * refused SUBSCRIBE (we need the code: 489 means "try presence", 403/404 are shown), treats a
 * refused refresh as the end, and re-subscribes on "probation" with the Retry-After seconds given
 * to setTimeout as milliseconds, outside any stagger.
 */
export class Watch {
  event: PresenceEvent = "dialog";
  private view = new DialogView();
  private snap: PresenceSnapshot;
  private request: OutgoingSubscribeRequest | undefined;
  private dialog: Subscription | undefined;
  /** The Line (UserAgent) the subscription lives on: a restarted line is a new one. */
  private boundTo: Line | undefined;
  private stopped = false;

  constructor(
    readonly target: string,
    readonly lineId: string,
    readonly uri: URI,
    private readonly host: WatchHost,
  ) {
    this.snap = { target, lineId, state: "unknown" };
  }

  get snapshot(): PresenceSnapshot {
    return this.snap;
  }

  /** The dialog that rings at the watched party, with what a Replaces needs, if the server told us. */
  get ringing(): DialogEntry | undefined {
    return this.event === "dialog" ? ringingDialog(this.view.dialogs) : undefined;
  }

  /** The call held there when the watched party is a park slot (see pickup.ts, retrieve). */
  get parked(): DialogEntry | undefined {
    return this.event === "dialog" ? parkedDialog(this.view.dialogs) : undefined;
  }

  /** Has a live subscription, or one on its way. */
  get live(): boolean {
    return !!(this.request || this.dialog);
  }

  /** Sends the SUBSCRIBE now (the manager calls this when its turn comes). */
  subscribe(line: Line): void {
    if (this.stopped) return;
    this.drop();
    this.boundTo = line;
    this.view.reset();
    const core = line.ua.userAgentCore;
    const message = core.makeOutgoingRequestMessage(C.SUBSCRIBE, this.uri, core.configuration.aor, this.uri, {}, [
      `Event: ${this.event}`,
      `Accept: ${ACCEPT[this.event]}`,
      `Expires: ${WATCH_EXPIRES_S}`,
      `Allow: ${AllowedMethods.toString()}`,
      `Contact: ${core.configuration.contact.toString()}`,
    ]);
    const request = core.subscribe(message, {
      onReject: (response) => this.refused(response),
      onRedirect: (response) => this.refused(response),
      onNotify: ({ request: notify, subscription }) => {
        if (subscription && request === this.request) this.established(subscription);
        this.notified(notify);
      },
      onNotifyTimeout: () => this.transient(undefined),
    });
    this.request = request;
  }

  /** The line lost its connection and is back, or was restarted: subscribe again (queued). */
  renew(line: Line): void {
    if (this.stopped) return;
    if (this.boundTo !== line) this.boundTo = undefined;
    this.drop();
    this.host.enqueue(this);
  }

  /** The line this watch was subscribed on, if it is still that one. */
  isOn(line: Line): boolean {
    return this.boundTo === line;
  }

  /** unwatch(): un-SUBSCRIBE (Expires: 0) where a subscription is up; nothing more from it is taken. */
  stop(): void {
    this.stopped = true;
    const dialog = this.dialog;
    this.request?.waitNotifyStop();
    this.request?.dispose();
    this.request = this.dialog = undefined;
    if (!dialog) return;
    dialog.delegate = { onTerminated: () => dialog.dispose() };
    try {
      dialog.unsubscribe();
    } catch (e) {
      log.info(this.target, "un-SUBSCRIBE not sent:", (e as Error).message);
      dialog.dispose();
    }
  }

  /** Forgets the subscription without a word to the server (its flow is gone with the socket). */
  private drop(): void {
    this.request?.waitNotifyStop();
    this.request?.dispose();
    this.dialog?.dispose();
    this.request = this.dialog = undefined;
  }

  private established(subscription: Subscription): void {
    this.dialog = subscription;
    this.request = undefined;
    subscription.autoRefresh = true;
    subscription.delegate = {
      onNotify: (notify) => this.notified(notify),
      onRefresh: (refresh) => {
        refresh.delegate = { onReject: (response) => this.transient(response) };
      },
      // Also reached from a NOTIFY with "terminated", before that NOTIFY's handler runs (SIP.js
      // moves the dialog first): wait a microtask, by when notified() has taken it.
      onTerminated: () =>
        queueMicrotask(() => {
          if (this.dialog === subscription) this.transient(undefined);
        }),
    };
  }

  private notified(notify: IncomingNotifyRequest): void {
    notify.accept();
    if (this.stopped) return;
    const message = notify.message;
    const state = message.parseHeader("Subscription-State") as
      { state?: string; reason?: string; params?: Record<string, string> } | undefined;
    if (state?.state === "terminated") return this.terminated(state.reason, Number(state.params?.["retry-after"]));
    const body = message.body ?? "";
    if (!body.trim()) return this.update({});
    if (this.event === "dialog") {
      const info = parseDialogInfo(body);
      if (!info) return this.malformed("dialog-info");
      if (!this.view.apply(info)) return;
      const dialogs = this.view.dialogs;
      const talking = dialogs.find((d) => d.phase !== "terminated");
      return this.update({ state: dialogState(dialogs), remote: talking?.remoteName || talking?.remoteIdentity });
    }
    const pidf = parsePidf(body);
    if (!pidf) return this.malformed("PIDF");
    this.update({ state: pidf.state });
  }

  private update(next: Partial<PresenceSnapshot>): void {
    const snap: PresenceSnapshot = { target: this.target, lineId: this.lineId, state: next.state ?? "idle", event: this.event };
    if (next.remote && snap.state !== "idle") snap.remote = next.remote;
    if (next.code) snap.code = next.code;
    if (next.reason) snap.reason = next.reason;
    if (next.state === "unknown") delete snap.event;
    const before = this.snap;
    this.snap = snap;
    if (JSON.stringify(before) !== JSON.stringify(snap)) this.host.changed(snap);
  }

  private malformed(kind: string): void {
    log.info(this.target, `malformed ${kind} body ignored`);
    this.host.note(this.lineId, `NOTE webphone: ignored a malformed ${kind} body about ${this.uri.toString()}; kept "${this.snap.state}"`);
  }

  private refused(response: IncomingResponse): void {
    this.request = undefined;
    const code = response.message.statusCode ?? 0;
    if (code === 489 && this.event === "dialog") {
      // RFC 6665 4.1.2.1: the server does not offer the dialog package; presence may be there.
      this.event = "presence";
      this.host.enqueue(this);
      return;
    }
    if (code === 408 || code >= 500) return this.transient(response);
    this.update({ state: "unknown", code });
  }

  /** RFC 6665 4.1.3: deactivated/timeout re-subscribe at once, probation/giveup later, the rest is final. */
  private terminated(reason: string | undefined, retryAfterS: number): void {
    this.dialog = undefined;
    if (reason === "deactivated" || reason === "timeout" || !reason) return this.host.enqueue(this);
    if (reason === "probation" || reason === "giveup") {
      const ms = retryAfterS > 0 ? Math.min(retryAfterS * 1000, MAX_RETRY_MS) : WATCH_RETRY_MS;
      return this.host.later(this, ms);
    }
    this.update({ state: "unknown", reason: reason.slice(0, 32) });
  }

  private transient(response: IncomingResponse | undefined): void {
    this.drop();
    if (this.stopped) return;
    const retryAfter = Number(response?.message.getHeader("Retry-After"));
    this.host.later(this, retryAfter > 0 ? Math.min(retryAfter * 1000, MAX_RETRY_MS) : WATCH_RETRY_MS);
  }
}
