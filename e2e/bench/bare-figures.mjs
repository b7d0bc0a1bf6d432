// The floor: the bench's figures for a bare SIP.js page, measured in the same run on the same
// bed (a fresh profile's first load, reloads, the heap, a call cold and warm), so that each
// figure of the phone is printed with its ratio to what SIP.js alone does.
import { join } from "node:path";
import { LINE_USERS } from "../bed/bed.mjs";
import { eventually } from "../lib/browser.mjs";
import { heapAfterGc, openBare, serveBarePage } from "./bare-page.mjs";
import { instrument, measureStarts, resetTimes, times, warmUpReloads } from "./page-times.mjs";

/** @typedef {import("../lib/browser.mjs").Page} Page */
/** @typedef {import("./page-times.mjs").BenchWindow} BenchWindow */

/**
 * @param {{ s: import("../lib/session.mjs").Session, runs: number, report: (name: string, value: number[] | string, unit?: string) => void }} b
 */
export async function measureBare({ s, runs: RUNS, report }) {
  const bare = await serveBarePage(join(s.dir, "bare-page"));
  report("bare SIP.js: initial JS (gzip)", [bare.js / 1024], "KiB");
  const [u1, u2] = [LINE_USERS[0], LINE_USERS[1]];
  // The floor of a first start: the bare page in a fresh profile (no HTTP or code cache), its
  // account in the URL (nothing to fetch, check or store: less than the phone's provisioning).
  const first = await measureStarts(RUNS, async () => {
    const page = await openBare(s.browser, bare.url, u1, s.wss, instrument, { waitRegistered: false });
    return { page, close: () => page.context().close() };
  });
  report("bare SIP.js: first load in a fresh profile -> REGISTER 200 received", first.register200);
  report("bare SIP.js: first load in a fresh profile -> registered", first.registered);
  const caller = await openBare(s.browser, bare.url, u1, s.wss, instrument);
  const callee = await openBare(s.browser, bare.url, u2, s.wss, instrument);
  await warmUpReloads(caller);
  const reloads = await measureStarts(RUNS, async () => {
    await caller.reload();
    return { page: caller };
  });
  report("bare SIP.js: page load -> REGISTER 200 received", reloads.register200);
  report("bare SIP.js: page load -> registered", reloads.registered);
  report("bare SIP.js: JS heap after load (registered, after GC)", [(await heapAfterGc(caller)) / 1024 / 1024], "MiB");
  /** @param {Page} p */
  const bareOf = (p) => p.evaluate(() => /** @type {any} */ (window).bare.state());
  /** @param {Page} p */
  const bareReload = async (p) => {
    await p.reload();
    await p.waitForFunction(() => /** @type {any} */ (window).bare?.registered(), null, { timeout: 15_000 });
  };
  /** One call as the phone's figures make it: dial -> INVITE sent; it rings 300 ms; answer -> first RTP at the caller. */
  const bareCall = async () => {
    await resetTimes(caller);
    const t0 = await caller.evaluate((target) => {
      const t = performance.timeOrigin + performance.now();
      void (/** @type {any} */ (window).bare.dial(target));
      return t;
    }, u2.user);
    await caller.waitForFunction(() => /** @type {BenchWindow} */ (/** @type {unknown} */ (window)).__t.inviteSent);
    const invite = ((await times(caller)).inviteSent ?? NaN) - t0;
    await callee.waitForFunction(() => /** @type {any} */ (window).bare.hasIncoming());
    await new Promise((r) => setTimeout(r, 300)); // as the phone's figure: it rings a moment first
    const firstRtp = caller.evaluate(() => /** @type {BenchWindow} */ (/** @type {unknown} */ (window)).__firstPacket());
    const answeredAt = await callee.evaluate(() => {
      const t = performance.timeOrigin + performance.now();
      void (/** @type {any} */ (window).bare.answer());
      return t;
    });
    const rtp = (await firstRtp) - answeredAt;
    const byStats =
      (await caller.evaluate(() => /** @type {BenchWindow} */ (/** @type {unknown} */ (window)).__firstPacketByStats())) - answeredAt;
    await caller.evaluate(() => /** @type {any} */ (window).bare.hangup());
    await eventually(async () => (await bareOf(callee)) === "Terminated" && (await bareOf(caller)) === "Terminated", {
      message: "the bare call ended",
    });
    return { invite, rtp, byStats };
  };
  // Cold: both pages freshly loaded and registered, idle 1 s (as the phone's cold figures).
  /** @type {{ invite: number, rtp: number, byStats: number }[]} */
  const cold = [];
  for (let i = 0; i < RUNS; i++) {
    await bareReload(caller);
    await bareReload(callee);
    await new Promise((r) => setTimeout(r, 1000));
    cold.push(await bareCall());
  }
  // Warm: the same pages again, after a call, idle 1 s.
  /** @type {{ invite: number, rtp: number, byStats: number }[]} */
  const warm = [];
  for (let i = 0; i < RUNS; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    warm.push(await bareCall());
  }
  for (const [when, calls] of /** @type {const} */ ([
    ["cold", cold],
    ["warm", warm],
  ])) {
    report(
      `bare SIP.js: dial, ${when} -> INVITE sent`,
      calls.map((c) => c.invite),
    );
    report(
      `bare SIP.js: answer, ${when} -> first inbound RTP at the caller`,
      calls.map((c) => c.rtp),
    );
    report(
      `bare SIP.js: answer, ${when} -> first inbound RTP at the caller, by packet time`,
      calls.map((c) => c.byStats),
    );
  }
  await caller.context().close();
  await callee.context().close();
  await bare.close();
}
