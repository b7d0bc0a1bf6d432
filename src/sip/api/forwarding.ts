import type { AccountConfig } from "../../config/phone-config.js";
import { MAX_RULE_INPUT, regexHazard } from "../../config/regex-safety.js";
import { normalizeTarget } from "../numbers/sip-target.js";
import { PhoneError } from "./phone-errors.js";

/**
 * Call forwarding as desk phones and the ESTOS driver offer it, per line, several modes at once:
 *
 * - `always`: every call gets 302 to the target before it rings;
 * - `internal` / `external`: the same, for internal callers only / for external callers only
 *   (who is internal: the line's `internalCallers`, else `location.extensionLength`);
 * - `busy`: a call that comes while another call of the phone is up gets 302 instead of call
 *   waiting (a browser phone has one user and one headset: a call on any line makes it busy);
 * - `no-answer`: the call rings here for `after` seconds, then gets 302 (our ring stops).
 *
 * The first three are decided before the call rings, in that order; `no-answer` is carried out
 * by incoming-calls.ts. Turning one mode on never turns another off.
 */
export const FORWARD_MODES = ["always", "busy", "no-answer", "internal", "external"] as const;
export type ForwardMode = (typeof FORWARD_MODES)[number];

export interface ForwardOptions {
  /** Which forwarding this call sets or clears (default "always"). */
  mode?: ForwardMode;
  /** `no-answer` only: seconds of ringing first (default DEFAULT_FORWARD_AFTER_S). */
  after?: number;
}

/** One mode as the line snapshot shows it: the target's user part (or host), and the delay. */
export interface ForwardSetting {
  to: string;
  after?: number;
}
export type LineForwarding = Partial<Record<ForwardMode, ForwardSetting>>;

export const DEFAULT_FORWARD_AFTER_S = 20;
export const MIN_FORWARD_AFTER_S = 1;
export const MAX_FORWARD_AFTER_S = 600;

interface Rule {
  uri: string;
  after?: number;
}

/** What happens to a call the rules touch: 302 to `uri` now, or after `after` seconds of ringing. */
export type ForwardDecision = { uri: string; after?: number };

export function isForwardMode(v: unknown): v is ForwardMode {
  return (FORWARD_MODES as readonly unknown[]).includes(v);
}

export class Forwarding {
  private readonly lines = new Map<string, Map<ForwardMode, Rule>>();

  /**
   * Sets one mode of a line to `target` (resolved on `domain`), or clears it when `target` is
   * undefined; with neither target nor mode every mode of the line is cleared ("forwarding off").
   */
  set(lineId: string, target: string | undefined, domain: string, options: ForwardOptions = {}, account?: AccountConfig): void {
    const mode = options.mode ?? "always";
    if (!isForwardMode(mode)) throw new PhoneError(`Unknown forwarding mode "${String(mode)}"`, "bad-state", { mode: String(mode) });
    const rules = this.lines.get(lineId) ?? new Map<ForwardMode, Rule>();
    if (!target) {
      if (options.mode === undefined) rules.clear();
      else rules.delete(mode);
    } else {
      if ((mode === "internal" || mode === "external") && account && !internalDefinition(account)) {
        throw new PhoneError(`Line "${lineId}" does not say who is internal (internalCallers or location.extensionLength)`, "bad-state", {
          lineId,
          mode,
        });
      }
      const after = mode === "no-answer" ? (options.after ?? DEFAULT_FORWARD_AFTER_S) : undefined;
      if (after !== undefined && (!Number.isInteger(after) || after < MIN_FORWARD_AFTER_S || after > MAX_FORWARD_AFTER_S)) {
        throw new PhoneError(
          `Forwarding on no answer needs a whole number of seconds from ${MIN_FORWARD_AFTER_S} to ${MAX_FORWARD_AFTER_S}`,
          "bad-state",
          { lineId, after },
        );
      }
      let uri: string;
      try {
        uri = normalizeTarget(target, domain).uri;
      } catch (e) {
        throw new PhoneError((e as Error).message, "bad-target", { input: target });
      }
      rules.set(mode, after === undefined ? { uri } : { uri, after });
    }
    if (rules.size) this.lines.set(lineId, rules);
    else this.lines.delete(lineId);
  }

  /**
   * Where a call to `account`'s line goes at once, if anywhere: unconditional, then internal or
   * external by the caller's number, then busy (`busy`: another call of the phone is up).
   */
  now(account: AccountConfig, caller: string, busy: boolean): string | undefined {
    const rules = this.lines.get(account.id);
    if (!rules) return undefined;
    const always = rules.get("always");
    if (always) return always.uri;
    if (rules.has("internal") || rules.has("external")) {
      const internal = isInternalCaller(account, caller);
      const rule = internal === undefined ? undefined : rules.get(internal ? "internal" : "external");
      if (rule) return rule.uri;
    }
    return busy ? rules.get("busy")?.uri : undefined;
  }

  /** Forwarding on no answer of a line: where to, and after how many seconds of ringing. */
  onNoAnswer(lineId: string): ForwardDecision | undefined {
    const rule = this.lines.get(lineId)?.get("no-answer");
    return rule && { uri: rule.uri, after: rule.after ?? DEFAULT_FORWARD_AFTER_S };
  }

  /** The line's modes for its snapshot (targets shortened to their user part); undefined when none. */
  snapshot(lineId: string): LineForwarding | undefined {
    const rules = this.lines.get(lineId);
    if (!rules?.size) return undefined;
    const shown: LineForwarding = {};
    for (const mode of FORWARD_MODES) {
      const rule = rules.get(mode);
      if (rule) shown[mode] = rule.after === undefined ? { to: shortTarget(rule.uri) } : { to: shortTarget(rule.uri), after: rule.after };
    }
    return shown;
  }
}

/** `sip:1003@pbx;x` → `1003` (what a glance needs). */
function shortTarget(uri: string): string {
  return uri.replace(/^sips?:/, "").split(/[;@]/)[0] ?? uri;
}

/** The line's definition of an internal caller, if it has one. */
function internalDefinition(account: AccountConfig): { extensionLength?: number; pattern?: string } | undefined {
  if (account.internalCallers) return account.internalCallers;
  const length = account.location?.extensionLength;
  return length ? { extensionLength: length } : undefined;
}

const patterns = new Map<string, RegExp | undefined>();

/** `pattern` matched against the whole number; undefined when it cannot be used (invalid or hazardous). */
function compiled(pattern: string): RegExp | undefined {
  if (!patterns.has(pattern)) {
    let regex: RegExp | undefined;
    try {
      // The configuration refused hazardous patterns (config/number-config.ts); checked again
      // because a pattern that hangs the page must never run on a caller's number.
      regex = regexHazard(pattern) ? undefined : new RegExp(`^(?:${pattern})$`);
    } catch {
      regex = undefined;
    }
    if (patterns.size > 100) patterns.clear();
    patterns.set(pattern, regex);
  }
  return patterns.get(pattern);
}

/**
 * Whether a caller (the user part of From) is internal to `account`'s line: a pattern matching
 * the whole number, or all digits and at most `extensionLength` of them. Anonymous, named and
 * over-long callers are external. Undefined when the line does not say who is internal.
 */
export function isInternalCaller(account: AccountConfig, caller: string): boolean | undefined {
  const definition = internalDefinition(account);
  if (!definition) return undefined;
  if (!caller || caller.length > MAX_RULE_INPUT) return false;
  if (definition.pattern !== undefined) return compiled(definition.pattern)?.test(caller) ?? false;
  return /^[0-9]+$/.test(caller) && caller.length <= (definition.extensionLength ?? 0);
}
