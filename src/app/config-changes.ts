import type { AccountConfig, PhoneConfig } from "../config/phone-config.js";

/** One setting of a line that a new configuration changes. Secrets carry no values. */
export interface FieldChange {
  field: keyof AccountConfig;
  from?: string;
  to?: string;
}

/** What applying a configuration would do to the lines the phone has (data; words in messages.ts). */
export type ConfigChange =
  | { kind: "added"; line: string; sipUri: string; servers: string[] }
  | { kind: "removed"; line: string; sipUri: string }
  | { kind: "changed"; line: string; fields: FieldChange[] };

const SECRET: ReadonlySet<keyof AccountConfig> = new Set(["password", "iceServers"]);

const show = (v: unknown): string | undefined =>
  v === undefined
    ? undefined
    : typeof v === "string"
      ? v
      : Array.isArray(v) && v.every((x) => typeof x === "string")
        ? v.join(", ")
        : JSON.stringify(v);

const labelOf = (a: AccountConfig) => a.label || a.displayName || a.sipUri;

/**
 * The difference between the lines the phone has and `next`, line by line (matched by id): what
 * a provisioning link would change, for the user to see before saying yes. Identity and
 * servers come first, since they decide where calls and passwords go.
 */
export function configChanges(current: PhoneConfig, next: PhoneConfig): ConfigChange[] {
  const before = new Map(current.accounts.map((a) => [a.id, a]));
  const changes: ConfigChange[] = [];
  for (const a of next.accounts) {
    const old = before.get(a.id);
    if (!old) {
      changes.push({ kind: "added", line: labelOf(a), sipUri: a.sipUri, servers: a.servers });
      continue;
    }
    const keys = new Set([...Object.keys(old), ...Object.keys(a)] as Array<keyof AccountConfig>);
    const order: Array<keyof AccountConfig> = ["sipUri", "authUser", "servers", "outboundProxy", "password"];
    const fields: FieldChange[] = [...order.filter((k) => keys.has(k)), ...[...keys].filter((k) => !order.includes(k)).sort()]
      .filter((k) => JSON.stringify(old[k]) !== JSON.stringify(a[k]))
      .map((k) => (SECRET.has(k) ? { field: k } : { field: k, from: show(old[k]), to: show(a[k]) }));
    if (fields.length) changes.push({ kind: "changed", line: labelOf(old), fields });
  }
  const kept = new Set(next.accounts.map((a) => a.id));
  for (const a of current.accounts) if (!kept.has(a.id)) changes.push({ kind: "removed", line: labelOf(a), sipUri: a.sipUri });
  return changes;
}
