import { ConfigError, validateConfig, type PhoneConfig } from "../config/phone-config.js";
import { getLogger } from "../sip/core/logger.js";
import { configChanges, type ConfigChange } from "./config-changes.js";
import { withSavedSecrets } from "./saved-secrets.js";

const log = getLogger("provision");

/** Why a provisioning URL was not applied (data; messages.ts has the words). */
export type ProvisionProblem =
  | { kind: "bad-url" }
  /** data:, blob:, javascript:, file:…: never fetched. */
  | { kind: "scheme"; scheme: string }
  /** http: to anything but the phone's own origin on a loopback test page. */
  | { kind: "insecure"; origin: string }
  /** https: to an origin that is neither the phone's nor in the allowed list. */
  | { kind: "origin"; origin: string }
  /** An allowed URL that redirected to an origin that is not. */
  | { kind: "redirected"; origin: string }
  | { kind: "http"; status: number }
  | { kind: "network"; message: string }
  | { kind: "not-json" }
  | { kind: "invalid"; message: string }
  /** The user said no to the changes shown. */
  | { kind: "declined" }
  /** Applying failed (storage). */
  | { kind: "failed"; message: string };

export type ProvisionOutcome = { ok: true } | { ok: false; problem: ProvisionProblem };

/** What provisioning needs of the phone: its configuration, a way to apply one, and the user. */
export interface Provisionable {
  readonly config: PhoneConfig;
  configure(config: PhoneConfig): Promise<void>;
  /** Shows what would change and resolves with the user's answer. */
  confirm(changes: ConfigChange[]): Promise<boolean>;
}

/**
 * Origins the deployment allows besides the phone's own, set when building:
 * `VITE_PROVISION_ORIGINS="https://config.example.com https://mdm.example.com"` (spaces or commas).
 */
export const BUILD_PROVISION_ORIGINS: readonly string[] = originList(import.meta.env.VITE_PROVISION_ORIGINS as string | undefined);

/** The origin the phone's own code was loaded from (for the library: not the host page's). */
const PHONE_ORIGIN = new URL(import.meta.url).origin;

export function originList(text: string | undefined): string[] {
  const origins: string[] = [];
  for (const item of (text ?? "").split(/[\s,]+/).filter(Boolean)) {
    try {
      const url = new URL(item);
      if (url.protocol === "https:") origins.push(url.origin);
      else log.warn("VITE_PROVISION_ORIGINS: only https: origins count, not", item);
    } catch {
      log.warn("VITE_PROVISION_ORIGINS: not an origin:", item);
    }
  }
  return origins;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * Where `source` (relative to the page) may be fetched from: https: on the page's origin, the
 * phone's origin or an `allowed` one. http: only to the page's own origin while the page itself
 * is http on loopback (a developer's machine, the e2e bed). Nothing else, whatever the scheme.
 */
export function checkProvisionUrl(source: string, page: URL, allowed: readonly string[] = BUILD_PROVISION_ORIGINS): URL | ProvisionProblem {
  let url: URL;
  try {
    url = new URL(source, page);
  } catch {
    return { kind: "bad-url" };
  }
  const own = [page.origin, PHONE_ORIGIN];
  if (url.protocol === "http:") {
    const testPage = page.protocol === "http:" && LOOPBACK.test(page.hostname);
    return testPage && url.origin === page.origin ? url : { kind: "insecure", origin: url.origin };
  }
  if (url.protocol !== "https:") return { kind: "scheme", scheme: url.protocol };
  return own.includes(url.origin) || allowed.includes(url.origin) ? url : { kind: "origin", origin: url.origin };
}

/**
 * `?provision=URL`: provisions through the element (which asks the user, words the outcome)
 * and removes the parameter once applied, so a reload does not fetch it again.
 */
export async function provisionFromUrl(target: { provision(source: string): Promise<boolean> }, url: URL): Promise<void> {
  const source = url.searchParams.get("provision");
  if (!source) return;
  if (await target.provision(source)) {
    url.searchParams.delete("provision");
    history.replaceState(null, "", url);
  }
}

/** A provisioning file fetched and validated, or why not. */
export type FetchedProvision = { ok: true; config: PhoneConfig } | { ok: false; problem: ProvisionProblem };

/**
 * Fetches a configuration from `source` (relative to `page`; origin rules above) and validates
 * it. Needs nothing of the phone: a page starts it while the phone is still starting
 * (RequestsFromOutside.provision), and only applying it waits.
 */
export async function fetchProvision(
  source: string,
  page: URL,
  allowed: readonly string[] = BUILD_PROVISION_ORIGINS,
): Promise<FetchedProvision> {
  const url = checkProvisionUrl(source, page, allowed);
  if (!(url instanceof URL)) return { ok: false, problem: url };
  let response: Response;
  try {
    response = await fetch(url, { cache: "no-store", credentials: "same-origin" });
  } catch (e) {
    return { ok: false, problem: { kind: "network", message: (e as Error).message } };
  }
  if (response.redirected) {
    const landed = checkProvisionUrl(response.url, page, allowed);
    if (!(landed instanceof URL)) return { ok: false, problem: { kind: "redirected", origin: new URL(response.url).origin } };
  }
  if (!response.ok) return { ok: false, problem: { kind: "http", status: response.status } };
  try {
    return { ok: true, config: validateConfig(await response.json()) };
  } catch (e) {
    return { ok: false, problem: e instanceof ConfigError ? { kind: "invalid", message: e.message } : { kind: "not-json" } };
  }
}

/**
 * Applies a fetched configuration: at once on a phone without lines, else only after the user
 * has seen what changes and said yes. Nothing changes on any problem.
 */
export async function applyProvision(target: Provisionable, fetched: FetchedProvision): Promise<ProvisionOutcome> {
  if (!fetched.ok) return refused(fetched.problem);
  // A file without passwords keeps the saved ones, for the same identity only (as an import does).
  const saved = new Map(target.config.accounts.map((a) => [a.id, a]));
  const config = { ...fetched.config, accounts: fetched.config.accounts.map((a) => withSavedSecrets(a, saved.get(a.id)).account) };
  const changes = configChanges(target.config, config);
  if (target.config.accounts.length && changes.length && !(await target.confirm(changes))) return refused({ kind: "declined" });
  try {
    await target.configure(config);
  } catch (e) {
    return refused(e instanceof ConfigError ? { kind: "invalid", message: e.message } : { kind: "failed", message: (e as Error).message });
  }
  return { ok: true };
}

/** Fetches and applies in one go (fetchProvision, then applyProvision). Also used by `<sip-phone config-url>`. */
export async function provisionFrom(
  target: Provisionable,
  source: string,
  page: URL,
  allowed: readonly string[] = BUILD_PROVISION_ORIGINS,
): Promise<ProvisionOutcome> {
  return applyProvision(target, await fetchProvision(source, page, allowed));
}

function refused(problem: ProvisionProblem): ProvisionOutcome {
  log.warn("provisioning not applied:", problem);
  return { ok: false, problem };
}
