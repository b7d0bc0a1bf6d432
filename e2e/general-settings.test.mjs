// Settings → General (issue 16): how long the call history is kept (the one setting the History
// view's menu sets too) and the log level. Each applies at once and is kept across a reload; the
// log level decides what the console and the diagnostics file get.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { USERS } from "./bed/bed.mjs";
import { accountFor, el, eventually, openPhone, waitForLineState } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
/** What the leading tab logs at info level when it starts (app/shared-phone.ts). */
const LEADS = "[tabs] this tab leads";

/** @type {import("./lib/session.mjs").Session} */
let s;
/** @type {PhonePage} */
let page;
before(async () => {
  s = await startSession();
  page = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }) });
  // A smaller retention deletes calls: the phone asks first.
  page.on("dialog", (d) => void d.accept());
});
after(() => stopSession(s));

async function openGeneral() {
  await el(page, (e) => e.showView("settings"));
  await page.locator("sip-settings-general sip-retention-setting input").first().waitFor();
}

async function reload() {
  await page.reload();
  await waitForLineState(page, "registered");
  await openGeneral();
}

/**
 * The settings as the phone keeps them (storage/settings-store.ts).
 * @returns {Promise<{ logLevel?: string, historyRetention?: { maxEntries: number, maxAgeDays: number } }>}
 */
function savedSettings() {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("webphone-settings");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction("settings").objectStore("settings").get("settings");
          get.onerror = () => reject(get.error);
          get.onsuccess = () => {
            open.result.close();
            resolve(get.result ?? {});
          };
        };
      }),
  );
}

/** The diagnostics file as the user gets it from Export diagnostics. */
async function exportDiagnostics() {
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export diagnostics" }).click();
  return readFile(await (await download).path(), "utf8");
}

test("history retention and log level: set in Settings → General, kept across a reload, the same setting as the History view's", async () => {
  await openGeneral();
  const calls = page.getByLabel("Calls kept at most");
  const days = page.getByLabel("Days a call is kept");
  assert.equal(await calls.inputValue(), "10000");
  assert.equal(await days.inputValue(), "365");
  await calls.fill("50");
  await calls.press("Tab");
  await days.fill("7");
  await days.press("Tab");
  await page.getByLabel("Log level").selectOption("info");
  await eventually(async () => (await savedSettings()).logLevel === "info", { message: "the log level saved" });
  const status = page.locator("sip-retention-setting [role=status]");
  await eventually(async () => (await status.textContent())?.includes("Keep 50 calls, at most 7 days"), {
    message: "the retention in words",
  });
  assert.deepEqual((await savedSettings()).historyRetention, { maxEntries: 50, maxAgeDays: 7 });

  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const r = await /** @type {any} */ (window).axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return r.violations.map(
      (/** @type {any} */ v) => `${v.id}: ${v.nodes.map((/** @type {any} */ n) => JSON.stringify(n.target)).join(", ")}`,
    );
  });
  assert.deepEqual(violations, []);

  await reload();
  assert.equal(await page.getByLabel("Calls kept at most").inputValue(), "50");
  assert.equal(await page.getByLabel("Days a call is kept").inputValue(), "7");
  assert.equal(await page.getByLabel("Log level").inputValue(), "info");
  // One source of truth: the History view's menu shows the same retention.
  await el(page, (e) => e.showView("history"));
  const keep = page.locator("sip-history select.keep");
  await eventually(
    async () =>
      (await keep.evaluate((sel) => /** @type {HTMLSelectElement} */ (sel).selectedOptions[0]?.textContent)) ===
      "Keep 50 calls, at most 7 days",
    {
      message: "the History view's retention menu",
    },
  );
});

test("the log level decides what the console and the diagnostics file get", async () => {
  // Info (set above): the start of the reloaded page was logged, to the console and the file.
  await reload();
  assert.ok(
    page.consoleLines.some((l) => l === `info: ${LEADS}`),
    "the console got the info line",
  );
  const atInfo = await exportDiagnostics();
  assert.match(atInfo, /--- Log \(level info\) ---/);
  assert.ok(atInfo.includes(LEADS), "the diagnostics file has the info line");

  await page.getByLabel("Log level").selectOption("warn");
  await eventually(async () => (await savedSettings()).logLevel === "warn", { message: "the log level saved" });
  const seen = page.consoleLines.length;
  await reload();
  assert.equal(await page.getByLabel("Log level").inputValue(), "warn");
  assert.ok(!page.consoleLines.slice(seen).some((l) => l.includes(LEADS)), "at warn, the console did not get the info line");
  const atWarn = await exportDiagnostics();
  assert.match(atWarn, /--- Log \(level warn\) ---/);
  assert.ok(!atWarn.includes(LEADS), "at warn, the diagnostics file does not have the info line");
});
