// The bench's entry-point figures (issue 17): every way of dialling -> INVITE sent, and answer ->
// first RTP at the caller, each cold (pages freshly loaded and registered, idle 1 s) and warm
// (the same pages after a call, idle 1 s). The bare SIP.js page is measured the same way in
// bench.mjs. Prints through `report`; asserts nothing.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { USERS } from "../bed/bed.mjs";
import { accountFor, hangupAll, waitForCall, waitForLineState } from "../lib/browser.mjs";
import { startStaticServer } from "../lib/static-server.mjs";

/** @typedef {import("../lib/browser.mjs").Page} Page */
/** @typedef {import("../lib/sip-phone-api.mjs").SipPhone} SipPhone */
/** @typedef {{ inviteSent?: number, click?: number, handoff?: number }} Times */
/**
 * @typedef {object} EntryPointsBench
 * @property {import("../lib/session.mjs").Session} s
 * @property {(user: import("../bed/bed.mjs").BedUser, account?: object) => Promise<Page>} mk a registered, instrumented phone page
 * @property {Page} alice the caller (1001)
 * @property {Page} bob the callee (1002)
 * @property {number} runs
 * @property {(name: string, value: number[]) => void} report
 * @property {() => void} instrument the bench's init script
 * @property {(p: Page) => Promise<Times>} times
 * @property {(...p: Page[]) => Promise<void>} resetTimes
 */

const idle = () => new Promise((r) => setTimeout(r, 1000));
/** @param {Page} p */
const waitInvite = (p) => p.waitForFunction(() => /** @type {any} */ (window).__t.inviteSent, null, { timeout: 15_000 });

/** @param {EntryPointsBench} b */
export async function measureEntryPoints(b) {
  const { alice, bob, runs, report, times, resetTimes } = b;

  /** @param {Page} p */
  const reload = async (p) => {
    await p.reload();
    await waitForLineState(p, "registered");
  };

  /**
   * The callee answers by the API after 300 ms of ringing: answer -> first RTP at the caller.
   * @param {Page} caller
   */
  const answerAndHangUp = async (caller) => {
    const incoming = await waitForCall(bob, (c) => c.state === "incoming");
    await new Promise((r) => setTimeout(r, 300)); // as the bare page: it rings a moment first
    const firstRtp = caller.evaluate(() => /** @type {any} */ (window).__firstPacket());
    const answeredAt = await bob.evaluate((id) => {
      const t = performance.timeOrigin + performance.now();
      void (/** @type {SipPhone} */ (document.querySelector("sip-phone")).answer(id));
      return t;
    }, incoming.id);
    const rtp = (await firstRtp) - answeredAt;
    const byStats = (await caller.evaluate(() => /** @type {any} */ (window).__firstPacketByStats())) - answeredAt;
    await hangupAll(caller, bob);
    return { rtp, byStats };
  };

  /** dial() on alice -> INVITE sent, then answer -> first RTP at alice. */
  const apiCall = async () => {
    await resetTimes(alice);
    const t0 = await alice.evaluate(async () => {
      const t = performance.timeOrigin + performance.now();
      await /** @type {SipPhone} */ (document.querySelector("sip-phone")).dial("1002");
      return t;
    });
    await waitInvite(alice);
    const invite = ((await times(alice)).inviteSent ?? NaN) - t0;
    return { invite, ...(await answerAndHangUp(alice)) };
  };

  /** @type {{ invite: number, rtp: number, byStats: number }[]} */
  const cold = [];
  for (let i = 0; i < runs; i++) {
    await reload(alice);
    await reload(bob);
    await idle();
    cold.push(await apiCall());
  }
  /** @type {{ invite: number, rtp: number, byStats: number }[]} */
  const warm = [];
  for (let i = 0; i < runs; i++) {
    await idle();
    warm.push(await apiCall());
  }
  report(
    "dial() from the API, cold -> INVITE sent",
    cold.map((c) => c.invite),
  );
  report(
    "dial() from the API, warm -> INVITE sent",
    warm.map((c) => c.invite),
  );
  report(
    "answer() from the API, cold -> first inbound RTP at the caller",
    cold.map((c) => c.rtp),
  );
  report(
    "answer() from the API, warm -> first inbound RTP at the caller",
    warm.map((c) => c.rtp),
  );
  report(
    "answer() from the API, cold -> first inbound RTP at the caller, by packet time",
    cold.map((c) => c.byStats),
  );
  report(
    "answer() from the API, warm -> first inbound RTP at the caller, by packet time",
    warm.map((c) => c.byStats),
  );

  await callButton(b);
  await telLinks(b);
}

/**
 * A host page of another origin with the library's <sip-phone> (configured, registered) and a
 * <sip-call-button number="1002">: a real click -> INVITE sent.
 * @param {EntryPointsBench} b
 */
