// Accessibility (issue 16): axe-core (WCAG 2.1 A and AA rules) on every view of the app page and
// on the call states, in light and dark colour schemes. Asserts no violation.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { USERS } from "./bed/bed.mjs";
import { accountFor, el, openPhone, waitForCall } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */

/** @type {import("./lib/session.mjs").Session} */
let s;
/** @type {PhonePage} */
let alice;
/** @type {PhonePage} */
let bob;
before(async () => {
  s = await startSession();
  alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }) });
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
});
after(async () => {
  await stopSession(s);
});

/**
 * axe-core's WCAG 2.1 A/AA violations on the page as it is now (shadow roots included), as
 * "rule: target (summary)" lines.
 * @param {PhonePage} page
 */
async function violations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const axe = /** @type {any} */ (window).axe;
    const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations.flatMap((/** @type {any} */ v) =>
      v.nodes.map((/** @type {any} */ n) => `${v.id}: ${JSON.stringify(n.target)} (${n.failureSummary?.split("\n")[1]?.trim() ?? v.help})`),
    );
  });
}

/** The element each view shows in its tab panel. */
const VIEW_TAGS = /** @type {Record<string, string>} */ ({
  phone: "sip-dialpad",
  history: "sip-history",
  messages: "sip-conversations",
  contacts: "sip-contacts",
  lines: "sip-lines-editor",
  settings: "sip-settings",
});

for (const scheme of /** @type {const} */ (["light", "dark"])) {
  test(`every view of the app page, ${scheme}: no WCAG 2.1 A/AA violation`, async () => {
    await alice.emulateMedia({ colorScheme: scheme });
    /** @type {string[]} */
    const found = [];
    for (const view of ["phone", "history", "messages", "contacts", "lines", "settings"]) {
      await el(alice, (e, v) => e.showView(/** @type {"history"} */ (v)), view);
      // The view's element is defined (its module loaded on first use) and has rendered, the
      // history has been read, and the tabs' colour transitions are over (axe reads the colours).
      await alice.waitForFunction((tag) => {
        const root = document.querySelector("sip-phone")?.shadowRoot;
        const view = root?.querySelector(`[role="tabpanel"] ${tag}`);
        return (
          !!view?.shadowRoot?.childElementCount &&
          !view.shadowRoot.querySelector('[aria-busy="true"]') &&
          !!root?.getAnimations().every((a) => a.playState !== "running")
        );
      }, VIEW_TAGS[view]);
      for (const v of await violations(alice)) found.push(`${view}: ${v}`);
    }
    await el(alice, (e) => e.showView("phone"));
    assert.deepEqual(found, []);
  });
}

test("the call states: incoming, established, held: no WCAG 2.1 A/AA violation", async () => {
  /** @type {string[]} */
  const found = [];
  const id = await el(alice, (e) => e.dial("1002"));
  const incoming = await waitForCall(bob, (c) => c.state === "incoming");
  for (const v of await violations(bob)) found.push(`incoming: ${v}`);
  await el(bob, (e, callId) => e.answer(callId), incoming.id);
  await waitForCall(alice, (c, callId) => c.id === callId && c.state === "established", { arg: id });
  // The quality indicator's first reading (it shows nothing before one).
  await alice.waitForFunction(() =>
    document
      .querySelector("sip-phone")
      ?.shadowRoot?.querySelector("sip-call-panel")
      ?.shadowRoot?.querySelector("sip-call-quality")
      ?.shadowRoot?.querySelector("[data-grade]"),
  );
  for (const v of await violations(alice)) found.push(`established: ${v}`);
  await el(alice, (e, callId) => e.hold(callId), id);
  await waitForCall(alice, (c, callId) => c.id === callId && c.held, { arg: id });
  for (const v of await violations(alice)) found.push(`held: ${v}`);
  await el(alice, (e, callId) => e.hangup(callId), id);
  assert.deepEqual(found, []);
});
