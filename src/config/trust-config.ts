/**
 * The trust settings of a line: what an outsider (a link, a remote party, a redirecting server)
 * may make the phone do without asking. Every default is the safe one; docs/security.md says why.
 */
import type { ConfigProblem } from "./phone-config.js";

export interface TrustConfig {
  /**
   * Links (`?dial=`, `tel:`/`sip:` handler, launch queue) dial at once instead of showing the
   * number with a focused Call button first. For kiosks and CRM desks; default false.
   */
  dialLinksWithoutConfirm?: boolean;
  /**
   * Hosts whose INVITEs may ask for auto-answer (matched against the caller's From host):
   * `"pbx.example.com"`, `"*.example.com"`. Default: the line's own domain only.
   */
  autoAnswerFrom?: string[];
  /**
   * Domains that transfers (REFER) and redirects (3xx) are followed to without asking. Default:
   * the line's own domain only. Other targets are shown to the user with their full URI.
   */
  followDomains?: string[];
  /** Seconds an unanswered incoming call rings before it is ended with 480 (default 90, 10-600). */
  ringTimeout?: number;
}

export const TRUST_KEYS = ["dialLinksWithoutConfirm", "autoAnswerFrom", "followDomains", "ringTimeout"] as const;
export const DEFAULT_RING_TIMEOUT_S = 90;

const HOST_PATTERN = /^(\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$|^\[[0-9a-f:.]+\]$/i;

/** `host` is one of `patterns` ("example.com" matches itself, "*.example.com" its subdomains). */
export function hostMatches(host: string, patterns: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return patterns.some((p) => {
    const q = p.toLowerCase();
    return q.startsWith("*.") ? h.endsWith(q.slice(1)) && h.length > q.length - 1 : h === q;
  });
}

function checkHosts(value: unknown, field: string, problems: ConfigProblem[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length > 50 || !value.every((h) => typeof h === "string" && h.length <= 253 && HOST_PATTERN.test(h))) {
    problems.push({ field, message: 'must be a list of host names such as "pbx.example.com" or "*.example.com"' });
  }
}

export function checkTrust(a: Record<string, unknown>, at: string, problems: ConfigProblem[]): void {
  if (a.dialLinksWithoutConfirm !== undefined && typeof a.dialLinksWithoutConfirm !== "boolean") {
    problems.push({ field: `${at}.dialLinksWithoutConfirm`, message: "must be true or false" });
  }
  checkHosts(a.autoAnswerFrom, `${at}.autoAnswerFrom`, problems);
  checkHosts(a.followDomains, `${at}.followDomains`, problems);
  const t = a.ringTimeout;
  if (t !== undefined && (!Number.isInteger(t) || (t as number) < 10 || (t as number) > 600)) {
    problems.push({ field: `${at}.ringTimeout`, message: "must be a whole number of seconds from 10 to 600" });
  }
}
