import { wordsFor } from "../i18n/languages.js";
import type { LineSnapshot } from "../sip/api/line-state.js";
import { getLogger } from "../sip/core/logger.js";
import {
  dialParam,
  HANDED_PARAM,
  handedParam,
  LAUNCH_CHANNEL,
  OFFERED_PARAM,
  offerToOpenWindow,
  openLaunchChannel,
  wasOffered,
  type LaunchMessage,
  type LaunchOffer,
} from "./launch-handoff.js";
import { hasUsableLine, lineReady } from "./line-ready.js";

export { dialParam };

const log = getLogger("launch");

/** What the launch handling needs of the phone element (kept small so it is easy to test). */
export interface Dialler {
  readonly ready: Promise<void>;
  readonly lines: LineSnapshot[];
  /** The language the element speaks (SipPhone.language): the notices speak it too. */
  readonly language?: string;
  /**
   * Dials only once the user has confirmed (or the line skips that: dialLinksWithoutConfirm);
   * undefined when they cancel. A link is a request, not a command: another site can open it.
   */
  confirmDial(target: string): Promise<string | undefined>;
  showNotice(text: string, kind: "info" | "error"): void;
  addEventListener(type: "line-state", listener: () => void): void;
  removeEventListener(type: "line-state", listener: () => void): void;
}

/** Where a number from a link waits while no account is set up (survives the set-up, not the tab). */
const PENDING_KEY = "webphone-pending-dial";

/**
 * `tel:`/`sip:` links (the manifest's protocol_handlers, registerProtocolHandler) and links to
 * `/?dial=…` land here. Any site can open such a link, so none of them dials by itself: the
 * phone shows the number and the line, and the user presses Call (confirmDial). The number
 * goes to a phone window that is already open if there is one (this window then says so and
 * closes if it can), which asks there; otherwise it is asked here, once a line is ready. With no
 * account set up, it is kept and asked after set-up.
 */
export async function dialFromUrl(
  phone: Dialler,
  url: URL,
  channel = openLaunchChannel(),
  /** The same number, offered already as the page started (src/early-launch.ts). */
  early?: LaunchOffer,
): Promise<void> {
  // The service worker handed the number to an open window at the navigation (src/sw-launch.ts).
  // Any site can write `handed` into a link: it only shows a notice and never dials, here or
  // anywhere (the open window dials only numbers offered on the channel, as it did before).
  const handed = handedParam(url);
  if (handed) {
    forget(url, HANDED_PARAM, "dial", OFFERED_PARAM);
    passedOn(phone, handed);
    return;
  }
  const target = dialParam(url);
  if (!target) return;
  // `offered=1`: the service worker offered it already and no window took it; not offered again.
  // A site can write it too: it only skips the hand-off, the number is asked about here as ever.
  const offered = wasOffered(url);
  forget(url, "dial", OFFERED_PARAM);
  const taken = offered ? undefined : early?.target === target ? early.taken : channel ? offerToOpenWindow(channel, target) : undefined;
  if (await taken) {
    passedOn(phone, target);
    return;
  }
  await dialWhenReady(phone, target);
}

/** The parameters taken out of the page's address, so that a reload does not act on them again. */
function forget(url: URL, ...names: string[]): void {
  for (const name of names) url.searchParams.delete(name);
  history.replaceState(null, "", url);
}

/** The number went to a phone window already open: this one says so, and closes if it may. */
function passedOn(phone: Dialler, target: string): void {
  phone.showNotice(wordsFor(phone.language).t("launch.passedOn", { target }), "info");
  window.close();
}

