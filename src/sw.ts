/// <reference lib="webworker" />
// The service worker: precaches the app shell (list injected at build time by vite-plugin-pwa).
// It never calls skipWaiting() by itself: the page asks for it only when the user agrees and no
// call is up, so that an update never cuts a call.
import { precacheAndRoute, cleanupOutdatedCaches } from "workbox-precaching";
import { onCallNotificationClick, type ClientsLike } from "./notification-click.js";

declare const self: ServiceWorkerGlobalScope;

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

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
