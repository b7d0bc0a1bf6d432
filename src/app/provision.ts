import { ConfigError, type PhoneConfig } from "../config/phone-config.js";
import { getLogger } from "../sip/core/logger.js";

const log = getLogger("provision");

interface Configurable {
  configure(config: PhoneConfig): Promise<void>;
  showNotice(text: string, kind: "info" | "error"): void;
}

/**
 * `?provision=URL`: fetches a configuration (same JSON as configure() and the import file),
 * applies it and removes the parameter, so a reload does not fetch it again.
 */
export async function provisionFromUrl(target: Configurable, url: URL): Promise<void> {
  const source = url.searchParams.get("provision");
  if (!source) return;
  if (await provisionFrom(target, source, url)) {
    url.searchParams.delete("provision");
    history.replaceState(null, "", url);
  }
}

/**
 * Fetches a configuration from `source` (relative to `base`) and applies it; on any problem the
 * user is told why and nothing changes. Also used by `<sip-phone config-url>`.
 */
export async function provisionFrom(target: Configurable, source: string, base: URL): Promise<boolean> {
  try {
    const response = await fetch(new URL(source, base), { cache: "no-store", credentials: "same-origin" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new Error("the response is not JSON");
    }
    await target.configure(json as PhoneConfig);
    return true;
  } catch (e) {
    const text = e instanceof ConfigError ? `invalid configuration: ${e.message}` : (e as Error).message;
    log.error("provisioning failed:", text);
    target.showNotice(`Provisioning from ${source} failed: ${text}`, "error");
    return false;
  }
}
