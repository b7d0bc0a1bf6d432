// Gives every <sip-phone> the real app (a Phone on the web platform, storage, tabs). The entry
// points import this first: ES modules run in import order, and defining the element (when
// components/sip-phone.ts runs) upgrades the <sip-phone> already in the page, which then builds
// its app at once. Components know the app only through the factory (components/app-factory.ts).
//
// The app is its own chunk, fetched the moment an element is built (components/deferred-app.ts):
// the element paints while the SIP stack loads, instead of after it.
import { setAppFactory } from "./components/app-factory.js";
import { deferredApp } from "./components/deferred-app.js";

setAppFactory(() => deferredApp(() => import("./app/compose.js").then(({ createPhoneApp }) => createPhoneApp())));
