// First run (issue 16): with no account the phone shows the set-up form, whose Test registers
// once with what was typed (against the bed's Kamailio), unregisters at once, opens and closes
// the microphone, and says in words what worked and what failed. Test saves nothing.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { USERS } from "./bed/bed.mjs";
import { el, eventually, openPhone } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** @type {import("./lib/session.mjs").Session} */
let s;
/** @type {PhonePage} */
let page;
/** What the page's IndexedDB held before the first Test. */
let storedBefore = "";

/**
 * Every database of the page's origin, every store, every record: what "nothing saved" means.
 * @param {PhonePage} p
 * @returns {Promise<string>}
 */
function storage(p) {
  return p.evaluate(async () => {
    /** @type {Record<string, Record<string, unknown[]>>} */
    const out = {};
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await new Promise((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const idb = /** @type {IDBDatabase} */ (db);
      out[name] = {};
      for (const store of idb.objectStoreNames) {
        out[name][store] = await new Promise((resolve, reject) => {
          const all = idb.transaction(store).objectStore(store).getAll();
          all.onsuccess = () => resolve(all.result);
          all.onerror = () => reject(all.error);
        });
      }
      idb.close();
    }
    return JSON.stringify(out, Object.keys(out).sort());
  });
}

before(async () => {
  s = await startSession();
  page = await openPhone(s.browser, s.appUrl, { name: "new user", waitFor: null });
  await page.locator("sip-account-form form").waitFor();
  await page.locator("sip-account-test button").waitFor();
  storedBefore = await storage(page);
});
after(() => stopSession(s));

/**
 * Fills the set-up form and presses Test; returns what the Test says once it is done.
 * @param {{ sipUri: string, password: string, server: string }} fields
 */
async function runTest({ sipUri, password, server }) {
  await page.getByLabel("SIP address").fill(sipUri);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("WebSocket servers").fill(server);
  await page.getByRole("button", { name: "Test", exact: true }).click();
  const status = page.locator("sip-account-test [role=status]");
  return eventually(
    async () => {
      const text = (await status.textContent())?.replace(/\s+/g, " ").trim() ?? "";
      return /Registration:/.test(text) && /Microphone:/.test(text) && text;
    },
    { timeout: 25_000, message: "the Test's outcome" },
  );
}

test("a good account: registration works, then unregistered at once; the microphone works", async () => {
  const before = s.kamailio.registerCount(USERS.alice.user);
  const said = await runTest({ sipUri: `sip:${USERS.alice.user}@127.0.0.1`, password: USERS.alice.password, server: s.wss });
  assert.match(said, new RegExp(`Registration: works \\(${s.wss.replace(/[.]/g, "\\.")}\\)`));
  assert.match(said, /Microphone: works/);
  assert.ok(s.kamailio.registerCount(USERS.alice.user) > before, "Kamailio saw the REGISTER");
  // Unregistered at once: no binding left for 1001.
  await eventually(() => !s.kamailio.locations().aors.some((a) => a.startsWith(USERS.alice.user)), {
    message: "no binding for 1001 after the Test",
  });
  // The form, with the outcome shown, has no WCAG 2.1 A/AA violation.
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
});

test("a wrong password: authentication failed, in words", async () => {
  const said = await runTest({ sipUri: `sip:${USERS.alice.user}@127.0.0.1`, password: "not-the-password", server: s.wss });
  assert.match(said, /Registration: Authentication failed \(401\): check user and password/);
});

test("an unreachable server: said so, naming the server", async () => {
  const said = await runTest({ sipUri: `sip:${USERS.alice.user}@127.0.0.1`, password: USERS.alice.password, server: "wss://127.0.0.1:9" });
  assert.match(said, /Registration: Cannot reach wss:\/\/127\.0\.0\.1:9: no connection/);
});

test("Test saved nothing: IndexedDB is as it was, and the phone still has no line", async () => {
  assert.equal(await storage(page), storedBefore);
  assert.equal(await el(page, (e) => e.lines.length), 0);
  await page.reload();
  await page.locator("sip-account-form form").waitFor();
  assert.equal(await page.getByLabel("SIP address").inputValue(), "");
});
