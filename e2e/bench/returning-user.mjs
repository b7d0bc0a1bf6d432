// A returning user's app page: carol's line configured once and registered, so that a reload
// starts from what was saved (the bench's "page load -> registered", load-timeline.mjs,
// heap-after-load.mjs).
import { USERS } from "../bed/bed.mjs";
import { accountFor, waitForLineState } from "../lib/browser.mjs";

/** @typedef {import("../lib/sip-phone-api.mjs").SipPhone} SipPhone */

/**
 * A new context and page with carol's line saved and registered.
 * @param {{ browser: import("playwright-core").Browser, appUrl: string, wss: string }} s the session
 * @param {() => void} [init] an init script for the context (the bench's instruments)
 */
export async function returningUser(s, init) {
  const noWorker = Boolean(process.env.LOAD_NO_SW);
  const ctx = await s.browser.newContext({
    ignoreHTTPSErrors: true,
    ...(noWorker ? { serviceWorkers: /** @type {const} */ ("block") } : {}),
  });
  if (init) await ctx.addInitScript(init);
  const page = await ctx.newPage();
  await page.goto(s.appUrl);
  await page.waitForFunction(() => customElements.get("sip-phone") !== undefined);
  await page.evaluate(
    (c) => /** @type {SipPhone} */ (document.querySelector("sip-phone")).configure(c),
    accountFor(USERS.carol, { server: s.wss }),
  );
  await waitForLineState(page, "registered");
  // A returning user has the phone's service worker installed, its precache complete: the
  // reloads measured are served as theirs are, not while the worker is still installing.
  // LOAD_NO_SW=1 blocks service workers instead (to compare: every chunk from the web server).
  if (!noWorker) {
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await waitForLineState(page, "registered");
  }
  return { ctx, page };
}
