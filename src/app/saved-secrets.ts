import { parseSipUri, type AccountConfig, type IceServerConfig } from "../config/phone-config.js";

/** What a saved password answers for: the account it identifies and where it is sent. */
export type AccountIdentity = Pick<AccountConfig, "sipUri" | "authUser" | "servers" | "outboundProxy">;

/**
 * The password is sent (as digest answers) to these servers for this user: a file or form that
 * changes any of them must bring the password again. Otherwise a crafted "new configuration"
 * with the same line id and another server would get answers computed with the real password.
 * The outbound proxy counts too: every request, REGISTER included, is routed through it.
 * Server order does not matter (the password goes to each of them anyway).
 */
export function sameIdentity(a: AccountIdentity, b: AccountIdentity): boolean {
  const authUser = (x: AccountIdentity) => x.authUser?.trim() || parseSipUri(x.sipUri)?.user;
  const servers = (x: AccountIdentity) => [...new Set(x.servers.map((s) => s.trim()))].sort().join("\n");
  return (
    a.sipUri.trim() === b.sipUri.trim() &&
    authUser(a) === authUser(b) &&
    servers(a) === servers(b) &&
    (a.outboundProxy?.trim() || "") === (b.outboundProxy?.trim() || "")
  );
}

const urlsOf = (s: IceServerConfig) => (Array.isArray(s.urls) ? s.urls : [s.urls]).join(",");

/**
 * `incoming` (from an import file or the account editor, neither of which holds the saved
 * secrets) with the saved ones filled in where it left them empty:
 * - the password, only when the identity (address, auth user, servers, proxy) is unchanged;
 * - a TURN credential, only for the same TURN URLs and user name (it is sent to that server).
 * Returns the account and whether a saved password was dropped (the line needs it again).
 */
export function withSavedSecrets(
  incoming: AccountConfig,
  saved: AccountConfig | undefined,
): { account: AccountConfig; passwordDropped: boolean } {
  if (!saved) return { account: incoming, passwordDropped: false };
  const keepPassword = incoming.password === "" && saved.password !== "";
  const trusted = sameIdentity(incoming, saved);
  const account: AccountConfig = { ...incoming, ...(keepPassword && trusted ? { password: saved.password } : {}) };
  if (incoming.iceServers) {
    account.iceServers = incoming.iceServers.map((s) => {
      if (s.credential || !s.username) return s;
      const same = saved.iceServers?.find((o) => o.credential && o.username === s.username && urlsOf(o) === urlsOf(s));
      return same ? { ...s, credential: same.credential } : s;
    });
  }
  return { account, passwordDropped: keepPassword && !trusted };
}