/** The other side of the hand-off: an open window takes numbers from windows opened by links. */
export function acceptLaunches(phone: Dialler, channel = openLaunchChannel()): void {
  if (!channel) return;
  const leaving = leavingWatch(phone);
  channel.addEventListener("message", (e: MessageEvent<LaunchMessage>) => {
    const m = e.data;
    if (m?.type !== "dial" || typeof m.target !== "string") return;
    if (!hasUsableLine(phone)) return; // a window that cannot dial does not take it
    if (leaving()) return; // nor one on its way out: the number would go with it
    // Several open windows: the first to take the lock asks the user, the others see it taken.
    const take = () => {
      channel.postMessage({ type: "taken", id: m.id } satisfies LaunchMessage);
      // Then `dialled`, for a service worker holding the new page until the INVITE has gone.
      void dialWhenReady(phone, m.target).finally(() => channel.postMessage({ type: "dialled", id: m.id } satisfies LaunchMessage));
    };
    const locks = (navigator as { locks?: LockManager }).locks;
    if (!locks) return take();
    void locks.request(`${LAUNCH_CHANNEL}:${m.id}`, { ifAvailable: true }, async (lock) => {
      if (!lock) return;
      take();
      // Held a little while, so a window that sees the message later does not take it again.
      await new Promise((r) => setTimeout(r, 5000));
    });
  });
}

/** How long a window being left takes no numbers: about a navigation's time, at most. */
const LEAVING_MS = 3000;

/**
 * Whether this window is on its way out. A `?dial=` link opened in the phone's own tab is
 * offered by the service worker while the page it replaces is still here (src/sw-launch.ts),
 * and only that page is open: taken, the number would go with it and the new page would say it
 * went to another window. `beforeunload` comes before the navigation's request. Listened to only
 * while this window could take a number (a usable line): a `beforeunload` listener keeps Firefox
 * from putting the page in its back/forward cache (unload-guard.ts), which an idle phone without
 * a line need not lose. A navigation the user stays on (the call's prompt, a download) makes it
 * take none for LEAVING_MS: the new window asks about the number itself then.
 */
function leavingWatch(phone: Dialler): () => boolean {
  let leftAt = -Infinity;
  const onLeave = () => {
    leftAt = performance.now();
  };
  let listening = false;
  const update = () => {
    if (hasUsableLine(phone) === listening) return;
    listening = !listening;
    if (listening) globalThis.addEventListener?.("beforeunload", onLeave);
    else globalThis.removeEventListener?.("beforeunload", onLeave);
  };
  update();
  phone.addEventListener("line-state", update);
  return () => performance.now() - leftAt < LEAVING_MS;
}

/** PWA launches with launch_handler "focus-existing" arrive in the open window's launch queue. */
export function acceptLaunchQueue(phone: Dialler): void {
  const queue = (window as { launchQueue?: { setConsumer(c: (p: { targetURL?: string }) => void): void } }).launchQueue;
  queue?.setConsumer((params) => {
    if (!params.targetURL) return;
    const target = dialParam(new URL(params.targetURL));
    if (target) void dialWhenReady(phone, target);
  });
}

/** A number kept from a link while there was no account: offered once a line can dial. */
export function resumePendingDial(phone: Dialler): void {
  const pending = sessionStorage.getItem(PENDING_KEY);
  if (pending) void dialWhenReady(phone, pending);
}

/**
 * A link's number waits for a line that can call. When every line has stopped trying for now
 * (the network is gone, the server refuses), the user is told that the number is kept, so that a
 * link clicked offline does not look lost; a start's few milliseconds of connecting say nothing.
 */
function sayKeptWhileNoLine(phone: Dialler, target: string): void {
  const check = () => {
    if (hasUsableLine(phone)) return phone.removeEventListener("line-state", check);
    if (!phone.lines.every((l) => l.state === "failed" || l.state === "disabled")) return;
    phone.removeEventListener("line-state", check);
    phone.showNotice(wordsFor(phone.language).t("launch.waitingForLine", { target }), "info");
  };
  phone.addEventListener("line-state", check);
  check();
}

async function dialWhenReady(phone: Dialler, target: string): Promise<void> {
  await phone.ready;
  if (phone.lines.length === 0) {
    sessionStorage.setItem(PENDING_KEY, target);
    phone.showNotice(wordsFor(phone.language).t("launch.noAccount", { target }), "info");
  } else if (!hasUsableLine(phone)) {
    sayKeptWhileNoLine(phone, target);
  }
  await lineReady(phone);
  sessionStorage.removeItem(PENDING_KEY);
  try {
    if ((await phone.confirmDial(target)) === undefined) log.info("link not dialled: the user cancelled");
  } catch (e) {
    log.info("link not dialled:", (e as Error).message);
    phone.showNotice(`${(e as Error).message}`, "error");
  }
}
