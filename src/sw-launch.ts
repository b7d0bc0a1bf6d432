/**
 * A `?dial=` link (what tel:/sip: links open) opened in a new window while the phone is open in
 * another: the service worker (src/sw.ts) hands the number over at the navigation itself, long
 * before the new page's entry chunk is fetched and run (e2e/bench/entry-points.mjs, "tel: link
 * ... link opened -> INVITE"). Same channel and messages as the page's own hand-off
 * (app/launch-handoff.ts), so an open window of any version takes it. Kept apart from the worker
 * so it can be tested without one, as notification-click.ts is.
 *
 * The navigation goes on, redirected (303) to a URL that says what happened, so the new page
 * neither offers the number again nor waits a second time:
 * - taken: `dial` becomes `handed=<number>`, once the window says it dialled the number or
 *   DIALLED_WAIT_MS after `taken`; the page says where it went and closes. It never
 *   dials (launch.ts), so an open window never gets the number twice, from this worker and from
 *   the page, nor does an old page (one without the markers) find a `dial` to offer.
 * - not taken within HANDOFF_WAIT_MS (no open window has a usable line): `offered=1` is added;
 *   the page skips its own offer and asks about the number itself.
 */
import { DIALLED_WAIT_MS, dialParam, HANDED_PARAM, OFFERED_PARAM, offerToOpenWindow, openLaunchChannel } from "./app/launch-handoff.js";

/** What the hand-off needs of the worker's `clients`. */
export interface WindowClientsLike {
  matchAll(options: { type: "window"; includeUncontrolled: boolean }): Promise<readonly unknown[]>;
}

/**
 * The number this navigation would hand over: its `dial`, unless the link carries a
 * configuration too (`provision`: set up in the new window first, main.ts) or this worker dealt
 * with it already (`handed`, `offered`: the redirect below must not be offered again).
 */
export function launchTarget(url: URL): string | undefined {
  const p = url.searchParams;
  if (p.has("provision") || p.has(HANDED_PARAM) || p.has(OFFERED_PARAM)) return undefined;
  return dialParam(url);
}

/**
 * Where a navigation to `url` goes instead, once its number was offered to the open windows;
 * undefined when there is nothing to hand over or no window of the phone's origin is open (the
 * page's own hand-off then finds none either: the navigation goes on untouched). Open windows
 * are counted whether this worker controls them or not: a phone opened on a first visit is not
 * controlled, and takes numbers all the same.
 */
export async function launchRedirect(
  url: URL,
  clients: WindowClientsLike,
  openChannel: () => BroadcastChannel | undefined = openLaunchChannel,
): Promise<string | undefined> {
  const target = launchTarget(url);
  if (!target) return undefined;
  const windows = await clients.matchAll({ type: "window", includeUncontrolled: true });
  if (windows.length === 0) return undefined;
  const channel = openChannel();
  if (!channel) return undefined;
  try {
    // Taken, the redirect waits for `dialled` (DIALLED_WAIT_MS at most): the new page, which only
    // says where the number went, loads after the INVITE has gone rather than beside it.
    const taken = await offerToOpenWindow(channel, target, DIALLED_WAIT_MS);
    return taken
      ? withParams(url, "dial", `${HANDED_PARAM}=${encodeURIComponent(target)}`)
      : withParams(url, undefined, `${OFFERED_PARAM}=1`);
  } finally {
    channel.close();
  }
}

/**
 * `url` without the `drop` parameter, with `add` appended. The other parameters are kept as
 * they were written: URLSearchParams would write a space as `+`, which `dial` reads as a plus.
 */
function withParams(url: URL, drop: string | undefined, add: string): string {
  const kept = url.search
    .slice(1)
    .split("&")
    .filter((p) => p !== "" && (drop === undefined || (p !== drop && !p.startsWith(`${drop}=`))));
  return new URL(`${url.pathname}?${[...kept, add].join("&")}`, url.origin).href;
}
