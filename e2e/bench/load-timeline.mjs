// Where a returning user's start goes (issue 17, "page load -> registered"): one timeline per
// reload of the app page, in ms since navigation start: scripts fetched, first paint, the
// WebSocket made and open, each SIP message sent and received, and the phone's "registered"
// line-state event. `e2e/run-in-netns.sh node e2e/bench/load-timeline.mjs` after `npx vite build`
// (LOAD_RUNS=5 by default; LOAD_PROFILE=1 adds a CPU profile of one more reload, from
// navigation to registered, mapped to the sources). Asserts nothing: the bench's figure is "page load -> registered".
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { USERS } from "../bed/bed.mjs";
import { accountFor, waitForLineState } from "../lib/browser.mjs";
import { startSession, stopSession } from "../lib/session.mjs";
import { printProfile } from "./cpu-profile.mjs";

/** @typedef {import("../lib/sip-phone-api.mjs").SipPhone} SipPhone */
/** @typedef {import("./cpu-profile.mjs").Profile} Profile */

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const RUNS = Number(process.env.LOAD_RUNS ?? 5);

/** In the page: the times (ms since navigation start) of what the start does on the wire. */
function timeline() {
  /** @type {[number, string][]} */
  const events = [];
  const w = /** @type {Window & { __timeline?: [number, string][] }} */ (window);
  w.__timeline = events;
  const mark = (/** @type {string} */ what) => events.push([performance.now(), what]);
  const WS = window.WebSocket;
  const first = (/** @type {unknown} */ data) =>
    (typeof data === "string" ? data : data instanceof ArrayBuffer ? new TextDecoder().decode(data) : "").split("\r\n")[0];
  /** @param {ConstructorParameters<typeof WebSocket>} args */
  const Timed = function (...args) {
    mark("WebSocket made");
    const ws = new WS(...args);
    ws.addEventListener("open", () => mark("WebSocket open"));
    ws.addEventListener("message", (e) => mark(`< ${first(e.data)}`));
    return ws;
  };
  Timed.prototype = WS.prototype;
  Object.assign(Timed, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = /** @type {typeof WebSocket} */ (/** @type {unknown} */ (Timed));
  const send = WS.prototype.send;
  WS.prototype.send = function (/** @type {string} */ data) {
    mark(`> ${first(data)}`);
    return send.call(this, data);
  };
  document.addEventListener("line-state", (e) => mark(`line-state ${/** @type {CustomEvent<{ state: string }>} */ (e).detail.state}`));
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) mark(`${e.name}`);
  }).observe({ type: "paint", buffered: true });
  // Long tasks: the main thread busy for 50 ms or more at a time.
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) mark(`long task ${e.duration.toFixed(0)} ms (from ${e.startTime.toFixed(0)})`);
  }).observe({ type: "longtask", buffered: true });
}

const s = await startSession();
try {
  const ctx = await s.browser.newContext({ ignoreHTTPSErrors: true });
  await ctx.addInitScript(timeline);
  const page = await ctx.newPage();
  await page.goto(s.appUrl);
  await page.evaluate(
    (c) => /** @type {SipPhone} */ (document.querySelector("sip-phone")).configure(c),
    accountFor(USERS.carol, { server: s.wss }),
  );
  await waitForLineState(page, "registered");
  /** @type {Record<string, number[]>} */
  const firsts = {};
  const KEYS = ["first-contentful-paint", "WebSocket made", "> REGISTER", "line-state registered"];
  for (let i = 0; i < RUNS; i++) {
    await page.reload();
    await waitForLineState(page, "registered");
    await page.waitForTimeout(300);
    const { events, scripts } = await page.evaluate(() => ({
      events: /** @type {Window & { __timeline?: [number, string][] }} */ (window).__timeline ?? [],
      scripts: performance
        .getEntriesByType("resource")
        .filter((e) => /\.(js|css)$/.test(new URL(e.name).pathname))
        .map((e) => [/** @type {PerformanceResourceTiming} */ (e).responseEnd, `fetched ${new URL(e.name).pathname}`]),
    }));
    const all = [...events, ...scripts].sort((a, b) => Number(a[0]) - Number(b[0]));
    for (const key of KEYS) (firsts[key] ??= []).push(Number(all.find(([, what]) => String(what).startsWith(key))?.[0] ?? NaN));
    if (process.env.LOAD_QUIET) continue;
    console.log(`--- run ${i + 1}`);
    for (const [at, what] of all)
      if (!String(what).startsWith("< OPTIONS") && !String(what).startsWith("> SIP/2.0"))
        console.log(`${Number(at).toFixed(1).padStart(7)} ms  ${what}`);
  }
  const median = (/** @type {number[]} */ v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  console.log(`--- medians of ${RUNS} reloads (ms since navigation start)`);
  for (const key of KEYS)
    console.log(`${median(firsts[key]).toFixed(1).padStart(7)} ms  ${key}  (${firsts[key].map((v) => v.toFixed(0)).join(", ")})`);
  if (process.env.LOAD_PROFILE) {
    const cdp = await ctx.newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
    await cdp.send("Profiler.start");
    await page.reload();
    await waitForLineState(page, "registered");
    const { profile } = /** @type {{ profile: Profile }} */ (await cdp.send("Profiler.stop"));
    console.log("--- CPU profile: reload -> registered");
    printProfile(profile, join(root, "dist"));
  }
  await ctx.close();
} finally {
  await stopSession(s);
}
