// Where a returning user's start goes (issue 17, "page load -> registered"): one timeline per
// reload of the app page, in ms since navigation start: scripts fetched, first paint, the
// WebSocket made and open, each SIP message sent and received, and the phone's "registered"
// line-state event. `e2e/run-in-netns.sh node e2e/bench/load-timeline.mjs` after `npx vite build`
// (LOAD_RUNS=5 by default; LOAD_PROFILE=1 adds a CPU profile of one more reload, from
// navigation to registered, mapped to the sources; LOAD_TRACE=1 the main thread's work in that
// time by kind: script compile and run, style, layout, paint, from a Chromium trace; LOAD_TRACE=2
// also what each slice of 20 ms or more holds; LOAD_SETTLE=1 leaves each page alone for 1.5 s
// before reading it, as the bench does; LOAD_PROVISION=1 a provisioned first start on a fresh
// profile instead of a reload). Asserts nothing: the bench's figure is "page load -> registered".
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { USERS } from "../bed/bed.mjs";
import { accountFor, waitForLineState } from "../lib/browser.mjs";
import { startSession, stopSession } from "../lib/session.mjs";
import { returningUser } from "./returning-user.mjs";
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
  // The saved configuration's reads: IndexedDB opens, and the password's key and decryption.
  const open = indexedDB.open.bind(indexedDB);
  indexedDB.open = (/** @type {string} */ name, /** @type {number | undefined} */ version) => {
    mark(`IndexedDB open ${name}`);
    const r = open(name, version);
    r.addEventListener("success", () => mark(`IndexedDB opened ${name}`));
    return r;
  };
  for (const op of /** @type {const} */ (["importKey", "decrypt", "unwrapKey", "deriveKey"])) {
    const f = /** @type {any} */ (crypto.subtle)[op].bind(crypto.subtle);
    /** @type {any} */ (crypto.subtle)[op] = (/** @type {any[]} */ ...args) => {
      mark(`crypto ${op}`);
      return f(...args).then((/** @type {unknown} */ v) => (mark(`crypto ${op} done`), v));
    };
  }
  // Which tab leads is decided by a Web Lock (app/shared-phone.ts): when it is asked for and got.
  if (navigator.locks) {
    const request = navigator.locks.request.bind(navigator.locks);
    /** @type {any} */ (navigator.locks).request = (/** @type {string} */ name, /** @type {any[]} */ ...rest) => {
      const callback = rest.pop();
      const options = rest[0] ?? {};
      mark(`lock ${name} asked${options.ifAvailable ? " (if available)" : ""}`);
      return request(name, options, (/** @type {Lock | null} */ lock) => {
        mark(`lock ${name} ${lock ? "got" : "not available"}`);
        return callback(lock);
      });
    };
  }
  document.addEventListener("line-state", (e) => mark(`line-state ${/** @type {CustomEvent<{ state: string }>} */ (e).detail.state}`));
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) events.push([e.startTime, e.name]);
  }).observe({ type: "paint", buffered: true });
  // The views: the app page defines <sip-phone> once its lines have registered (src/main.ts).
  void customElements.whenDefined("sip-phone").then(() => {
    mark("sip-phone defined");
    requestAnimationFrame(() => setTimeout(() => mark("views' first frame")));
  });
  // Long tasks: the main thread busy for 50 ms or more at a time.
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) mark(`long task ${e.duration.toFixed(0)} ms (from ${e.startTime.toFixed(0)})`);
  }).observe({ type: "longtask", buffered: true });
}

