// The bench's floor: a bare SIP.js 0.21 page (e2e/bench/bare/), built and measured in the same
// run as the phone, on the same bed, so every figure can be given as a ratio to it.
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { startStaticServer } from "../lib/static-server.mjs";

/** @typedef {import("../lib/browser.mjs").Page} Page */
/** @typedef {import("playwright-core").Browser} Browser */

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Builds the bare page into `outDir` (production build, as the phone's) and serves it.
 * @param {string} outDir
 */
export async function serveBarePage(outDir) {
  await build({
    root: join(here, "bare"),
    base: "./",
    logLevel: "warn",
    configFile: false,
    build: { outDir, emptyOutDir: true, target: "es2022" },
  });
  const js = readdirSync(join(outDir, "assets"))
    .filter((f) => f.endsWith(".js"))
    .reduce((n, f) => n + gzipSync(readFileSync(join(outDir, "assets", f)), { level: 9 }).length, 0);
  const web = await startStaticServer({ root: outDir });
  return { url: web.url, js, close: () => web.close() };
}

/**
 * The JS heap in use after two forced collections.
 * @param {Page} page
 */
export async function heapAfterGc(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  await cdp.detach();
  return usedSize;
}

/**
 * A bare page registered as `user` (a fresh context with the bench's instrumentation).
 * @param {Browser} browser
 * @param {string} base the page's URL
 * @param {{ user: string, password: string }} user
 * @param {string} server
 * @param {() => void} instrument
 * @param {{ waitRegistered?: boolean }} [options] `waitRegistered: false`: returns once loaded, for
 *   a first load that is measured and must not be touched meanwhile (page-times.mjs, measureStarts)
 */
export async function openBare(browser, base, user, server, instrument, { waitRegistered = true } = {}) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  // As the phone's pages: the user allowed the microphone for the site.
  await context.grantPermissions(["microphone"]);
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const url = `${base}/?${new URLSearchParams({ user: user.user, pass: user.password, server })}`;
  await page.goto(url);
  if (waitRegistered) await page.waitForFunction(() => /** @type {any} */ (window).bare?.registered(), null, { timeout: 15_000 });
  return page;
}
