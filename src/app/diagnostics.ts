import type { CallSnapshot } from "../sip/api/call-state.js";
import type { LineSnapshot } from "../sip/api/line-state.js";
import type { Settings } from "../storage/settings-store.js";
import { APP_VERSION, SIP_STACK } from "./version.js";

/** What a support desk needs to see why a phone misbehaves: nothing that would let anyone use it. */
export interface DiagnosticsInput {
  now: Date;
  userAgent: string;
  /** The page's address without its query (a provisioning link's query may carry a configuration). */
  page: string;
  lines: readonly LineSnapshot[];
  calls: readonly CallSnapshot[];
  /** The lines' configuration as the views see it (no passwords, no TURN credentials: AccountView). */
  accounts: readonly object[];
  settings: Settings;
  /** The SIP trace as text (its digest credentials already redacted by SipTrace). */
  trace: string;
  /**
   * This tab's recent log lines (sip/core/logger.ts `recentLog`): as many as the log level let
   * through, so a raised level gives the support desk more.
   */
  log?: readonly string[];
}

/** Keys whose values are secrets wherever they appear. */
const SECRET_KEYS = /^(password|credential|secret|token|authorization|ha1)$/i;

/** Drops every secret-named key, at any depth: a second line of defence behind AccountView. */
function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).flatMap(([k, v]) => (SECRET_KEYS.test(k) ? [[k, "(redacted)"]] : [[k, withoutSecrets(v)]])),
  );
}

/**
 * Redacts credentials in SIP text: the digest `response`, `nonce`/`cnonce` stay useful for a
 * support desk and are not secrets, but a `Authorization: Basic` or a bearer token would be.
 */
function redactTrace(text: string): string {
  return text
    .replace(/^((?:Proxy-)?Authorization:\s*(?:Basic|Bearer)\s+)\S+/gim, "$1(redacted)")
    .replace(/(\bresponse=")[0-9a-f]+"/gi, '$1(redacted)"');
}

/** The diagnostics file: JSON, versions first, then the state of lines and calls, then the trace, then the log. */
export function diagnosticsReport(input: DiagnosticsInput): string {
  const report = {
    generated: input.now.toISOString(),
    app: APP_VERSION,
    sipStack: SIP_STACK,
    userAgent: input.userAgent,
    page: input.page.replace(/[?#].*$/, ""),
    lines: input.lines,
    calls: input.calls,
    accounts: input.accounts,
    settings: input.settings,
  };
  const log = input.log ? `\n\n--- Log (level ${input.settings.logLevel ?? "warn"}) ---\n${redactTrace(input.log.join("\n"))}` : "";
  return `${JSON.stringify(withoutSecrets(report), null, 2)}\n\n--- SIP trace ---\n${redactTrace(input.trace)}${log}`;
}
