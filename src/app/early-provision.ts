import type { PhoneConfig } from "../config/phone-config.js";
import type { FetchedProvision } from "./provision.js";

/** What the early apply needs of the app (the element's SipPhoneApp has it). */
export interface FirstStartApp {
  readonly config: PhoneConfig;
  configure(config: PhoneConfig): Promise<void>;
  readonly phone: { on(type: "line-state", listener: () => void): () => void };
}

/**
 * A `?provision=` link's file, fetched and checked by the app page's entry (main.ts) as the
 * page begins, while the phone and its views are still loading. Fetched later, by the views, it
 * arrived only once they were built, and a first start registered ~50 ms later for it.
 */
let early: { source: string; fetched: Promise<FetchedProvision> } | undefined;

export function fetchProvisionEarly(source: string): Promise<FetchedProvision> {
  const fetched = import("./provision.js").then(({ fetchProvision }) => fetchProvision(source, new URL(location.href)));
  // Taken by provision(), which words any failure: not an unhandled rejection meanwhile.
  fetched.catch(() => undefined);
  early = { source, fetched };
  return fetched;
}

/** The early fetch of `source`, once: a later provisioning (another link, a retry) fetches anew. */
export function takeEarlyProvision(source: string): Promise<FetchedProvision> | undefined {
  if (early?.source !== source) return undefined;
  const { fetched } = early;
  early = undefined;
  return fetched;
}

/**
 * On a first start (no line saved) the app applies the early file itself, before its views
 * exist, so that the lines register while the views load instead of after (a view's build is
 * one long task on the main thread). Everything else is left to the views
 * (RequestsFromOutside.provision, which takes the same fetch): a file that replaces saved lines
 * is applied only once the user said yes, and a file that failed the checks is worded there.
 * They apply this file again, which changes nothing (configChanges is empty: no question; the
 * unchanged lines are kept as they are). Resolves once the lines are under way, or when there
 * is nothing to do here.
 */
export async function applyOnFirstStart(app: FirstStartApp, started: Promise<unknown>, fetched: Promise<FetchedProvision>): Promise<void> {
  const [, result] = await Promise.all([started, fetched]);
  if (!result.ok || app.config.accounts.length) return;
  let off: (() => void) | undefined;
  const underWay = new Promise<void>((resolve) => (off = app.phone.on("line-state", () => resolve())));
  // A failure (storage refused the write) is the views' to word when they apply the file.
  const configured = app.configure(result.config).catch(() => undefined);
  await Promise.race([underWay, configured]);
  off?.();
}
