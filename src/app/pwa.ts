import { wordsFor } from "../i18n/languages.js";
import type { Words } from "../i18n/words.js";
import type { CallSnapshot } from "../sip/api/call-state.js";
import type { MessageSnapshot } from "../sip/api/text-message.js";
import { getLogger } from "../sip/core/logger.js";

const log = getLogger("pwa");

/** What the installed app needs of the phone element. */
export interface PwaPhone {
  readonly calls: CallSnapshot[];
  readonly lines: { id: string; label: string }[];
  /** The language the element speaks (SipPhone.language): notifications speak it too. */
  readonly language?: string;
  answer(callId?: string): Promise<void>;
  decline(callId?: string, code?: 486 | 603): Promise<void>;
  /** Shows "a new version is ready"; `apply` runs once the user agreed and no call is up. */
  announceUpdate(apply: () => void): void;
  addEventListener(type: "call-state" | "incoming-call", listener: (e: CustomEvent<CallSnapshot>) => void): void;
  addEventListener(type: "message", listener: (e: CustomEvent<MessageSnapshot>) => void): void;
}

/** The head of a message shown in a notification (the whole text is in the phone). */
const NOTIFIED_CHARS = 200;

/** How often an open phone looks for a new version (it runs all day). */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

/**
 * Registers the service worker and handles updates: a new version waiting is announced, and
 * applied (SKIP_WAITING, then one reload) only when the user agrees and no call is up. The
 * worker never activates by itself (src/sw.ts), so an update never cuts a call.
 *
 * Written on navigator.serviceWorker rather than with workbox-window's `Workbox` class (so the
 * package is not a dependency): the flow is three events either way, and the class would add
 * 3.3 KB minified to the JS loaded at start, defer registration to the `load` event, and flag as
 * "external" any version found over a minute after registering (this page runs all day) or applied
 * by another tab, cases this code treats like any other update.
 */
export async function registerServiceWorker(url: string, phone: PwaPhone): Promise<ServiceWorkerRegistration | undefined> {
  if (!("serviceWorker" in navigator)) return undefined;
  let reg: ServiceWorkerRegistration;
  try {
    reg = await navigator.serviceWorker.register(url, { type: "module" });
  } catch (e) {
    log.warn("service worker not registered:", (e as Error).message);
    return undefined;
  }
  const offer = (worker: ServiceWorker) => phone.announceUpdate(() => worker.postMessage({ type: "SKIP_WAITING" }));
  if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
  reg.addEventListener("updatefound", () => {
    const worker = reg.installing;
    worker?.addEventListener("statechange", () => {
      // "installed" with a controller: an update (the first install has no controller).
      if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
    });
  });
  // The new version took over (here, or another tab applied it): reload, never in a call.
  navigator.serviceWorker.addEventListener("controllerchange", () => whenNoCalls(phone, () => location.reload()));
  setInterval(() => void reg.update().catch(() => undefined), UPDATE_CHECK_MS);
  handleNotificationActions(phone);
  return reg;
}

/** Runs `fn` once the phone has no call left. */
export function whenNoCalls(phone: PwaPhone, fn: () => void): void {
  if (phone.calls.length === 0) return fn();
  const check = () => {
    if (phone.calls.every((c) => c.state === "ended")) {
      fn();
      fn = () => undefined;
    }
  };
  phone.addEventListener("call-state", check);
}

/** Answer/Decline pressed on a call notification: the service worker passes it to this window. */
function handleNotificationActions(phone: PwaPhone): void {
  navigator.serviceWorker.addEventListener("message", (e: MessageEvent<{ type?: string; action?: string; callId?: string }>) => {
    const m = e.data;
    if (m?.type !== "notification-action" || !m.callId) return;
    const act = m.action === "answer" ? phone.answer(m.callId) : m.action === "decline" ? phone.decline(m.callId, 603) : Promise.resolve();
    act.catch((err: Error) => log.info("notification action:", err.message));
  });
}

/**
 * Incoming calls as notifications (with Answer and Decline), closed when the call is answered
 * here or elsewhere or the caller gives up (the missed-call app badge is the element's). Only the tab that
 * holds the phone connection notifies (`leads`), so a call is announced once.
 */
export function notifyCalls(phone: PwaPhone, reg: ServiceWorkerRegistration, leads: () => boolean): void {
  const tag = (id: string) => `call-${id}`;
  phone.addEventListener("incoming-call", (e) => {
    const c = e.detail;
    if (!leads() || typeof Notification === "undefined" || Notification.permission !== "granted") return;
    // The words of the phone's language, already loaded by the element that speaks it.
    const w = wordsFor(phone.language);
    const who = party(w, c.remote, c.remoteName);
    const line = phone.lines.length > 1 ? (phone.lines.find((l) => l.id === c.lineId)?.label ?? c.lineId) : undefined;
    void reg
      .showNotification(w.t("notify.incomingFrom", { who }), {
        body: line ? w.t("notify.callingOn", { line }) : w.t("notify.calling"),
        lang: w.lang,
        tag: tag(c.id),
        requireInteraction: true,
        icon: "/icon-192.png",
        data: { callId: c.id },
        actions: [
          { action: "answer", title: w.t("call.answer") },
          { action: "decline", title: w.t("call.decline") },
        ],
      } as NotificationOptions)
      .catch((err: Error) => log.info("notification not shown:", err.message));
  });
  phone.addEventListener("call-state", (e) => {
    const c = e.detail;
    if (c.state === "incoming") return;
    void reg.getNotifications({ tag: tag(c.id) }).then((list) => list.forEach((n) => n.close()));
  });
}

/**
 * A text message that arrives while the phone is not in view (another tab, minimised, screen
 * locked) as a notification, one per sender (a newer message replaces the older one's). Only
 * the leading tab notifies, as for calls. Notifications show text as text.
 */
export function notifyMessages(phone: PwaPhone, reg: ServiceWorkerRegistration, leads: () => boolean): void {
  phone.addEventListener("message", (e) => {
    const m = e.detail;
    if (m.direction !== "in" || !leads() || document.visibilityState === "visible") return;
    if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
    const w = wordsFor(phone.language);
    const who = party(w, m.remote, m.remoteName);
    const body = m.text.length > NOTIFIED_CHARS ? `${m.text.slice(0, NOTIFIED_CHARS)}…` : m.text;
    void reg
      .showNotification(w.t("notify.messageFrom", { who }), {
        body,
        lang: w.lang,
        tag: `message-${m.remote}`,
        icon: "/icon-192.png",
        data: { remote: m.remote },
      })
      .catch((err: Error) => log.info("notification not shown:", err.message));
  });
}

/** "Carol (1003)", or the number alone (components/messages.ts describeParty, which src/app cannot import). */
function party(w: Words, remote: string, remoteName?: string): string {
  return remoteName ? w.t("party.nameAndNumber", { name: remoteName, number: remote }) : remote;
}
