// The call window that stays in sight (issue 16): a Document Picture-in-Picture window with the
// other party, the timer, Mute, Hold and Hang up. Debian's headless Chromium has the API on a
// secure origin (the app on 127.0.0.1 is one), and Playwright sees the window as a page of the
// context. Chromium opens it only within a user activation: the card's Pop out button (a real
// click here), or a hidden tab while the page still has an activation. Headless tabs are never
// hidden, so the second test sets document.visibilityState as a background tab would have it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { USERS } from "./bed/bed.mjs";
import { accountFor, el, eventually, hangupAll, openPhone, waitForCall } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */
/** @typedef {import("playwright-core").Page} Page */

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

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
  await hangupAll(alice, bob);
  await stopSession(s);
});

/** Bob calls Alice and she answers: the call as Alice has it. */
async function connected() {
  await el(bob, (e) => e.dial("1001"));
  const ringing = await waitForCall(alice, (c) => c.state === "incoming");
  await el(alice, (e, id) => e.answer(id), ringing.id);
  await waitForCall(bob, (c) => c.state === "established");
  return waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: ringing.id });
}

/**
 * axe-core's WCAG 2.1 A/AA violations in a page (the call window here).
 * @param {Page} page
 */
async function violations(page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const axe = /** @type {any} */ (window).axe;
    const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations.flatMap((/** @type {any} */ v) => v.nodes.map((/** @type {any} */ n) => `${v.id}: ${JSON.stringify(n.target)}`));
  });
}

/**
 * The text of the call window's main area.
 * @param {Page} pip
 */
const shown = (pip) => pip.evaluate(() => document.querySelector("main")?.textContent?.replace(/\s+/g, " ").trim() ?? "");

test("Pop out opens the call window with Bob, his initials and the timer; its Mute and Hang up act on the call (Bob gets the BYE)", async () => {
  const call = await connected();
  const opened = alice.context().waitForEvent("page");
  await alice.locator("sip-call-panel button.pop-out").click();
  const pip = await opened;
  await pip.waitForSelector("main h1");
  assert.equal(await pip.locator("h1").textContent(), USERS.bob.name);
  assert.equal(await pip.locator(".avatar").getAttribute("data-initials"), "B");
  assert.match((await pip.locator('[role="timer"]').textContent()) ?? "", /^\d+:\d\d$/);
  assert.equal(await pip.evaluate(() => document.documentElement.lang), "en");
  // The design tokens came along: the hang-up button is the phone's red, not the browser's grey.
  const red = await pip.locator("button.hangup").evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.equal(red, "rgb(207, 34, 46)");
  assert.deepEqual(await violations(pip), []);

  await pip.getByRole("button", { name: "Mute" }).click();
  await waitForCall(alice, (c, id) => c.id === id && c.muted, { arg: call.id });
  assert.match(await shown(pip), /muted/);
  await pip.getByRole("button", { name: "Mute" }).click();
  await waitForCall(alice, (c, id) => c.id === id && !c.muted, { arg: call.id });

  const byes = () => bob.sipReceived.filter((m) => m.startsWith("BYE ")).length;
  const before = byes();
  await pip.getByRole("button", { name: "Hang up" }).click();
  await eventually(() => byes() > before, { message: "Bob receives the BYE" });
  await eventually(() => el(bob, (e) => e.calls.length === 0), { message: "Bob's call ended" });
  // The window goes with the call.
  await eventually(() => pip.isClosed(), { message: "the call window closed" });
});

test("Hold in the call window holds the call; a hidden tab with an activation opens the window by itself, and seen again it closes", async () => {
  const call = await connected();
  /** @param {"hidden" | "visible"} state */
  const tab = (state) =>
    alice.evaluate((v) => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => v });
      document.dispatchEvent(new Event("visibilitychange"));
    }, state);
  const opened = alice.context().waitForEvent("page");
  // page.evaluate runs with a user activation, as the click that opened another tab would leave.
  await tab("hidden");
  const pip = await opened;
  await pip.waitForSelector("main h1");
  await pip.getByRole("button", { name: "Hold" }).click();
  await waitForCall(alice, (c, id) => c.id === id && c.held, { arg: call.id });
  await pip.getByRole("button", { name: "Resume" }).click();
  await waitForCall(alice, (c, id) => c.id === id && !c.held, { arg: call.id });
  await tab("visible");
  await eventually(() => pip.isClosed(), { message: "the automatic window closed when the tab was seen again" });
  await hangupAll(alice, bob);
  await alice.evaluate(() => delete (/** @type {any} */ (document).visibilityState));
});
