import { describe, expect, it } from "vitest";
import type { AccountConfig } from "../config/phone-config.js";
import { sameIdentity, withSavedSecrets } from "./saved-secrets.js";

const saved: AccountConfig = {
  id: "office",
  sipUri: "sip:1001@pbx.example.com",
  password: "real-pw",
  servers: ["wss://pbx1.example.com/ws", "wss://pbx2.example.com/ws"],
  iceServers: [{ urls: "turn:turn.example.com:3478", username: "anna", credential: "turn-pw" }],
};
const exported: AccountConfig = { ...saved, password: "", iceServers: [{ urls: "turn:turn.example.com:3478", username: "anna" }] };

describe("a saved password is kept only for the same identity", () => {
  it("export → edit the label → import: the password and the TURN credential are kept", () => {
    const { account, passwordDropped } = withSavedSecrets({ ...exported, label: "Front desk" }, saved);
    expect(account).toEqual({ ...saved, label: "Front desk" });
    expect(passwordDropped).toBe(false);
  });

  it("the same servers in another order, or an explicit auth user equal to the address's user, are the same identity", () => {
    expect(sameIdentity(saved, { ...saved, servers: [...saved.servers].reverse() })).toBe(true);
    expect(sameIdentity(saved, { ...saved, authUser: "1001" })).toBe(true);
  });

  it.each<[string, Partial<AccountConfig>]>([
    ["another server", { servers: ["wss://evil.example.net/ws"] }],
    ["one more server", { servers: [...saved.servers, "wss://evil.example.net/ws"] }],
    ["another address", { sipUri: "sip:1001@evil.example.net" }],
    ["another user", { sipUri: "sip:1002@pbx.example.com" }],
    ["another auth user", { authUser: "admin" }],
    ["an outbound proxy", { outboundProxy: "sip:evil.example.net;lr" }],
  ])("%s: the password is empty and the line needs it again", (_what, change) => {
    const { account, passwordDropped } = withSavedSecrets({ ...exported, ...change }, saved);
    expect(account.password).toBe("");
    expect(passwordDropped).toBe(true);
  });

  it("a password given in the file is taken as it is, whatever changed", () => {
    const given = { ...saved, servers: ["wss://new.example.com/ws"], password: "new-pw" };
    expect(withSavedSecrets(given, saved)).toEqual({ account: given, passwordDropped: false });
  });

  it("a new line (no saved one) keeps what it has, an empty password included", () => {
    const fresh = { ...exported, id: "new" };
    expect(withSavedSecrets(fresh, undefined)).toEqual({ account: fresh, passwordDropped: false });
  });

  it("a saved empty password is no password to drop", () => {
    expect(withSavedSecrets({ ...exported, servers: ["wss://x.example.com"] }, { ...saved, password: "" }).passwordDropped).toBe(false);
  });

  it("a TURN credential is kept only for the same TURN URLs and user", () => {
    const other = withSavedSecrets({ ...exported, iceServers: [{ urls: "turn:evil.example.net:3478", username: "anna" }] }, saved);
    expect(other.account.iceServers).toEqual([{ urls: "turn:evil.example.net:3478", username: "anna" }]);
    const user = withSavedSecrets({ ...exported, iceServers: [{ urls: "turn:turn.example.com:3478", username: "bob" }] }, saved);
    expect(user.account.iceServers).toEqual([{ urls: "turn:turn.example.com:3478", username: "bob" }]);
  });
});
