// The 1000-line start alone (issue 17), with a CPU profile of the page's main thread:
// `node e2e/run.mjs --profile-lines` (after `npx vite build`). Prints the figures of the bench
// ("1000 lines: configure -> all registered", heap per idle line) for PROFILE_RUNS unprofiled
// runs, then one profiled run's top functions by self time, mapped through the build's source
// maps to the original names and files. PROFILE_OUT=file.cpuprofile keeps the raw profile
// (opens in Chromium DevTools' Performance panel), with the build's source maps beside it in
// file.cpuprofile.dist/; `node e2e/bench/profile-lines.mjs file.cpuprofile` summarizes it again
// (PROFILE_CALLERS=regex: who called those functions). PROFILE_AGAINST compares builds (below).
// Asserts nothing.
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startSession, stopSession } from "../lib/session.mjs";
import { startStaticServer } from "../lib/static-server.mjs";
import { heapAfterGc } from "./bare-page.mjs";
import { printProfile } from "./cpu-profile.mjs";
import { configureUntilRegistered, thousandLines as thousandLineConfig } from "./many-lines.mjs";

/** @typedef {import("../lib/sip-phone-api.mjs").SipPhone} SipPhone */
/** @typedef {import("../lib/sip-phone-api.mjs").PhoneConfig} PhoneConfig */
/** @typedef {import("playwright-core").Browser} Browser */
/** @typedef {import("./cpu-profile.mjs").Profile} Profile */

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const RUNS = Number(process.env.PROFILE_RUNS ?? 1);

/**
 * One 1000-line start on a fresh page; with `profile`, the CPU profile taken during it.
 * @param {Browser} browser
 * @param {string} appUrl
 * @param {string} wss
 * @param {boolean} profile
 */
async function thousandLines(browser, appUrl, wss, profile) {
  const c = await browser.newContext({ ignoreHTTPSErrors: true });
  await c.addInitScript(countSip);
  const p = await c.newPage();
  await p.goto(appUrl);
  await p.waitForFunction(() => document.querySelector("sip-phone")?.shadowRoot?.querySelector('[role="tab"], form'));
  const before = await heapAfterGc(p);
  const cdp = await c.newCDPSession(p);
  if (profile) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 250 });
    await cdp.send("Profiler.start");
  }
  const took = await configureUntilRegistered(p, thousandLineConfig(wss));
  const sip = await p.evaluate(() => /** @type {Window & { __sip?: Record<string, number> }} */ (window).__sip ?? {});
  /** @type {Profile | undefined} */
  const prof = profile ? /** @type {{ profile: Profile }} */ (await cdp.send("Profiler.stop")).profile : undefined;
  await cdp.detach();
  const after = await heapAfterGc(p);
  await p.evaluate(() => /** @type {SipPhone} */ (document.querySelector("sip-phone")).configure({ version: 1, accounts: [] }));
  await c.close();
  return { took, heapPerLine: (after - before) / 1000 / 1024, prof, sip };
}

/** In the page: SIP messages sent and received by kind ("> REGISTER", "< 401 REGISTER"), until read. */
function countSip() {
  const w = /** @type {Window & { __sip?: Record<string, number> }} */ (window);
  /** @param {string} key */
  const count = (key) => ((w.__sip ??= {})[key] = (w.__sip[key] ?? 0) + 1);
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (/** @type {string | ArrayBufferLike | Blob | ArrayBufferView} */ data) {
    if (typeof data === "string")
      count(`> ${/^SIP\/2.0 (\d+)/.exec(data)?.[1] ?? data.split(" ", 1)[0]} ${/\r\nCSeq: *\d+ (\w+)/i.exec(data)?.[1]}`);
    return send.call(this, data);
  };
  const WS = window.WebSocket;
  /** @param {ConstructorParameters<typeof WebSocket>} args */
  const counted = function (...args) {
    const ws = new WS(...args);
    ws.addEventListener("message", (e) => {
      const text = typeof e.data === "string" ? e.data : "";
      if (text.trim()) count(`< ${/^SIP\/2.0 (\d+)/.exec(text)?.[1] ?? text.split(" ", 1)[0]} ${/\r\nCSeq: *\d+ (\w+)/i.exec(text)?.[1]}`);
    });
    return ws;
  };
  counted.prototype = WS.prototype;
  Object.assign(counted, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = /** @type {typeof WebSocket} */ (/** @type {unknown} */ (counted));
}

// `node e2e/bench/profile-lines.mjs saved.cpuprofile`: only the summary of a kept profile.
const saved = process.argv.slice(2).find((a) => a.endsWith(".cpuprofile"));
if (saved) {
  printProfile(JSON.parse(readFileSync(saved, "utf8")), existsSync(`${saved}.dist`) ? `${saved}.dist` : join(root, "dist"));
  process.exit(0);
}

/**
 * What is measured: the build in dist/, and with PROFILE_AGAINST="name=dir,..." other builds
 * of the app (a copy of the tree with a change left out, built with `npx vite build`), run in
 * turn on the same bed, so that a noisy machine weighs on all of them alike.
 */
const builds = [
  { name: "dist", dir: join(root, "dist") },
  ...(process.env.PROFILE_AGAINST ?? "")
    .split(",")
    .filter(Boolean)
    .map((pair) => {
      const [name, dir] = pair.split("=");
      return { name, dir: join(dir, "dist") };
    }),
];

const s = await startSession();
/** @type {Array<{ close(): unknown }>} */
const servers = [];
try {
  const urls = [s.appUrl];
  for (const b of builds.slice(1)) {
    const web = await startStaticServer({ root: b.dir });
    servers.push(web);
    urls.push(web.url);
  }
  /** @type {number[][]} */
  const took = builds.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    for (const [k, b] of builds.entries()) {
      const r = await thousandLines(s.browser, urls[k], s.wss, false);
      took[k].push(r.took);
      console.log(
        `${b.name}: 1000 lines: configure -> all registered: ${r.took.toFixed(0)} ms; JS heap per idle line: ${r.heapPerLine.toFixed(1)} KiB`,
      );
    }
  }
  for (const [k, b] of builds.entries()) {
    const sorted = [...took[k]].sort((x, y) => x - y);
    console.log(`${b.name}: median of ${RUNS}: ${sorted[Math.floor((RUNS - 1) / 2)].toFixed(0)} ms`);
  }
  if (process.env.PROFILE !== "0") {
    for (const [k, b] of builds.entries()) {
      const r = await thousandLines(s.browser, urls[k], s.wss, true);
      const prof = /** @type {Profile} */ (r.prof);
      const out =
        process.env.PROFILE_OUT && k ? process.env.PROFILE_OUT.replace(/(\.cpuprofile)?$/, `.${b.name}$1`) : process.env.PROFILE_OUT;
      if (out) {
        writeFileSync(out, JSON.stringify(prof));
        cpSync(join(b.dir, "assets"), `${out}.dist/assets`, { recursive: true, filter: (f) => !f.endsWith(".js") });
      }
      console.log(`\n${b.name}: profiled run: ${r.took.toFixed(0)} ms; SIP messages: ${JSON.stringify(r.sip)}`);
      printProfile(prof, b.dir);
    }
  }
} finally {
  for (const web of servers) await web.close();
  await stopSession(s);
}