async function callButton({ s, bob, runs, report, instrument, times, resetTimes }) {
  const dir = join(s.dir, "bench-call-button");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html><sip-phone></sip-phone><sip-call-button number="1002"></sip-call-button>` +
      `<script type="module" src="${s.appUrl}/lib/webphone.js"></script>`,
  );
  const host = await startStaticServer({ root: dir });
  const context = await s.browser.newContext({ ignoreHTTPSErrors: true });
  await context.grantPermissions(["microphone"]);
  await context.addInitScript(instrument);
  const page = await context.newPage();
  await page.goto(host.url);
  await page.waitForFunction(() => customElements.get("sip-phone") && customElements.get("sip-call-button"));
  await page.evaluate(
    (c) => /** @type {SipPhone} */ (document.querySelector("sip-phone")).configure(c),
    accountFor(USERS.carol, { server: s.wss }),
  );
  await waitForLineState(page, "registered");
  const click = async () => {
    await resetTimes(page);
    await page.locator("sip-call-button").getByRole("button").click();
    await waitInvite(page);
    const t = await times(page);
    await waitForCall(bob, (c) => c.state === "incoming");
    await hangupAll(page, bob);
    return (t.inviteSent ?? NaN) - (t.click ?? NaN);
  };
  /** @type {number[]} */
  const cold = [];
  for (let i = 0; i < runs; i++) {
    await page.reload();
    await waitForLineState(page, "registered");
    await idle();
    cold.push(await click());
  }
  /** @type {number[]} */
  const warm = [];
  for (let i = 0; i < runs; i++) {
    await idle();
    warm.push(await click());
  }
  report("<sip-call-button> click, cold -> INVITE sent", cold);
  report("<sip-call-button> click, warm -> INVITE sent", warm);
  await context.close();
  await host.close();
}

/**
 * `?dial=` links (what tel: links open) on a line that dials links without asking
 * (`dialLinksWithoutConfirm`, a CRM desk): handed to the phone open in another tab (link
 * opened -> INVITE sent by that tab; the new tab's time origin is before the worker's redirect,
 * so the hand-off's wait is counted), and launching the phone (no tab open: page load,
 * REGISTER, then the INVITE).
 * @param {EntryPointsBench} b
 */
async function telLinks({ s, bob, runs, report, instrument, times }) {
  const context = await s.browser.newContext({ ignoreHTTPSErrors: true });
  await context.grantPermissions(["microphone"]);
  await context.addInitScript(instrument);
  const open = await context.newPage();
  await open.goto(s.appUrl);
  await open.waitForFunction(() => customElements.get("sip-phone") !== undefined);
  const config = accountFor(USERS.carol, { server: s.wss });
  Object.assign(config.accounts[0], { dialLinksWithoutConfirm: true });
  await open.evaluate((c) => /** @type {SipPhone} */ (document.querySelector("sip-phone")).configure(c), config);
  await waitForLineState(open, "registered");
  // The service worker active, as for a returning user of the installed phone: it hands the
  // link's number over at the navigation (src/sw-launch.ts). A first visit has none yet and
  // hands it over from the new tab's entry (early-launch.ts).
  await open.evaluate(() => navigator.serviceWorker.ready);
  /** @type {number[]} */
  const handed = [];
  /** @type {number[]} */
  const heard = [];
  for (let i = 0; i < runs; i++) {
    await idle();
    await open.evaluate(() => {
      /** @type {any} */ (window).__t = {};
    });
    const link = await context.newPage();
    await link.goto(`${s.appUrl}/?dial=1002`);
    const opened = await link.evaluate(() => performance.timeOrigin);
    await waitInvite(open);
    const t = await times(open);
    handed.push((t.inviteSent ?? NaN) - opened);
    heard.push((t.inviteSent ?? NaN) - (t.handoff ?? NaN));
    await waitForCall(bob, (c) => c.state === "incoming");
    await hangupAll(open, bob);
    if (!link.isClosed()) await link.close();
  }
  report("tel: link (?dial=) handed to an open phone: link opened -> INVITE sent", handed);
  report("tel: link (?dial=) handed to an open phone: hand-off heard by the open tab -> INVITE sent", heard);
  await open.close();
  /** @type {number[]} */
  const launched = [];
  for (let i = 0; i < runs; i++) {
    const page = await context.newPage();
    await page.goto(`${s.appUrl}/?dial=1002`);
    await waitInvite(page);
    launched.push(((await times(page)).inviteSent ?? NaN) - (await page.evaluate(() => performance.timeOrigin)));
    await waitForCall(bob, (c) => c.state === "incoming");
    await hangupAll(page, bob);
    await page.close();
    await idle();
  }
  report("tel: link (?dial=) launching the phone: page load, REGISTER, INVITE sent", launched);
  await context.close();
}
