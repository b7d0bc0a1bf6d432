import type { Catalogue, MessageId, ParamsArg, Plural, ViewsCatalogue } from "./catalogue.js";

/** Says that a message is missing (see reportMissingWords). */
export type MissingWordReport = (lang: string, id: string) => void;

// src/i18n imports nothing else of src/ (eslint layers, and no console but the logger's), so
// the phone's logger is handed in by the components (phone-views.ts). What is missing before
// that waits for it: once per language and id, so a few lines at most.
let reportMissing: MissingWordReport | undefined;
const unreported: Array<[lang: string, id: string]> = [];
const reported = new Set<string>();

/**
 * Where a message missing at run time is said: once per language and id. It should not happen
 * (ids are compile-checked; the views' words load before a view renders), so it is a bug to be
 * seen, in the log and the diagnostics file, not a blank on screen.
 */
export function reportMissingWords(report: MissingWordReport): void {
  reportMissing = report;
  for (const [lang, id] of unreported.splice(0)) report(lang, id);
}

/**
 * One language's words and formats: the catalogue's messages with their placeholders filled,
 * plurals chosen by Intl.PluralRules, and numbers, dates, times, durations and lists through
 * Intl in that language. Components get one from their `<sip-phone>` (words-context.ts).
 *
 * Its messages are the first part of the catalogue, and the views part once it has been added
 * (addViews, by languages.ts loadViewWords): the same object then speaks both, so every
 * component that holds it gets the views' words without being given new Words.
 */
export class Words {
  private plurals?: Intl.PluralRules;
  private numbers?: Intl.NumberFormat;
  private readonly formats = new Map<string, Intl.DateTimeFormat>();
  /**
   * The messages by id: the two parts as they are, looked up one after the other. Not merged:
   * a merged copy of ~730 messages costs more heap than the second lookup costs time.
   */
  private readonly messages: Readonly<Record<string, string | Plural | undefined>>;
  private views: Readonly<Record<string, string | Plural | undefined>> | undefined;

  constructor(
    /** The BCP 47 tag the catalogue is for ("en", "de"). */
    readonly lang: string,
    catalogue: Catalogue,
  ) {
    this.messages = catalogue;
  }

  /** The views part is here: `t` has every message. */
  get hasViews(): boolean {
    return this.views !== undefined;
  }

  /** Adds the catalogue's views part (languages.ts loads it); a second call changes nothing. */
  addViews(views: ViewsCatalogue): void {
    this.views ??= views;
  }

  /** A message in this language: `t("dial.call")`, `t("call.failed", { code: 404, reason: "Not Found" })`. */
  t<K extends MessageId>(id: K, ...[params]: ParamsArg<K>): string {
    const message = this.messages[id] ?? this.views?.[id];
    // Missing (a view's words not loaded yet: a bug): the id says which, and the report tells.
    if (message === undefined) return this.missing(id);
    // Most messages have no placeholder: returned as they are (a list of 1000 lines renders
    // thousands of them; the replace below costs about 0.5 µs each).
    if (typeof message === "string" && !message.includes("{")) return message;
    const values = (params ?? {}) as Record<string, string | number>;
    const text = typeof message === "string" ? message : this.choose(message, Number(values.count));
    return text.replace(/\{(\w+)\}/g, (slot, name: string) => {
      const value = values[name];
      return value === undefined ? slot : typeof value === "number" ? this.number(value) : value;
    });
  }

  /** A number as this language writes it (4.3 → "4,3" in German). */
  number(n: number): string {
    this.numbers ??= new Intl.NumberFormat(this.lang, { maximumFractionDigits: 2 });
    return this.numbers.format(n);
  }

  /** A number with exactly `digits` decimals: MOS "4.0", "4,0". */
  fixed(n: number, digits: number): string {
    return new Intl.NumberFormat(this.lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
  }

  /** Hours and minutes: "14:05", "2:05 PM". */
  time(at: number | Date): string {
    return this.format("time", { hour: "2-digit", minute: "2-digit" }).format(at);
  }

  /** Hours, minutes and seconds (the SIP trace). */
  timeWithSeconds(at: number | Date): string {
    return this.format("seconds", { hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(at);
  }

  /** Day, month and time: "3 Mar, 14:05", "3. März, 14:05". */
  dayAndTime(at: number | Date): string {
    return this.format("day", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }).format(at);
  }

  /** A call's length in words for lists and screen readers: "1 hr, 2 min, 5 sec", "1 Std., 2 Min., 5 Sek.". */
  duration(seconds: number): string {
    const s = Math.max(0, Math.round(seconds));
    const parts: Array<[number, "hour" | "minute" | "second"]> = [
      [Math.floor(s / 3600), "hour"],
      [Math.floor((s % 3600) / 60), "minute"],
      [s % 60, "second"],
    ];
    const shown = parts.filter(([n], i) => n > 0 || (i === 2 && s === 0));
    const DurationFormat = (Intl as { DurationFormat?: new (lang: string, o: object) => { format(d: object): string } }).DurationFormat;
    if (DurationFormat)
      // A zero is left out unless asked for: a call under half a second is "0 sec", not "".
      return new DurationFormat(this.lang, { style: "short", ...(s === 0 ? { secondsDisplay: "always" } : {}) }).format(
        Object.fromEntries(shown.map(([n, u]) => [`${u}s`, n])),
      );
    // Without Intl.DurationFormat (Firefox < 136, Node): units from NumberFormat, joined by
    // ListFormat, say much the same.
    const list = new Intl.ListFormat(this.lang, { style: "narrow", type: "unit" });
    return list.format(shown.map(([n, unit]) => new Intl.NumberFormat(this.lang, { style: "unit", unit, unitDisplay: "short" }).format(n)));
  }

  /** Items joined as this language does: "a, b and c", "a, b und c". */
  list(items: string[]): string {
    return new Intl.ListFormat(this.lang, { type: "conjunction" }).format(items);
  }

  private missing(id: string): string {
    const key = `${this.lang} ${id}`;
    if (!reported.has(key)) {
      reported.add(key);
      if (reportMissing) reportMissing(this.lang, id);
      else unreported.push([this.lang, id]);
    }
    return id;
  }

  private choose(message: Plural, count: number): string {
    this.plurals ??= new Intl.PluralRules(this.lang);
    return message[this.plurals.select(count)] ?? message.other;
  }

  private format(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    let f = this.formats.get(key);
    if (!f) this.formats.set(key, (f = new Intl.DateTimeFormat(this.lang, options)));
    return f;
  }
}
