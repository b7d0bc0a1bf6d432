// Gives every <sip-phone> the real app (a Phone on the web platform, storage, tabs). The entry
// points import this first: ES modules run in import order, and defining the element (when
// components/sip-phone.ts runs) upgrades the <sip-phone> already in the page, which then builds
// its app at once. Components know the app only through the factory (components/app-factory.ts).
//
// The app is its own chunk (components/deferred-app.ts): the element paints while the SIP stack
// loads, instead of after it. Both fetches start here, the first thing the entry runs, before
// Lit and the components are evaluated: the app's code, and the reads of what was saved
// (IndexedDB and the password's decryption need nothing of the SIP stack).
import type { StoredStart } from "./app/stored-start.js";
import { setAppFactory } from "./components/app-factory.js";
import { deferredApp, type EarlyStartedApp } from "./components/deferred-app.js";

const composing = import("./app/compose.js");
let stored: Promise<StoredStart> | undefined = import("./app/stored-start.js").then(({ readStoredStart }) => readStoredStart());
// Each is taken by the first phone's start(), which reports a failure in words: not an unhandled rejection meanwhile.
stored.catch(() => undefined);
composing.catch(() => undefined);

/** The app started by startFirstApp(), waiting for the page's <sip-phone>. */
let started: EarlyStartedApp | undefined;

function nextApp(startNow: boolean): EarlyStartedApp {
  // The first phone takes the reads under way; another phone on the page reads for itself.
  const first = stored;
  stored = undefined;
  return deferredApp(() => composing.then(({ createPhoneApp }) => createPhoneApp({ stored: first })), { startNow });
}

setAppFactory(() => {
  const app = started ?? nextApp(false);
  started = undefined;
  return app;
});

/**
 * The app page (src/main.ts): its one <sip-phone>'s app, started now, before the element and
 * its views are loaded, so that registering does not wait behind building the UI. The element
 * takes this app when it is defined.
 */
export function startFirstApp(): EarlyStartedApp {
  started ??= nextApp(true);
  return started;
}
