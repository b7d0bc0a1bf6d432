// Closing the tab that holds a call ends it properly: the page asks first, the far end gets BYE
// (or CANCEL while it rings) at once instead of keeping a dead call, and the call is in the
// history when the phone is opened again in the same profile.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { USERS } from "./bed/bed.mjs";
import { accountFor, el, eventually, openPhone, storedHistory, waitForCall, waitForLineState, waitForPhone } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").Page} Page */
/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */

/** @type {import("./lib/session.mjs").Session} */
let s;
/** @type {PhonePage} */
let bob;
before(async () => {
  s = await startSession();
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
});
after(async () => {
  await stopSession(s);
});

/**
 * Dials the way a user does (a click: browsers ask before unload only on a page the user used).
 * @param {Page} page
 * @param {string} number
 */
async function dialFromPad(page, number) {
  await page.getByLabel("Number to call").fill(number);
  await page.getByRole("button", { name: "Call", exact: true }).click();
  return waitForCall(page, (c) => c.direction === "out" && c.state !== "ended");
}

/**
 * Closes the page as a user closing the tab does (beforeunload runs), accepting the prompt.
 * Resolves with the dialogs the page raised and when the close was asked for.
 * @param {Page} page
 */
async function closeTab(page) {
  /** @type {string[]} */
  const dialogs = [];
  page.on("dialog", (d) => {
    dialogs.push(d.type());
    void d.accept();
  });
  const closed = new Promise((resolve) => page.once("close", resolve));
  const at = Date.now();
  await page.close({ runBeforeUnload: true });
  await closed;
  return { dialogs, at };
}

/**
 * The first SIP request of `method` the page received after frame `from`, and when it was seen.
 * @param {PhonePage} page
 * @param {number} from
 * @param {string} method
 */
async function received(page, from, method) {
  const frame = await eventually(() => page.sipReceived.slice(from).find((f) => f.startsWith(`${method} `)), {
    message: `${method} at ${page.phoneName}`,
    timeout: 10_000,
    interval: 20,
  });
  return { frame, at: Date.now() };
}

/**
 * Opens the phone again in the profile of a closed page and waits until it has registered.
 * @param {import("playwright-core").BrowserContext} context
 */
async function reopen(context) {
  const page = await context.newPage();
  await page.goto(s.appUrl);
  await waitForLineState(page, "registered");
  return page;
}

/** @param {Page} page */
async function historyRows(page) {
  await page.getByRole("tab", { name: /History/ }).click();
  const list = page.getByRole("list", { name: "Call history" });
  await eventually(async () => (await list.getByRole("listitem").count()) > 0, { message: "history rows" });
  return (await list.getByRole("listitem").allTextContents()).map((t) => t.replace(/\s+/g, " "));
}

test("closing the page with a connected call asks first, sends BYE at once, and the call is in the history", async (t) => {
  const alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }) });
  const context = alice.context();
  const out = await dialFromPad(alice, "1002");
  const atBob = await waitForCall(bob, (c) => c.state === "incoming");
  await el(bob, (e, id) => e.answer(id), atBob.id);
  await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: out.id });
  await waitForCall(bob, (c, id) => c.id === id && c.state === "established", { arg: atBob.id });

  const mark = bob.sipReceived.length;
  const { dialogs, at } = await closeTab(alice);
  assert.deepEqual(dialogs, ["beforeunload"], "the page asked before closing with a call up");
  const bye = await received(bob, mark, "BYE");
  t.diagnostic(`BYE reached bob ${bye.at - at} ms after the tab was closed`);
  assert.ok(bye.at - at < 5000, `BYE within 5 s (took ${bye.at - at} ms)`);
  await waitForPhone(bob, (e) => e.calls.length === 0, null, { timeout: 5000 });

  const again = await reopen(context);
  const stored = (await storedHistory(again)).find((e) => e.id === out.id);
  assert.ok(stored, `the call ${out.id} is in the history: ${JSON.stringify(await storedHistory(again))}`);
  assert.equal(stored.result, "answered");
  assert.equal(stored.direction, "out");
  assert.equal(stored.remote, "1002");
  assert.equal(stored.open, undefined, "completed when the tab closed, not left as written at the start");
  assert.ok(stored.answeredAt && stored.endedAt >= stored.answeredAt && stored.endedAt <= Date.now());
  const rows = await historyRows(again);
  assert.match(rows[0] ?? "", /1002.*answered/);
  await again.close();
});

test("closing the page while its call rings at the far end sends CANCEL, and the call is in the history", async (t) => {
  const alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }) });
  const context = alice.context();
  const out = await dialFromPad(alice, "1002");
  await waitForCall(bob, (c) => c.state === "incoming");
  await waitForCall(alice, (c, id) => c.id === id && c.state === "ringing", { arg: out.id });

  const mark = bob.sipReceived.length;
  const { dialogs, at } = await closeTab(alice);
  assert.deepEqual(dialogs, ["beforeunload"]);
  const cancel = await received(bob, mark, "CANCEL");
  t.diagnostic(`CANCEL reached bob ${cancel.at - at} ms after the tab was closed`);
  assert.ok(cancel.at - at < 5000, `CANCEL within 5 s (took ${cancel.at - at} ms)`);
  await waitForPhone(bob, (e) => e.calls.length === 0, null, { timeout: 5000 });

  const again = await reopen(context);
  const stored = (await storedHistory(again)).find((e) => e.id === out.id);
  assert.ok(stored, `the call ${out.id} is in the history`);
  assert.equal(stored.result, "cancelled");
  assert.equal(stored.open, undefined);
  assert.equal(stored.answeredAt, undefined);
  const rows = await historyRows(again);
  assert.match(rows[0] ?? "", /1002.*not answered/);
  await context.close();
});

test("an idle phone closes without asking", async () => {
  const alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }) });
  // A click first: the browser would ask on this page if the phone wanted it to.
  await alice.getByLabel("Number to call").click();
  const { dialogs } = await closeTab(alice);
  assert.deepEqual(dialogs, []);
  await alice.context().close();
});
