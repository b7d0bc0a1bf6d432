/**
 * The hand-off of a `?dial=` number (a tel:/sip: link opened in a new window) to a phone window
 * already open, over a BroadcastChannel. Its own small module, with nothing imported: the app
 * page's entry offers the number as the very first thing it runs (src/early-launch.ts), before
 * Lit, the components and the first render are evaluated, so the open phone can dial while this
 * window is still starting (e2e/bench/entry-points.mjs, "tel: link ... link opened -> INVITE").
 */

export const LAUNCH_CHANNEL = "webphone-launch";
/** How long a newly opened window (or the service worker) waits for an open one to take the number. */
export const HANDOFF_WAIT_MS = 400;

/**
 * Markers the service worker puts on a `?dial=` navigation it offered already (src/sw-launch.ts),
 * so that the page it loads does not offer it again. Any site can write them into a link too,
 * so neither may dial anything by itself: `handed=<number>` replaces `dial` and only says where
 * the number went (it never dials); `offered=1` beside `dial` skips the hand-off only, and the
 * number is asked about here as any link's is (confirmDial).
 */
export const HANDED_PARAM = "handed";
export const OFFERED_PARAM = "offered";

/**
 * How long the service worker holds a taken link's navigation for the window that took it to
 * say `dialled` (src/sw-launch.ts): the new page then loads after the INVITE has gone, not
 * beside it on the same cores. Only a courtesy: `taken` alone decides who dials.
 */
export const DIALLED_WAIT_MS = 150;

/**
 * `dial`: a number offered; `taken`: a window has it and will ask or dial (sent at once);
 * `dialled`: that window has dialled it (or the user answered its question).
 */
export type LaunchMessage = { type: "dial"; id: string; target: string } | { type: "taken"; id: string } | { type: "dialled"; id: string };

/** A number offered to the open windows: `taken` resolves true when one of them took it. */
export interface LaunchOffer {
  target: string;
  taken: Promise<boolean>;
}

/**
 * The `dial` parameter, percent-decoded but with `+` kept: browsers escape it in protocol
 * handler URLs (`%2B`), but a hand-written `/?dial=+4315056410` means a plus, not a space.
 */
export function dialParam(url: URL): string | undefined {
  return numberParam(url, "dial");
}

/** The number the service worker handed to an open window (`handed`, read as `dial` is). */
export function handedParam(url: URL): string | undefined {
  return numberParam(url, HANDED_PARAM);
}

/** Whether the service worker offered the `dial` number already and no open window took it. */
export function wasOffered(url: URL): boolean {
  return url.searchParams.get(OFFERED_PARAM) === "1";
}

function numberParam(url: URL, name: string): string | undefined {
  const raw = new RegExp(`[?&]${name}=([^&#]*)`).exec(url.search)?.[1];
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw).trim() || undefined;
  } catch {
    return raw;
  }
}

export function openLaunchChannel(): BroadcastChannel | undefined {
  return typeof BroadcastChannel === "function" ? new BroadcastChannel(LAUNCH_CHANNEL) : undefined;
}

/**
 * Offers `target` to the open windows; resolves whether one took it within HANDOFF_WAIT_MS.
 * With `dialledWaitMs`, a taken number resolves once the window says it has dialled it, or that
 * long after `taken` at the latest.
 */
export function offerToOpenWindow(channel: BroadcastChannel, target: string, dialledWaitMs = 0): Promise<boolean> {
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return new Promise((resolve) => {
    let taken = false;
    const onMessage = (e: MessageEvent<LaunchMessage>) => {
      if (e.data?.id !== id) return;
      if (e.data.type === "dialled") finish(true);
      else if (e.data.type === "taken" && !taken) {
        taken = true;
        clearTimeout(timer);
        if (dialledWaitMs > 0) timer = setTimeout(() => finish(true), dialledWaitMs);
        else finish(true);
      }
    };
    const finish = (result: boolean) => {
      clearTimeout(timer);
      channel.removeEventListener("message", onMessage);
      resolve(result);
    };
    let timer = setTimeout(() => finish(false), HANDOFF_WAIT_MS);
    channel.addEventListener("message", onMessage);
    channel.postMessage({ type: "dial", id, target } satisfies LaunchMessage);
  });
}

/**
 * The page's number offered at once, if its URL has one. Not with `?provision=`: a link that
 * carries a configuration too is set up here first, and dials from here (main.ts). Not when the
 * service worker dealt with it at the navigation (`handed`, `offered`): an open window has it,
 * or none took it (launch.ts dialFromUrl says so or asks here).
 */
export function offerEarly(url: URL, channel = openLaunchChannel()): LaunchOffer | undefined {
  const target = dialParam(url);
  if (!target || !channel || url.searchParams.has("provision")) return undefined;
  if (handedParam(url) || wasOffered(url)) return undefined;
  return { target, taken: offerToOpenWindow(channel, target) };
}
