// CRM screen pop (issue 16): a line's `screenPop` opens the caller's record as the call rings or
// once it is answered, with the caller's number and name in the URL; where the browser blocks
// the window (its pop-up blocker on, no click), the call's card offers the link, and the user's
// click opens it. Playwright turns Chromium's pop-up blocker off: the first two tests are a user
// who allowed pop-ups for the phone's site; the last one keeps the blocker on.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { USERS } from "./bed/bed.mjs";
import { accountFor, el, hangupAll, launchBrowser, openPhone, waitForCall } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */

/** @type {import("./lib/session.mjs").Session} */
let s;
/** @type {PhonePage} */
let bob;
/** @type {import("playwright-core").Browser | undefined} */
let blocking;
before(async () => {
  s = await startSession();
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
});
after(async () => {
  await hangupAll(bob);
  await blocking?.close();
  await stopSession(s);
});

/**
 * Alice's configuration with a screen pop to a page of the app's origin (the CRM stand-in).
 * @param {"ring" | "answer"} on
 */
function aliceWithScreenPop(on) {
  const config = accountFor(USERS.alice, { server: s.wss });
  Object.assign(config.accounts[0], { screenPop: { url: `${s.appUrl}/crm/search?number={number}&name={name}&line={line}`, on } });
  return config;
}

test("on ring: the CRM page opens as bob's call rings, with his number and name, and no way back to the phone", async () => {
  const alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: aliceWithScreenPop("ring") });
  const popup = alice.context().waitForEvent("page");
  const out = await el(bob, (e) => e.dial("1001"));
  const crm = await popup;
  const url = new URL(crm.url());
  assert.equal(url.pathname, "/crm/search");
  assert.equal(url.searchParams.get("number"), "1002");
  assert.equal(url.searchParams.get("name"), USERS.bob.name);
  // Still ringing: it opened on ring, not on answer.
  const atAlice = await waitForCall(alice, (c) => c.state === "incoming");
  assert.equal(await crm.evaluate(() => window.opener), null, "the CRM page cannot reach the phone's window");
  // The card keeps the link too.
  const link = await alice.evaluate(() =>
    document.querySelector("sip-phone")?.shadowRoot?.querySelector(".screen-pop a")?.getAttribute("href"),
  );
  assert.equal(link, crm.url());
  assert.ok(out);
  await el(alice, (e, id) => e.decline(id), atAlice.id);
  await alice.context().close();
});

test("on answer: nothing opens while it rings; answered, the page opens once", async () => {
  const alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: aliceWithScreenPop("answer") });
  /** @type {string[]} */
  const opened = [];
  alice.context().on("page", (p) => opened.push(p.url()));
  await el(bob, (e) => e.dial("1001"));
  const atAlice = await waitForCall(alice, (c) => c.state === "incoming");
  // The ringing call is rendered (its card is there) and no window came with it.
  await alice.waitForFunction(() => document.querySelector("sip-phone")?.shadowRoot?.querySelector("sip-call-panel"));
  assert.deepEqual(opened, []);
  const popup = alice.context().waitForEvent("page");
  await el(alice, (e, id) => e.answer(id), atAlice.id);
  const crm = await popup;
  assert.equal(new URL(crm.url()).searchParams.get("number"), "1002");
  await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: atAlice.id });
  assert.equal(opened.length, 1);
  await hangupAll(alice, bob);
  await alice.context().close();
});

test("with the pop-up blocker on: no window by itself, the card says so, and a click on its link opens the page", async () => {
  blocking = await launchBrowser({ popupBlocker: true });
  const alice = await openPhone(blocking, s.appUrl, { name: "alice", config: aliceWithScreenPop("ring") });
  /** @type {string[]} */
  const opened = [];
  alice.context().on("page", (p) => opened.push(p.url()));
  // Playwright's evaluate() counts as a user gesture, and a gesture lets a page open a window for
  // a few seconds: alice's page is left alone (no evaluate) from well before the call until it rings.
  await new Promise((r) => setTimeout(r, 6000));
  const out = await el(bob, (e) => e.dial("1001"));
  await waitForCall(bob, (c, id) => c.id === id && c.state === "ringing", { arg: out });
  // The note comes after the attempt to open the window: once it shows, no window came.
  const note = alice.locator("sip-phone .screen-pop .note");
  await note.waitFor();
  assert.match((await note.textContent()) ?? "", /blocked/);
  assert.deepEqual(opened, [], "the blocker refused the window");
  const popup = alice.context().waitForEvent("page");
  await alice.locator("sip-phone .screen-pop a").click();
  const crm = await popup;
  assert.equal(new URL(crm.url()).searchParams.get("number"), "1002");
  await hangupAll(alice, bob);
});
