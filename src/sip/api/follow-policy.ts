import type { AccountConfig } from "../../config/phone-config.js";
import { hostMatches } from "../../config/trust-config.js";
import { checkTargetUri, uriHost, type TargetProblem } from "../core/header-guard.js";

/** Transfers and redirects followed by themselves in a row, per dial (docs/security.md). */
export const MAX_FOLLOW_HOPS = 3;

export type FollowDecision =
  /** Go there without asking. `uri` is the checked target (its `?headers` dropped). */
  | { action: "follow"; uri: string }
  /** Only with the user's yes: another domain, or too many hops in a row. */
  | { action: "ask"; uri: string; why: "domain" | "hops" }
  /** Never: not a SIP URI we would send a request to. */
  | { action: "refuse"; problem: TargetProblem };

/**
 * Where a remote party may send us (an in-dialog REFER, a 3xx): by themselves only to the
 * line's own domain or the account's `followDomains`, and at most MAX_FOLLOW_HOPS times in a
 * row; anything else needs the user, who is shown the full URI (a display name can say anything).
 */
export function followPolicy(target: string, account: AccountConfig, lineDomain: string, hops: number): FollowDecision {
  const checked = checkTargetUri(target);
  if (!checked.ok) return { action: "refuse", problem: checked.problem };
  const host = uriHost(checked.uri) ?? "";
  const trusted = account.followDomains ?? [lineDomain];
  if (!hostMatches(host, trusted)) return { action: "ask", uri: checked.uri, why: "domain" };
  if (hops >= MAX_FOLLOW_HOPS) return { action: "ask", uri: checked.uri, why: "hops" };
  return { action: "follow", uri: checked.uri };
}
