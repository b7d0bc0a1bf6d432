// The app page's views: the <sip-phone> element plus what only a full page does (service
// worker, provisioning link). Loaded by the entry (main.ts) once the phone has registered, or
// a moment after it started; the app is already running (install-app.ts startFirstApp) and the
// element takes it when it is defined here.
import { earlyLaunch } from "./early-launch.js";
import { pickLanguage } from "./i18n/languages.js";
import "./components/sip-phone.js";
import { acceptLaunches, acceptLaunchQueue, dialFromUrl, resumePendingDial } from "./app/launch.js";

// The app page speaks the browser's language (the phone follows the document's `lang`), unless
// a deployment fixed one: its index.html then has lang="de" and no data-lang-auto
// (docs/translating.md). Set before the element renders, so the page's lang is its text's.
const root = document.documentElement;
if (root.hasAttribute("data-lang-auto")) {
  root.lang = pickLanguage(navigator.languages ?? [navigator.language]);
  root.removeAttribute("data-lang-auto");
}

const phone = document.querySelector("sip-phone");
if (phone) {
  const url = new URL(location.href);
  // Provisioning first: a link may carry both a configuration and a number to dial.
  // The provisioning code loads only for a link that carries a configuration.
  const dialling = () => {
    resumePendingDial(phone);
    void dialFromUrl(phone, url, undefined, earlyLaunch);
  };
  // Without one, the number was offered to a phone open in another window as the page began
  // (early-launch.ts); this window asks about it only if none took it.
  if (url.searchParams.has("provision"))
    void import("./app/provision.js").then(({ provisionFromUrl }) => provisionFromUrl(phone, url)).then(dialling);
  else dialling();
  acceptLaunches(phone);
  acceptLaunchQueue(phone);
}

/**
 * Runs `load` once the phone has started and the main thread is idle: what is not needed to
 * paint and register is neither fetched nor compiled while the phone does that (a returning
 * user's start: e2e/bench/load-timeline.mjs showed these chunks compiled before the REGISTER).
 */
function afterStart(load: () => void): void {
  const started = phone ? phone.ready.catch(() => undefined) : Promise.resolve();
  void started.then(() => {
    if (typeof requestIdleCallback === "function") requestIdleCallback(load, { timeout: 1000 });
    else setTimeout(load, 0);
  });
}

// <sip-call-button> on the app page (a page of the phone's origin may place one): defined once
// the phone is up, not part of the first load; buttons already in the page upgrade then.
afterStart(() => void import("./components/sip-call-button.js"));

if (phone) {
  const view = new URL(location.href).searchParams.get("view");
  if (view) phone.showView(view as "history");
}

if (phone && import.meta.env.PROD && "serviceWorker" in navigator) {
  // Under Trusted Types (see docs/security.md) the worker URL must come from a policy; this one
  // allows exactly our own worker.
  const tt = (globalThis as { trustedTypes?: { createPolicy(n: string, p: object): { createScriptURL(u: string): unknown } } })
    .trustedTypes;
  const policy = tt?.createPolicy("webphone", {
    createScriptURL: (url: string) => {
      if (url !== "/sw.js") throw new TypeError(`not the phone's service worker: ${url}`);
      return url;
    },
  });
  const url = (policy ? policy.createScriptURL("/sw.js") : "/sw.js") as string;
  // Loaded once the phone is up, not in the first load: the worker serves the next visit, and
  // call notifications matter only once a call comes.
  afterStart(
    () =>
      void import("./app/pwa.js").then(async ({ notifyCalls, notifyMessages, registerServiceWorker }) => {
        const reg = await registerServiceWorker(url, phone);
        if (reg) notifyCalls(phone, reg, () => phone.holdsConnection);
        if (reg) notifyMessages(phone, reg, () => phone.holdsConnection);
      }),
  );
}