const s = await startSession();
try {
  const { ctx, page } = await returningUser(s, timeline);
  /** @type {Record<string, number[]>} */
  const firsts = {};
  const KEYS = [
    "first-contentful-paint",
    "WebSocket made",
    "> REGISTER",
    "< SIP/2.0 200 OK",
    "line-state registered",
    "views' first frame",
  ];
  // LOAD_PROVISION=1: a first start from a provisioning link on a fresh profile instead of a reload.
  const provisioned = Boolean(process.env.LOAD_PROVISION);
  if (provisioned) writeFileSync(join(s.provisionDir, "timeline-carol.json"), JSON.stringify(accountFor(USERS.carol, { server: s.wss })));
  for (let i = 0; i < RUNS; i++) {
    let p = page;
    if (provisioned) {
      const fresh = await s.browser.newContext({ ignoreHTTPSErrors: true });
      await fresh.addInitScript(timeline);
      p = await fresh.newPage();
      await p.goto(`${s.appUrl}/?provision=/provision/timeline-carol.json`);
    } else await page.reload();
    // LOAD_SETTLE=1: nothing evaluated in the page until well after its start (Playwright's first
    // evaluate injects its utility script, ~10 ms of the page's main thread).
    if (process.env.LOAD_SETTLE) await new Promise((r) => setTimeout(r, 1500));
    await waitForLineState(p, "registered");
    await p.waitForTimeout(300);
    const { events, scripts } = await p.evaluate(() => ({
      events: /** @type {Window & { __timeline?: [number, string][] }} */ (window).__timeline ?? [],
      scripts: performance
        .getEntriesByType("resource")
        .filter((e) => /\.(js|css|json)$/.test(new URL(e.name).pathname))
        .map((e) => [/** @type {PerformanceResourceTiming} */ (e).responseEnd, `fetched ${new URL(e.name).pathname}`]),
    }));
    const all = [...events, ...scripts].sort((a, b) => Number(a[0]) - Number(b[0]));
    if (provisioned) await p.context().close();
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
  if (process.env.LOAD_TRACE) await traceReload(ctx, page);
  await ctx.close();
} finally {
  await stopSession(s);
}

/**
 * One more reload under Chromium's tracing: the renderer main thread's top-level work from
 * navigation to registered, summed by kind, and its longest slices in order.
 * @param {import("playwright-core").BrowserContext} ctx
 * @param {import("playwright-core").Page} page
 */
async function traceReload(ctx, page) {
  const cdp = await ctx.newCDPSession(page);
  /** @typedef {{ name: string, ph: string, ts: number, dur?: number, pid: number, tid: number, args?: { name?: string, data?: { url?: string } } }} TraceEvent */
  /** @type {TraceEvent[]} */
  const events = [];
  cdp.on("Tracing.dataCollected", (e) => events.push(.../** @type {TraceEvent[]} */ (/** @type {unknown} */ (e.value))));
  const done = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
  await cdp.send("Tracing.start", {
    categories: "devtools.timeline,v8,v8.execute,blink,loading,disabled-by-default-devtools.timeline",
    transferMode: "ReportEvents",
  });
  await page.reload();
  await waitForLineState(page, "registered");
  await cdp.send("Tracing.end");
  await done;
  // The page's renderer main thread: the one that parsed the page's HTML. Times are from there.
  const mains = events.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const nav = events.find((e) => e.name === "ParseHTML" && mains.some((m) => m.pid === e.pid && m.tid === e.tid));
  const main = mains.find((m) => m.pid === nav?.pid && m.tid === nav?.tid);
  if (!main || !nav) return console.log("no renderer main thread that parsed HTML in the trace");
  const reg = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === "X" && e.dur !== undefined);
  // Top-level slices only: those not inside another slice of the same thread.
  reg.sort((a, b) => a.ts - b.ts);
  /** @type {typeof reg} */
  const top = [];
  let end = -Infinity;
  for (const e of reg) {
    if (e.ts >= end) {
      top.push(e);
      end = e.ts + (e.dur ?? 0);
    }
  }
  /** @type {Map<string, number>} */
  const byKind = new Map();
  /** What each top-level slice spent, by its children's kinds (compile, style, layout...). */
  for (const e of reg) {
    if (
      !/Compile|Parse|EvaluateScript|FunctionCall|RunMicrotasks|UpdateLayoutTree|Layout|Paint|PrePaint|Commit|ParseHTML|ParseAuthorStyleSheet|RecalculateStyles|GC|TimerFire|EventDispatch/.test(
        e.name,
      )
    )
      continue;
    byKind.set(e.name, (byKind.get(e.name) ?? 0) + (e.dur ?? 0));
  }
  const ms = (/** @type {number} */ us) => (us / 1000).toFixed(1).padStart(7);
  console.log("--- main thread, reload -> registered: time inside each kind of slice (nested kinds overlap)");
  for (const [k, v] of [...byKind].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${ms(v)} ms  ${k}`);
  console.log("--- top-level slices of 3 ms or more, in order (start since the navigation committed, duration)");
  const KINDS =
    /^(v8\.compile|v8\.compileModule|V8\.CompileCode|EvaluateScript|v8\.evaluateModule|FunctionCall|RunMicrotasks|UpdateLayoutTree|Layout|Paint|PrePaint|ParseHTML|ParseAuthorStyleSheet|MajorGC|MinorGC|TimerFire|EventDispatch|ResourceReceivedData|Commit)$/;
  for (const e of top) {
    if ((e.dur ?? 0) < 3000) continue;
    const inside = reg.filter((c) => c !== e && c.ts >= e.ts && c.ts + (c.dur ?? 0) <= e.ts + (e.dur ?? 0) && KINDS.test(c.name));
    /** @type {Map<string, number>} */
    const kinds = new Map();
    for (const c of inside) {
      const what = `${c.name}${c.args?.data?.url ? ` ${new URL(c.args.data.url).pathname.replace(/^.*\//, "")}` : ""}`;
      kinds.set(what, (kinds.get(what) ?? 0) + (c.dur ?? 0));
    }
    const parts = [...kinds]
      .sort((x, y) => y[1] - x[1])
      .slice(0, 5)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`);
    console.log(`${ms(e.ts - nav.ts)} ms ${ms(e.dur ?? 0)} ms  ${parts.join(", ")}`);
    // LOAD_TRACE=2: what a long slice holds, every kind (the unnamed time above is in these).
    if (process.env.LOAD_TRACE === "2" && (e.dur ?? 0) >= 20_000) {
      /** @type {Map<string, number>} */
      const all = new Map();
      for (const c of reg)
        if (c !== e && c.ts >= e.ts && c.ts + (c.dur ?? 0) <= e.ts + (e.dur ?? 0)) all.set(c.name, (all.get(c.name) ?? 0) + (c.dur ?? 0));
      for (const [k, v] of [...all].sort((x, y) => y[1] - x[1]).slice(0, 15)) console.log(`${" ".repeat(20)}${ms(v)} ms  ${k}`);
    }
  }
}
