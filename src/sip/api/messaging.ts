import { Messager, UserAgent, type Message, type URI } from "sip.js";
import type { IncomingResponse } from "sip.js/lib/core/index.js";
import type { Clock } from "../core/clock.js";
import { getLogger } from "../core/logger.js";
import { applyRules } from "../numbers/number-rules.js";
import { displayName } from "./display-name.js";
import { IncomingRateLimit, MESSAGE_LIMIT } from "./incoming-rate.js";
import type { Line } from "./line.js";
import { LinePhase } from "./line-state.js";
import { PhoneError } from "./phone-errors.js";
import { MAX_MESSAGE_BYTES, type MessageFailure, type MessageSnapshot } from "./text-message.js";

export { MAX_MESSAGE_BYTES };

const log = getLogger("messaging");

/** Messages waiting per line for it to come back: the rest are refused (`queue-full`). */
export const MAX_QUEUED = 50;

export interface MessageOptions {
  lineId?: string;
}

/** An outgoing message that was still waiting when the page that held it closed (message-recorder.ts). */
export interface WaitingMessage {
  id: string;
  lineId: string;
  remote: string;
  remoteUri: string;
  text: string;
  at: number;
}

/** What Messaging needs of the phone. */
export interface MessagingHost {
  readonly clock: Clock;
  /** The line to send on (throws PhoneError "no-line"). */
  pickLine(lineId: string | undefined): Line;
  /** The current line with this id, if any (a configuration change replaces Line objects). */
  line(id: string): Line | undefined;
  /** A typed target as a request URI for `line` (number rules, SIP target rules). */
  resolve(target: string, line: Line): Promise<URI>;
  /** The phone's `message` event. */
  announce(message: MessageSnapshot): void;
}

interface Outgoing {
  snapshot: MessageSnapshot;
  uri: URI;
  resolve(id: string): void;
  reject(error: Error): void;
}

