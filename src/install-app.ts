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
import { deferredApp } from "./components/deferred-app.js";

const composing = import("./app/compose.js");
let stored: Promise<StoredStart> | undefined = import("./app/stored-start.js").then(({ readStoredStart }) => readStoredStart());
// Each is taken by the first phone's start(), which reports a failure in words: not an unhandled rejection meanwhile.
stored.catch(() => undefined);
composing.catch(() => undefined);

setAppFactory(() => {
  // The first phone takes the reads under way; another phone on the page reads for itself.
  const first = stored;
  stored = undefined;
  return deferredApp(() => composing.then(({ createPhoneApp }) => createPhoneApp({ stored: first })));
});
