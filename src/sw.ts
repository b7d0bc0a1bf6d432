/// <reference lib="webworker" />
// The service worker: precaches the app shell (list injected at build time by vite-plugin-pwa).
// It never calls skipWaiting() by itself: the page asks for it only when the user agrees and no
// call is up, so that an update never cuts a call.
import { cacheNames } from "workbox-core";
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from "workbox-precaching";
import { onCallNotificationClick, type ClientsLike } from "./notification-click.js";
import { launchRedirect, launchTarget } from "./sw-launch.js";

declare const self: ServiceWorkerGlobalScope;

/**
 * A `?dial=` link opened in a new window: its number goes to a phone window already open at the
 * navigation, before the new page loads (src/sw-launch.ts). Registered before workbox's route,
 * so this listener answers first; every other request goes on to it.
 */
self.addEventListener("fetch", (event: FetchEvent) => {
  if (event.request.mode !== "navigate") return;
  const url = new URL(event.request.url);
  if (!launchTarget(url)) return;
  // respondWith must be called now, while whether a window is open is known only later: with
  // none, the page itself, from the precache as any other start (offline too: a link clicked
  // with no network opens the phone, which shows its lines offline and keeps the number).
  event.respondWith(
    launchRedirect(url, self.clients)
      .catch(() => undefined)
      .then(async (location) => (location ? Response.redirect(location, 303) : ((await appPage()) ?? fetch(event.request)))),
  );
  event.stopImmediatePropagation();
});

/** The app page as precached (the same version as this worker), undefined before the precache is complete. */
function appPage(): Promise<Response | undefined> {
  return matchPrecache("index.html");
}

// Every query is ignored when matching the precache: the app's pages differ only by their query
// (`?dial=`, `?provision=`, the hand-off's markers), which the page reads, and the hashed assets
// have none. Workbox ignores only utm_* and fbclid by default, so that a link with a number went
// to the network, and failed offline (the PWA's protocol handler opens `/?dial=%s`).
precacheAndRoute(self.__WB_MANIFEST, { ignoreURLParametersMatching: [/.*/] });
cleanupOutdatedCaches();

/**
 * The hashed chunks (/assets/) come straight from the precache, without running this worker
 * (the Static Routing API, Chrome 123+; elsewhere workbox's route above serves them): a start
 * fetches some twenty chunks, and dispatching each to the worker's fetch handler cost a
 * returning user's start ~20 ms (e2e/bench/load-timeline.mjs, docs/performance.md). A chunk
 * not in the cache falls back to the network. Hashed names never change content, so the cache
 * cannot serve a stale one.
 */
self.addEventListener("install", (event: ExtendableEvent) => {
  const routes = (event as ExtendableEvent & { addRoutes?: (rules: unknown) => Promise<void> }).addRoutes;
  if (!routes) return;
  event.waitUntil(
    routes
      .call(event, {
        condition: { urlPattern: { pathname: "/assets/*" }, requestMethod: "GET" },
        source: { cacheName: cacheNames.precache },
      })
      .catch(() => undefined),
  );
});

self.addEventListener("message", (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: string } | null)?.type === "SKIP_WAITING") void self.skipWaiting();
});

/**
 * A call notification was clicked (raised by the page through this registration, see
 * src/app/pwa.ts): focus the phone's window, or open one, and pass on Answer or Decline.
 */
self.addEventListener("notificationclick", (event: NotificationEvent) => {
  event.notification.close();
  event.waitUntil(onCallNotificationClick(event.action, event.notification.data, self.clients as unknown as ClientsLike));
});
