import type { LineSnapshot } from "../sip/api/line-state.js";

/** Line events gathered into one message to the other tabs. */
export interface LinesMessage {
  t: "lines";
  lines: LineSnapshot[];
}

/** Runs a callback in a task of its own, soon. */
export type Soon = (callback: () => void) => void;

/**
 * What the leading tab posts to the other tabs, in order, with line events gathered.
 *
 * Each line event was a BroadcastChannel message of its own: about 80 µs of the leader's main
 * thread each (a copy and a trip through the browser), and 1000 lines registering send about
 * 3000 of them (npm run bench, "1000 lines"). Line events now wait for the next task and go
 * together, in the order they came; any other message (a call, a command's result, the whole
 * state) first sends the line events before it, so the other tabs see everything in the order
 * the leader did. A line change reaches them one task later than before.
 */
export class TabOutbox<M> {
  private lines: LineSnapshot[] = [];
  private scheduled = false;

  constructor(
    private readonly send: (message: M | LinesMessage) => void,
    private readonly soon: Soon = nextTask(),
  ) {}

  /** A line event: sent with the others of this task, soon. */
  line(snapshot: LineSnapshot): void {
    this.lines.push(snapshot);
    if (this.scheduled) return;
    this.scheduled = true;
    this.soon(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Any other message: sent now, after the line events that came before it. */
  post(message: M): void {
    this.flush();
    this.send(message);
  }

  private flush(): void {
    if (!this.lines.length) return;
    const lines = this.lines;
    this.lines = [];
    this.send({ t: "lines", lines });
  }
}

/** A follower's lines after a batch of line events: each replaces its line, a new one is added. */
export function withLines(current: readonly LineSnapshot[], batch: readonly LineSnapshot[]): LineSnapshot[] {
  const next = [...current];
  const at = new Map(next.map((l, i) => [l.id, i]));
  for (const line of batch) {
    const i = at.get(line.id);
    if (i === undefined) at.set(line.id, next.push(line) - 1);
    else next[i] = line;
  }
  return next;
}

/**
 * The next task, through a MessageChannel: not a timer, because browsers run a hidden tab's
 * timers at most once a second, and the leading tab is often a hidden one.
 */
function nextTask(): Soon {
  if (typeof MessageChannel !== "function") return (callback) => setTimeout(callback, 0);
  let channel: MessageChannel | undefined;
  const waiting: Array<() => void> = [];
  return (callback) => {
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => waiting.shift()?.();
    }
    waiting.push(callback);
    channel.port2.postMessage(undefined);
  };
}
