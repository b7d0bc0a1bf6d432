// The library build (vite.lib.config.ts): ES modules that define <sip-phone> and
// <sip-call-button> for intranet pages on any origin, with no build step on their side:
//   <script type="module" src="https://phone.example.com/lib/webphone.js"></script>
// It registers no service worker (the host page owns its origin's worker) and handles no
// ?dial= links (that is the app page's job, src/main.ts).
//
// This entry is small: <sip-call-button> and a loader. The phone itself (lib-phone.ts, the SIP
// stack and every view) is fetched when the page has a <sip-phone>, now or later, so a page
// with only call buttons loads the phone on the first click of one (a button with `config-url`
// creates the page's hidden phone then). A <sip-phone> inside another element's shadow root is
// not seen: such a page calls definePhone() itself.
export { SipCallButton } from "./components/sip-call-button.js";
export type { SipPhone } from "./components/sip-phone.js";
export type { AccountConfig, PhoneConfig, LocationConfig, NumberRule, NumberRules } from "./config/phone-config.js";
export { ConfigError, type ConfigProblem } from "./config/config-error.js";
export type { CallSnapshot, CallState, EndReason } from "./sip/api/call-state.js";
export type { LineSnapshot, LineState } from "./sip/api/line-state.js";
export type { CallStats } from "./sip/api/platform.js";
export type { CallQuality } from "./sip/api/call-quality.js";

let phone: Promise<typeof import("./lib-phone.js")> | undefined;

/** Fetches the phone and defines `<sip-phone>` (once); resolves with the element's class. */
export function definePhone(): Promise<typeof import("./lib-phone.js").SipPhone> {
  phone ??= import("./lib-phone.js");
  return phone.then((m) => m.SipPhone);
}

if (typeof document !== "undefined") {
  if (document.querySelector("sip-phone")) void definePhone();
  else {
    const seen = new MutationObserver(() => {
      if (!document.querySelector("sip-phone")) return;
      seen.disconnect();
      void definePhone();
    });
    seen.observe(document.documentElement, { childList: true, subtree: true });
  }
}
