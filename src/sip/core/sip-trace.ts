import { Emitter } from "./emitter.js";
import { gzipBlobs, type TextCompression } from "./gzip-blob.js";

/** One SIP message as sent or received, credentials redacted. */
export interface TraceEntry {
  /** Its place in the trace: one more than the message before (on any line). */
  seq: number;
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
 * its head, and the oldest entries go once the total passes MAX_TOTAL_CHARS or MAX_ENTRIES.
 * Lengths are in UTF-16 code units, which is what the strings hold (SIP is ASCII: one unit is
 * one byte on the wire, two bytes of memory at most).
 */
export const MAX_ENTRIES = 3000;
/** Enough for any real SIP message: an INVITE with SDP and a dozen ICE candidates is ~5 000. */
export const MAX_MESSAGE_CHARS = 16 * 1024;
export const MAX_TOTAL_CHARS = 4 * 1024 * 1024;
/**
 * The newest messages are kept as they are (list(), at once); older ones are gzipped, BATCH_CHARS
 * at a time, into Blobs and read back only for an export or the trace view (all(), toText()).
 * A call is ~10 messages, ~6 000 characters: kept plain, each call stayed in the JS heap as
 * ~10 KiB of strings and entries (issue 17, e2e/bench/heap-per-call-probe.mjs) until 4 M
 * characters had gone by, ~700 calls. Compressed they cost a Blob per ~5 calls in the heap and
 * a fifth of their size outside it; the trace still reaches as far back. The price: older
 * entries are read asynchronously, and they go a batch at a time when the bounds are reached.
 */
export const RECENT_CHARS = 64 * 1024;
export const BATCH_CHARS = 32 * 1024;
/**
 * Compression waits until no message has come for QUIET_MS: a burst (1000 lines registering,
 * ~5000 messages) is not slowed by it (it cost ~90 ms of main thread inside that burst, in
 * batches; e2e/bench/profile-lines.mjs). BURST_CHARS bounds what waits meanwhile.
 */
export const QUIET_MS = 1000;
export const BURST_CHARS = 1024 * 1024;

/** Older entries, gzipped together; `entries` until the Blob is made (or if it could not be). */
interface Segment {
  count: number;
  chars: number;
  firstSeq: number;
  entries?: TraceEntry[];
  blob?: Blob;
}

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

/**
 * The last few thousand SIP messages of every line, for the diagnostics view and export: the
 * newest as entries, older ones compressed (RECENT_CHARS). Without a compression (none given
 * and none in the browser) all are kept as entries, within the same bounds.
 */
export class SipTrace extends Emitter<{ entry: TraceEntry }> {
  private readonly recent: TraceEntry[] = [];
  private recentChars = 0;
  private readonly segments: Segment[] = [];
  private totalChars = 0;
  private count = 0;
  private nextSeq = 0;
  private readonly compression: TextCompression | undefined;
  private readonly quietMs: number;
  private lastAddAt = 0;
  private quietTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * `compression`: null keeps every entry as it is; by default the browser's gzip. `quietMs`:
   * how long the trace waits for a pause before compressing (0: at once).
   */
  constructor(compression: TextCompression | null = gzipBlobs() ?? null, { quietMs = QUIET_MS }: { quietMs?: number } = {}) {
    super();
    this.compression = compression ?? undefined;
    this.quietMs = quietMs;
  }

  add(lineId: string, direction: "in" | "out", raw: string): void {
    // Cut first: redacting (and everything after) then works on a bounded string. A cut inside
    // an Authorization header is still redacted (its value runs to the end of the text).
    const text = redact(truncate(raw));
    const entry: TraceEntry = {
      seq: this.nextSeq++,
      at: Date.now(),
      lineId,
      direction,
      callId: /^(?:Call-ID|i)\s*:\s*(\S+)/im.exec(text)?.[1] ?? "",
      summary: text.slice(0, Math.max(0, text.indexOf("\r\n"))).slice(0, 200) || text.slice(0, 80),
      text,
    };
    this.recent.push(entry);
    this.recentChars += text.length;
    this.totalChars += text.length;
    this.count++;
    this.lastAddAt = entry.at;
    if (this.compression && this.recentChars > RECENT_CHARS + BATCH_CHARS) {
      if (this.quietMs <= 0 || this.recentChars > BURST_CHARS) this.compressDue();
      else this.quietTimer ??= setTimeout(() => this.whenQuiet(), this.quietMs);
    }
    this.dropOldest();
    this.emit("entry", entry);
  }

