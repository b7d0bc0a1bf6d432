import { UserAgent, type URI } from "sip.js";
import type { AccountConfig, PhoneConfig } from "../../config/phone-config.js";
import { once } from "../core/load-once.js";
import { normalizeTarget, TargetError } from "../numbers/sip-target.js";
import { PhoneError } from "./phone-errors.js";

/**
 * What the user typed or a link carried, as a request URI for a line: the line's location and
 * dial rules (libphonenumber-js, loaded on demand), then the SIP target rules.
 */
export class TargetResolver {
  /** Number rules need libphonenumber-js: load it now, not when the user clicks Call. */
  preload(config: PhoneConfig): void {
    if (config.accounts.some((a) => a.location || a.numberRules)) void this.load().catch(() => undefined);
  }

  async resolve(target: string, account: AccountConfig, domain: string): Promise<{ uri: URI; display: string }> {
    let input = target;
    let display: string | undefined;
    try {
      if (account.location || account.numberRules?.dial?.length || account.numberRules?.outgoing?.length) {
        const dialled = (await this.load()).dialNumber(target, account);
        if (dialled) {
          input = dialled.number;
          display = dialled.display;
        }
      }
      const uri = normalizeTarget(input, domain);
      const parsed = UserAgent.makeURI(uri.uri);
      if (!parsed) throw new TargetError(`"${target}" is not a valid SIP address`);
      return { uri: parsed, display: display ?? uri.display };
    } catch (e) {
      if (e instanceof TargetError) throw new PhoneError(e.message, "bad-target", { input: target });
      throw e;
    }
  }

  /** libphonenumber-js on demand; a failed load (offline before the chunk was cached) is tried again next time. */
  private readonly load = once(() => import("../numbers/phone-number.js"));
}
