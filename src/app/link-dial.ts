import { parseSipUri, type AccountConfig } from "../config/phone-config.js";
import type { LineSnapshot } from "../sip/api/line-state.js";
import { TargetResolver } from "../sip/api/target-resolver.js";

/** What a link would call, shown to the user before it does (docs/security.md, "Links"). */
export interface LinkDialPlan {
  lineId: string;
  /** The line's name as the phone shows it, and its address. */
  line: string;
  aor: string;
  /** The number as the line's rules make it, and the request URI the INVITE would carry. */
  display: string;
  uri: string;
  /** false only for a line with `dialLinksWithoutConfirm` (kiosks, CRM desks). */
  confirm: boolean;
}

const resolver = new TargetResolver();

/**
 * The line a link dials on (the first of `preferred` that exists and is enabled, else the first
 * enabled line) and the number normalised exactly as dialling it there will do: the same
 * location and dial rules, so what the user confirms is what goes on the wire.
 * Undefined without an enabled line (dialling then fails with the phone's own words); rejects
 * with the phone's PhoneError for a number that cannot be dialled.
 */
export async function planLinkDial(
  target: string,
  accounts: readonly AccountConfig[],
  lines: readonly LineSnapshot[],
  preferred: ReadonlyArray<string | undefined>,
): Promise<LinkDialPlan | undefined> {
  const usable = accounts.filter((a) => a.enabled !== false);
  const account = preferred.map((id) => usable.find((a) => a.id === id)).find((a) => a) ?? usable[0];
  if (!account) return undefined;
  // Only the rules are needed to resolve: the password stays out of this.
  const rules: AccountConfig = { ...account, password: "" };
  const { uri, display } = await resolver.resolve(target, rules, parseSipUri(account.sipUri)?.host ?? "");
  const line = lines.find((l) => l.id === account.id);
  return {
    lineId: account.id,
    line: line?.label || account.label || account.displayName || account.sipUri,
    aor: line?.aor ?? account.sipUri,
    display,
    uri: uri.toString(),
    confirm: account.dialLinksWithoutConfirm !== true,
  };
}