  /** The newest entries, those kept as they are (all of them without compression). */
  list(lineId?: string, callId?: string): TraceEntry[] {
    return this.recent.filter(matches(lineId, callId));
  }

  /** Every entry kept, oldest first, the compressed ones read back. */
  async all(lineId?: string, callId?: string): Promise<TraceEntry[]> {
    // Taken now: entries added or dropped while the older ones are read do not change the answer.
    const recent = this.list(lineId, callId);
    const older = await Promise.all(this.segments.map((s) => this.read(s)));
    return [...older.flat().filter(matches(lineId, callId)), ...recent];
  }

  /** As a text file for a support desk: every entry kept. */
  async toText(lineId?: string, callId?: string): Promise<string> {
    return traceText(await this.all(lineId, callId));
  }

  /** The `seq` of the oldest entry kept: those before it are gone. */
  get oldestSeq(): number {
    return this.segments[0]?.firstSeq ?? this.recent[0]?.seq ?? this.nextSeq;
  }

  /** What the kept messages hold, in UTF-16 code units (at most MAX_TOTAL_CHARS), compressed or not. */
  get size(): number {
    return this.totalChars;
  }

  clear(): void {
    clearTimeout(this.quietTimer);
    this.quietTimer = undefined;
    this.recent.length = 0;
    this.segments.length = 0;
    this.recentChars = this.totalChars = this.count = 0;
  }

  /** One timer per pause, not per message: it looks again if messages came meanwhile. */
  private whenQuiet(): void {
    const wait = this.lastAddAt + this.quietMs - Date.now();
    this.quietTimer = wait > 0 ? setTimeout(() => this.whenQuiet(), wait) : undefined;
    if (wait <= 0) this.compressDue();
  }

  /** Compresses the recent entries down to between RECENT_CHARS and RECENT_CHARS + BATCH_CHARS. */
  private compressDue(): void {
    while (this.compression && this.recentChars > RECENT_CHARS + BATCH_CHARS && this.recent.length > 1)
      this.compressOldest(this.compression);
  }

  /** The oldest BATCH_CHARS of the recent entries into a segment, compressed in the background. */
  private compressOldest(compression: TextCompression): void {
    let n = 0;
    let chars = 0;
    while (chars < BATCH_CHARS && n < this.recent.length - 1) chars += this.recent[n++]!.text.length;
    const entries = this.recent.splice(0, n);
    this.recentChars -= chars;
    const segment: Segment = { count: n, chars, firstSeq: entries[0]!.seq, entries };
    this.segments.push(segment);
    compression.compress(JSON.stringify(entries)).then(
      (blob) => {
        // Dropped or cleared meanwhile: nothing to keep.
        if (!this.segments.includes(segment)) return;
        segment.blob = blob;
        delete segment.entries;
      },
      // Kept as they are: still within the bounds, only bigger.
      () => undefined,
    );
  }

  private async read(segment: Segment): Promise<TraceEntry[]> {
    if (segment.entries) return segment.entries;
    try {
      return JSON.parse(await this.compression!.decompress(segment.blob!)) as TraceEntry[];
    } catch {
      return [];
    }
  }

  /** Whole segments first (they cannot be cut), then the oldest recent entries; the newest always stays. */
  private dropOldest(): void {
    while (this.totalChars > MAX_TOTAL_CHARS || this.count > MAX_ENTRIES) {
      const segment = this.segments.shift();
      if (segment) {
        this.totalChars -= segment.chars;
        this.count -= segment.count;
        continue;
      }
      if (this.recent.length <= 1) break;
      const gone = this.recent.shift()!;
      this.recentChars -= gone.text.length;
      this.totalChars -= gone.text.length;
      this.count--;
    }
  }
}

/** Entries as a text file for a support desk. */
export function traceText(entries: readonly TraceEntry[]): string {
  return entries
    .map(
      (e) =>
        `${new Date(e.at).toISOString()} ${e.direction === "out" ? "SENT to" : "RECEIVED from"} server (line ${e.lineId})\n${e.text.replace(/\r\n/g, "\n").trimEnd()}\n`,
    )
    .join("\n");
}

const matches =
  (lineId: string | undefined, callId: string | undefined) =>
  (e: TraceEntry): boolean =>
    (!lineId || e.lineId === lineId) && (!callId || e.callId === callId);
