import { Emitter } from "./emitter.js";

/** One SIP message as sent or received, credentials redacted. */
export interface TraceEntry {
  at: number;
  lineId: string;
  direction: "in" | "out";
  callId: string;
  /** First line: method and URI, or status. */
  summary: string;
  /** The message, cut after MAX_MESSAGE_CHARS (then it ends with a note saying how much was cut). */
  text: string;
}

/**
 * Bounds, whatever a peer sends (a WebSocket frame can be megabytes): each message is cut after
 * its head, and the oldest entries go once the total passes MAX_TOTAL_CHARS. Lengths are in
 * UTF-16 code units, which is what the strings hold (SIP is ASCII: one unit is one byte on the
 * wire, two bytes of memory at most).
 */
export const MAX_ENTRIES = 3000;
/** Enough for any real SIP message: an INVITE with SDP and a dozen ICE candidates is ~5 000. */
export const MAX_MESSAGE_CHARS = 16 * 1024;
export const MAX_TOTAL_CHARS = 4 * 1024 * 1024;

/** The head of `raw`, and a note of what was cut, so a support desk knows the trace is not whole. */
function truncate(raw: string): string {
  if (raw.length <= MAX_MESSAGE_CHARS) return raw;
  return `${raw.slice(0, MAX_MESSAGE_CHARS)}\r\n[… ${raw.length - MAX_MESSAGE_CHARS} more characters not kept in the trace]\r\n`;
}

/**
 * Digest credentials are replaced: a trace goes to a support desk, and a digest response with
 * its nonce can be replayed or brute-forced for the password. The user name stays (support
 * needs it).
 */
export function redact(text: string): string {
  return text.replace(/^((?:Proxy-)?Authorization\s*:\s*)(.*)$/gim, (_m, head: string, value: string) => {
    const user = /username\s*=\s*"([^"]*)"/i.exec(value)?.[1];
    return `${head}Digest username="${user ?? "?"}", <credentials redacted>`;
  });
}

/** The last few thousand SIP messages of every line, for the diagnostics view. */
export class SipTrace extends Emitter<{ entry: TraceEntry }> {
  private readonly entries: TraceEntry[] = [];
  private totalChars = 0;

  add(lineId: string, direction: "in" | "out", raw: string): void {
    // Cut first: redacting (and everything after) then works on a bounded string. A cut inside
    // an Authorization header is still redacted (its value runs to the end of the text).
    const text = redact(truncate(raw));
    const entry: TraceEntry = {
      at: Date.now(),
      lineId,
      direction,
      callId: /^(?:Call-ID|i)\s*:\s*(\S+)/im.exec(text)?.[1] ?? "",
      summary: text.slice(0, Math.max(0, text.indexOf("\r\n"))).slice(0, 200) || text.slice(0, 80),
      text,
    };
    this.entries.push(entry);
    this.totalChars += text.length;
    let drop = Math.max(0, this.entries.length - MAX_ENTRIES);
    let total = this.totalChars;
    for (let i = 0; i < drop; i++) total -= this.entries[i]!.text.length;
    while (total > MAX_TOTAL_CHARS && drop < this.entries.length - 1) total -= this.entries[drop++]!.text.length;
    if (drop) this.entries.splice(0, drop);
    this.totalChars = total;
    this.emit("entry", entry);
  }

  list(lineId?: string, callId?: string): TraceEntry[] {
    return this.entries.filter((e) => (!lineId || e.lineId === lineId) && (!callId || e.callId === callId));
  }

  /** As a text file for a support desk. */
  toText(lineId?: string, callId?: string): string {
    return this.list(lineId, callId)
      .map(
        (e) =>
          `${new Date(e.at).toISOString()} ${e.direction === "out" ? "SENT to" : "RECEIVED from"} server (line ${e.lineId})\n${e.text.replace(/\r\n/g, "\n").trimEnd()}\n`,
      )
      .join("\n");
  }

  /** What the kept messages hold, in UTF-16 code units (at most MAX_TOTAL_CHARS). */
  get size(): number {
    return this.totalChars;
  }

  clear(): void {
    this.entries.length = 0;
    this.totalChars = 0;
  }
}
