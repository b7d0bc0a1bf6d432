/// <reference lib="webworker" />
// The service worker: precaches the app shell (list injected at build time by vite-plugin-pwa).
// It never calls skipWaiting() by itself: the page asks for it only when the user agrees and no
// call is up, so that an update never cuts a call.
import { precacheAndRoute, cleanupOutdatedCaches } from "workbox-precaching";

declare const self: ServiceWorkerGlobalScope;

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

self.addEventListener("message", (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: string } | null)?.type === "SKIP_WAITING") void self.skipWaiting();
});
