/**
 * Named logger for the phone. Nothing goes to the console unless the level allows it, so a
 * production page stays quiet; the level is a setting (Settings → General, and the SIP trace).
 * What the level lets through is also kept in a small ring of recent lines, which the
 * diagnostics file carries: a user cannot open the console for a support desk, but can send
 * the file (raise the level, repeat the trouble, export).
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "off";
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, off: 4 };

/** Lines kept for the diagnostics file: enough for one failed registration or call at debug level. */
const KEPT = 300;

let level: LogLevel = "warn";
const recent: string[] = [];

export function setLogLevel(l: LogLevel): void {
  level = l;
}

/** The level in force. */
export function logLevel(): LogLevel {
  return level;
}

/** The recent lines the level let through, oldest first (`<ISO time> <level> [name] text`). */
export function recentLog(): readonly string[] {
  return [...recent];
}

export interface Logger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** One argument as text: errors by their message, objects as JSON where they can be. */
function asText(arg: unknown): string {
  if (typeof arg === "string") return arg;
  if (arg instanceof Error) return `${arg.name}: ${arg.message}`;
  try {
    return JSON.stringify(arg) ?? String(arg);
  } catch {
    return String(arg);
  }
}

export function getLogger(name: string): Logger {
  const at =
    (l: LogLevel) =>
    (...args: unknown[]) => {
      if (ORDER[l] < ORDER[level]) return;
      recent.push(`${new Date().toISOString()} ${l} [${name}] ${args.map(asText).join(" ")}`);
      if (recent.length > KEPT) recent.splice(0, recent.length - KEPT);
      const fn = l === "debug" ? console.debug : l === "info" ? console.info : l === "warn" ? console.warn : console.error;
      fn(`[${name}]`, ...args);
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