let counter = 0;
function newMessageId(): string {
  counter++;
  return `m${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

const isUp = (line: Line | undefined) => line?.phase === LinePhase.Registered || line?.phase === LinePhase.Connected;

/**
 * Text messages (RFC 3428 MESSAGE) in and out. Outgoing ones go one at a time per line, in the
 * order written, so that they arrive in that order; while the line is down they wait (at most
 * MAX_QUEUED) and go when it is back. A send resolves with the message's id on the peer's 2xx
 * and rejects with a PhoneError ("message-failed", the SIP code in `detail`) otherwise; every
 * change of status is a `message` event. Text is text: it is sent as `text/plain` and the
 * receiving side takes nothing else (request-screen.ts answers 415 and 413 before SIP.js).
 * https://www.rfc-editor.org/rfc/rfc3428
 */
export class Messaging {
  private readonly queues = new Map<string, Outgoing[]>();
  /** Lines with a MESSAGE in flight. */
  private readonly busy = new Set<string>();
  /** Incoming messages per sender (incoming-rate.ts). */
  private readonly rate = new IncomingRateLimit(MESSAGE_LIMIT);

  constructor(private readonly host: MessagingHost) {}

  async send(target: string, text: string, options: MessageOptions = {}): Promise<string> {
    if (typeof text !== "string" || !text.trim()) throw new PhoneError("A message needs some text", "bad-text", { length: 0 });
    const bytes = new TextEncoder().encode(text).length;
    if (bytes > MAX_MESSAGE_BYTES)
      throw new PhoneError(`The message is ${bytes} bytes; at most ${MAX_MESSAGE_BYTES}`, "bad-text", {
        length: bytes,
        max: MAX_MESSAGE_BYTES,
      });
    const line = this.host.pickLine(options.lineId);
    if (line.account.enabled === false) throw new PhoneError(`Line "${line.id}" is switched off`, "no-line", { lineId: line.id });
    const uri = await this.host.resolve(target, line);
    const snapshot: MessageSnapshot = {
      id: newMessageId(),
      lineId: line.id,
      direction: "out",
      remote: uri.user ?? uri.toString(),
      remoteUri: uri.toString(),
      text,
      at: this.host.clock.now(),
      status: "queued",
    };
    return this.enqueue(line, snapshot, uri);
  }

  /**
   * Sends again a message that was still queued when the page holding it closed: same id and
   * time (its stored record is replaced, not duplicated), same target as resolved then. One that
   * was already `sending` is not resumed (message-recorder.ts): it may have arrived, and a
   * duplicate is worse than a "not sent" the user can retry.
   */
  resume(waiting: WaitingMessage): Promise<string> {
    const line = this.host.line(waiting.lineId);
    const uri = UserAgent.makeURI(waiting.remoteUri);
    const snapshot: MessageSnapshot = { ...waiting, direction: "out", status: "queued" };
    if (!line || line.account.enabled === false || !uri) {
      return new Promise<string>((resolve, reject) => this.fail({ snapshot, resolve, reject }, { kind: "no-line" }));
    }
    return this.enqueue(line, snapshot, uri);
  }

  private enqueue(line: Line, snapshot: MessageSnapshot, uri: URI): Promise<string> {
    const queue = this.queues.get(line.id) ?? [];
    if (queue.length >= MAX_QUEUED)
      return Promise.reject(new PhoneError("Too many messages are waiting for this line", "bad-state", { lineId: line.id }));
    this.queues.set(line.id, queue);
    return new Promise<string>((resolve, reject) => {
      queue.push({ snapshot, uri, resolve, reject });
      const sendsNow = isUp(line) && !this.busy.has(line.id) && queue.length === 1;
      if (!sendsNow) this.host.announce({ ...snapshot });
      this.pump(line.id);
    });
  }

  /** A MESSAGE for `line` that passed the request screen (text/plain, within the size). */
  receive(line: Line, message: Message): void {
    const request = message.request;
    const type = (request.getHeader("Content-Type") ?? "text/plain").split(";")[0]!.trim().toLowerCase();
    if (type !== "text/plain") {
      void message.reject({ statusCode: 415, extraHeaders: ["Accept: text/plain"] }).catch(() => undefined);
      return;
    }
    const from = request.from;
    const user = from.uri.user ?? from.uri.toString();
    const retryAfter = this.rate.admit(`${user}@${from.uri.host}`, this.host.clock.now());
    if (retryAfter !== undefined) {
      log.warn(line.id, `MESSAGE from ${user}@${from.uri.host} refused: over ${MESSAGE_LIMIT} a minute`);
      void message.reject({ statusCode: 486, extraHeaders: [`Retry-After: ${retryAfter}`] }).catch(() => undefined);
      return;
    }
    void message.accept().catch((e: Error) => log.info(line.id, "200 to MESSAGE not sent:", e.message));
    const name = displayName(from.displayName);
    this.host.announce({
      id: newMessageId(),
      lineId: line.id,
      direction: "in",
      remote: applyRules(line.account.numberRules?.incoming, user).number || user,
      ...(name ? { remoteName: name } : {}),
      remoteUri: from.uri.toString(),
      text: request.body ?? "",
      at: this.host.clock.now(),
      status: "received",
    });
  }

  /** A line's state changed: its waiting messages go once it is up. */
  lineChanged(line: Line): void {
    if (isUp(line)) this.pump(line.id);
  }

  /** Lines no longer configured (or switched off): what waits for them fails. */
  linesGone(ids: readonly string[]): void {
    for (const id of ids) {
      const queue = this.queues.get(id) ?? [];
      // The one in flight settles by its response; the rest never leave.
      const waiting = this.busy.has(id) ? queue.splice(1) : queue.splice(0);
      for (const m of waiting) this.fail(m, { kind: "no-line" });
      if (!queue.length) this.queues.delete(id);
    }
  }

  /** Sends the line's next waiting message, if the line is up and none is in flight. */
  private pump(lineId: string): void {
    const line = this.host.line(lineId);
    const next = this.queues.get(lineId)?.[0];
    if (!next || !line || !isUp(line) || this.busy.has(lineId)) return;
    this.busy.add(lineId);
    next.snapshot.status = "sending";
    this.host.announce({ ...next.snapshot });
    const done = (response: IncomingResponse | undefined, failure?: MessageFailure) => {
      this.busy.delete(lineId);
      const queue = this.queues.get(lineId);
      if (queue?.[0] === next) queue.shift();
      if (queue && !queue.length) this.queues.delete(lineId);
      const code = response?.message.statusCode ?? 0;
      if (code >= 200 && code < 300) this.delivered(next, code);
      else this.fail(next, failure ?? { kind: "rejected", sipCode: code, reasonPhrase: response?.message.reasonPhrase ?? "" });
      this.pump(lineId);
    };
    try {
      const messager = new Messager(line.ua, next.uri, next.snapshot.text, "text/plain;charset=UTF-8");
      void messager.message({
        requestDelegate: {
          onAccept: (r) => done(r),
          onReject: (r) => done(r),
          onRedirect: (r) => done(r),
        },
      });
    } catch (e) {
      log.warn(lineId, "MESSAGE not sent:", (e as Error).message);
      done(undefined, { kind: "rejected", sipCode: 503, reasonPhrase: "Not sent" });
    }
  }

  private delivered(m: Outgoing, code: number): void {
    m.snapshot.status = code === 202 ? "sent" : "delivered";
    m.snapshot.sipCode = code;
    this.host.announce({ ...m.snapshot });
    m.resolve(m.snapshot.id);
  }

  private fail(m: Omit<Outgoing, "uri">, failure: MessageFailure): void {
    m.snapshot.status = "failed";
    m.snapshot.failure = failure;
    if (failure.kind === "rejected") m.snapshot.sipCode = failure.sipCode;
    this.host.announce({ ...m.snapshot });
    const detail = {
      messageId: m.snapshot.id,
      lineId: m.snapshot.lineId,
      ...(failure.kind === "rejected" ? { sipCode: failure.sipCode, reasonPhrase: failure.reasonPhrase } : {}),
    };
    const why = failure.kind === "rejected" ? `${failure.sipCode} ${failure.reasonPhrase}` : failure.kind;
    m.reject(new PhoneError(`Message not sent (${why})`, failure.kind === "no-line" ? "no-line" : "message-failed", detail));
  }
}
