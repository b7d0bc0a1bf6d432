import { DEFAULT_ALERT_TONES, DEFAULT_RINGTONE, type RingtonesConfig } from "../../config/ringtones.js";
import type { AlertCode } from "./alert-info.js";

/**
 * The tone a ringing call plays: the line's tone for its kind of call (`alertTones`, keyed
 * `internal`, `external` or a pattern's name), else the line's `ringtone`, else the default.
 * The kind is the INVITE's Alert-Info (`alert`, alert-info.ts) when it says one; without it, a
 * caller the line counts as internal (`internalCallers`, forwarding.ts isInternalCaller) rings as
 * `internal`: the PBX that sends no Alert-Info still gets its colleagues told apart.
 */
export function ringtoneFor(account: RingtonesConfig, alert: AlertCode | undefined, internalCaller: boolean | undefined): string {
  const lineTone = account.ringtone ?? DEFAULT_RINGTONE;
  const kind = alert ?? (internalCaller ? "internal" : undefined);
  if (!kind) return lineTone;
  const key = kind.startsWith("pattern:") ? kind.slice("pattern:".length) : kind;
  const tones = { ...DEFAULT_ALERT_TONES, ...account.alertTones };
  return Object.hasOwn(tones, key) ? tones[key]! : lineTone;
}

const RINGING_KEYS = ["ringtone", "alertTones"] as const;

/**
 * When `next` differs from the line's `account` in its ringtones only, copies them onto it and
 * says true: a ringtone chosen in Settings then applies to the next call without the line
 * re-registering (or a call in progress ending). False, and nothing changed, otherwise.
 */
export function tookRingtones(account: RingtonesConfig, next: RingtonesConfig): boolean {
  const others = (a: RingtonesConfig) => JSON.stringify({ ...a, ringtone: undefined, alertTones: undefined });
  if (others(account) !== others(next)) return false;
  for (const key of RINGING_KEYS) {
    if (next[key] === undefined) delete account[key];
    else Object.assign(account, { [key]: next[key] });
  }
  return true;
}
