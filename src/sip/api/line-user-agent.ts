import { SIPExtension, UserAgent, type UserAgentDelegate, type UserAgentOptions } from "sip.js";
import type { AccountConfig } from "../../config/phone-config.js";
import { getLogger } from "../core/logger.js";
import type { LineDeps } from "./line-options.js";

const log = getLogger("line");

/**
 * The SIP.js UserAgent options of a line: who it is, where it connects first, which extensions
 * it says it supports. Reconnection is off: the Line reconnects itself (SIP.js #1095).
 */
export function userAgentOptions(
  account: AccountConfig,
  user: string,
  server: string,
  deps: Pick<LineDeps, "transportConstructor" | "logConnector" | "sdhFactory">,
  delegate: UserAgentDelegate,
): UserAgentOptions {
  const uri = UserAgent.makeURI(account.sipUri.replace(/^sips:/i, "sip:"));
  if (!uri) throw new Error(`invalid sipUri ${account.sipUri}`);
  return {
    uri,
    displayName: account.displayName,
    authorizationUsername: account.authUser || user,
    authorizationPassword: account.password,
    transportOptions: { server, connectionTimeout: 5 },
    transportConstructor: deps.transportConstructor as never,
    preloadedRouteSet: account.outboundProxy ? [account.outboundProxy] : [],
    reconnectionAttempts: 0,
    logBuiltinEnabled: false,
    logLevel: "warn",
    logConnector:
      deps.logConnector ??
      ((level, category, _label, content) => {
        if (level === "error") log.warn(category, content);
      }),
    sessionDescriptionHandlerFactory: deps.sdhFactory,
    userAgentString: "WebPhone/0.1",
    // Attended transfer to us: an INVITE with Replaces takes the place of a call we are in.
    sipExtensionReplaces: SIPExtension.Supported,
    // Session timers (RFC 4028, session-timer.ts): every Supported header says we do them.
    sipExtensionExtraSupported: ["timer"],
    delegate,
  };
}
