// The library build (vite.lib.config.ts): one ES module that defines <sip-phone> and
// <sip-call-button> for intranet pages on any origin, with no build step on their side:
//   <script type="module" src="https://phone.example.com/lib/webphone.js"></script>
// It registers no service worker (the host page owns its origin's worker) and handles no
// ?dial= links (that is the app page's job, src/main.ts).
// First: the app factory must be set before the element is defined (see install-app.ts).
import "./install-app.js";
export { SipPhone } from "./components/sip-phone.js";
export { SipCallButton } from "./components/sip-call-button.js";
export type { AccountConfig, PhoneConfig, ConfigProblem, LocationConfig, NumberRule, NumberRules } from "./config/phone-config.js";
export { ConfigError } from "./config/phone-config.js";
export type { CallSnapshot, CallState, EndReason } from "./sip/api/call-state.js";
export type { LineSnapshot, LineState } from "./sip/api/line-state.js";
export type { CallStats } from "./sip/api/platform.js";
export type { CallQuality } from "./sip/api/call-quality.js";
