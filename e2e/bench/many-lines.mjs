// The 1000-line start, as the bench (bench.mjs) and its profile (profile-lines.mjs) measure it.
import { MANY_USERS } from "../bed/bed.mjs";

/** @typedef {import("../lib/sip-phone-api.mjs").PhoneConfig} PhoneConfig */
/** @typedef {import("../lib/sip-phone-api.mjs").SipPhone} SipPhone */

/**
 * The bed's 1000 users (7000–7999) as lines of one phone, all on `wss`.
 * @param {string} wss
 * @returns {PhoneConfig}
 */
export function thousandLines(wss) {
  return {
    version: 1,
    accounts: MANY_USERS.map((u, i) => ({ id: `m${i}`, sipUri: `sip:${u.user}@127.0.0.1`, password: u.password, servers: [wss] })),
  };
}

/**
 * configure() with `config` → every line registered, in ms, timed in the page.
 * @param {import("playwright-core").Page} page
 * @param {PhoneConfig} config
 * @returns {Promise<number>}
 */
export function configureUntilRegistered(page, config) {
  return page.evaluate(async (cfg) => {
    const el = /** @type {SipPhone} */ (document.querySelector("sip-phone"));
    const t0 = performance.now();
    await el.configure(cfg);
    // A poll for the condition itself, 20 ms apart; bounded.
    while (!(el.lines.length === cfg.accounts.length && el.lines.every((l) => l.state === "registered"))) {
      if (performance.now() - t0 > 120_000) throw new Error(`${cfg.accounts.length} lines not registered in 120 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return performance.now() - t0;
  }, config);
}
