import { Emitter } from "./emitter.js";

/** One SIP message as sent or received, credentials redacted. */
export interface TraceEntry {
  at: number;
  lineId: string;
  direction: "in" | "out";
  callId: string;
  /** First line: method and URI, or status. */
  summary: string;
  text: string;
}

const MAX_ENTRIES = 3000;

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

  add(lineId: string, direction: "in" | "out", raw: string): void {
    const text = redact(raw);
    const entry: TraceEntry = {
      at: Date.now(),
      lineId,
      direction,
      callId: /^(?:Call-ID|i)\s*:\s*(\S+)/im.exec(text)?.[1] ?? "",
      summary: text.slice(0, Math.max(0, text.indexOf("\r\n"))).slice(0, 200) || text.slice(0, 80),
      text,
    };
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
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

  clear(): void {
    this.entries.length = 0;
  }
}
