import { wordsFor } from "../i18n/languages.js";
import type { LineSnapshot } from "../sip/api/line-state.js";
import { getLogger } from "../sip/core/logger.js";
import { dialParam, LAUNCH_CHANNEL, offerToOpenWindow, openLaunchChannel, type LaunchMessage, type LaunchOffer } from "./launch-handoff.js";
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
  const target = dialParam(url);
  if (!target) return;
  url.searchParams.delete("dial");
  history.replaceState(null, "", url);
  const taken = early?.target === target ? early.taken : channel ? offerToOpenWindow(channel, target) : undefined;
  if (await taken) {
    phone.showNotice(`${target} was passed to your other phone window: confirm the call there`, "info");
    window.close();
    return;
  }
  await dialWhenReady(phone, target);
}

/** The other side of the hand-off: an open window takes numbers from windows opened by links. */
export function acceptLaunches(phone: Dialler, channel = openLaunchChannel()): void {
  if (!channel) return;
  channel.addEventListener("message", (e: MessageEvent<LaunchMessage>) => {
    const m = e.data;
    if (m?.type !== "dial" || typeof m.target !== "string") return;
    if (!hasUsableLine(phone)) return; // a window that cannot dial does not take it
    // Several open windows: the first to take the lock asks the user, the others see it taken.
    const take = () => {
      channel.postMessage({ type: "taken", id: m.id } satisfies LaunchMessage);
      void dialWhenReady(phone, m.target);
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

async function dialWhenReady(phone: Dialler, target: string): Promise<void> {
  await phone.ready;
  if (phone.lines.length === 0) {
    sessionStorage.setItem(PENDING_KEY, target);
    phone.showNotice(wordsFor(phone.language).t("launch.noAccount", { target }), "info");
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
