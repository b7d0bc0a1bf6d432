import { ConfigError, type PhoneConfig } from "../config/phone-config.js";
import { getLogger } from "../sip/logger.js";

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
  try {
    const response = await fetch(new URL(source, url), { cache: "no-store", credentials: "same-origin" });
    if (!response.ok) throw new Error(`${source}: HTTP ${response.status}`);
    await target.configure((await response.json()) as PhoneConfig);
    url.searchParams.delete("provision");
    history.replaceState(null, "", url);
  } catch (e) {
    const text = e instanceof ConfigError ? `invalid configuration: ${e.message}` : (e as Error).message;
    log.error("provisioning failed:", text);
    target.showNotice(`Provisioning from ${source} failed: ${text}`, "error");
  }
}
