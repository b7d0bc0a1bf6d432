import { wordsFor } from "../i18n/languages.js";
import type { LineSnapshot } from "../sip/api/line-state.js";
import { getLogger } from "../sip/core/logger.js";
import { hasUsableLine, lineReady } from "./line-ready.js";

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
const CHANNEL = "webphone-launch";
/** How long a newly opened window waits for an open one to take the number. */
const HANDOFF_WAIT_MS = 400;

type LaunchMessage = { type: "dial"; id: string; target: string } | { type: "taken"; id: string };

/**
 * `tel:`/`sip:` links (the manifest's protocol_handlers, registerProtocolHandler) and links to
 * `/?dial=…` land here. Any site can open such a link, so none of them dials by itself: the
 * phone shows the number and the line, and the user presses Call (confirmDial). The number
 * goes to a phone window that is already open if there is one (this window then says so and
 * closes if it can), which asks there; otherwise it is asked here, once a line is ready. With no
 * account set up, it is kept and asked after set-up.
 */
export async function dialFromUrl(phone: Dialler, url: URL, channel = openChannel()): Promise<void> {
  const target = dialParam(url);
  if (!target) return;
  url.searchParams.delete("dial");
  history.replaceState(null, "", url);
  if (channel && (await handedOff(channel, target))) {
    phone.showNotice(`${target} was passed to your other phone window: confirm the call there`, "info");
    window.close();
    return;
  }
  await dialWhenReady(phone, target);
}

/** The other side of the hand-off: an open window takes numbers from windows opened by links. */
export function acceptLaunches(phone: Dialler, channel = openChannel()): void {
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
    void locks.request(`${CHANNEL}:${m.id}`, { ifAvailable: true }, async (lock) => {
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

/**
 * The `dial` parameter, percent-decoded but with `+` kept: browsers escape it in protocol
 * handler URLs (`%2B`), but a hand-written `/?dial=+4315056410` means a plus, not a space.
 */
export function dialParam(url: URL): string | undefined {
  const raw = /[?&]dial=([^&#]*)/.exec(url.search)?.[1];
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw).trim() || undefined;
  } catch {
    return raw;
  }
}

function openChannel(): BroadcastChannel | undefined {
  return typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL) : undefined;
}

function handedOff(channel: BroadcastChannel, target: string): Promise<boolean> {
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return new Promise((resolve) => {
    const onMessage = (e: MessageEvent<LaunchMessage>) => {
      if (e.data?.type === "taken" && e.data.id === id) finish(true);
    };
    const finish = (taken: boolean) => {
      clearTimeout(timer);
      channel.removeEventListener("message", onMessage);
      resolve(taken);
    };
    const timer = setTimeout(() => finish(false), HANDOFF_WAIT_MS);
    channel.addEventListener("message", onMessage);
    channel.postMessage({ type: "dial", id, target } satisfies LaunchMessage);
  });
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
