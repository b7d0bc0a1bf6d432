/**
 * Named logger for the phone. Nothing goes to the console unless the level allows it, so a
 * production page stays quiet; the level is a setting (issue: SIP trace).
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "off";
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, off: 4 };

let level: LogLevel = "warn";

export function setLogLevel(l: LogLevel): void {
  level = l;
}

export interface Logger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export function getLogger(name: string): Logger {
  const at =
    (l: LogLevel) =>
    (...args: unknown[]) => {
      if (ORDER[l] < ORDER[level]) return;
      const fn = l === "debug" ? console.debug : l === "info" ? console.info : l === "warn" ? console.warn : console.error;
      fn(`[${name}]`, ...args);
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
