import type { FetchedProvision } from "./provision.js";

/**
 * A `?provision=` link's file, fetched and checked by the app page's entry (main.ts) as the
 * page begins, while the phone and its views are still loading; applying it waits for the
 * phone as before (RequestsFromOutside.provision takes it). Fetched later, by the views, it
 * arrived only once they were built, and a first start registered ~50 ms later for it.
 */
let early: { source: string; fetched: Promise<FetchedProvision> } | undefined;

export function fetchProvisionEarly(source: string): void {
  const fetched = import("./provision.js").then(({ fetchProvision }) => fetchProvision(source, new URL(location.href)));
  // Taken by provision(), which words any failure: not an unhandled rejection meanwhile.
  fetched.catch(() => undefined);
  early = { source, fetched };
}

/** The early fetch of `source`, once: a later provisioning (another link, a retry) fetches anew. */
export function takeEarlyProvision(source: string): Promise<FetchedProvision> | undefined {
  if (early?.source !== source) return undefined;
  const { fetched } = early;
  early = undefined;
  return fetched;
}
