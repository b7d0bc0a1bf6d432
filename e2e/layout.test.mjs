// Layout (issue 16): one column up to a phone's width; on a desktop window two panes, the phone
// (dialpad, calls) beside the open view, so a number is dialled while the history or the
// contacts stay in sight.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { USERS } from "./bed/bed.mjs";
import { accountFor, el, hangupAll, openPhone, PHONE_VIEWPORT, waitForCall } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

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
  await hangupAll(alice, bob);
  await stopSession(s);
});

/**
 * Where an element of the phone's shadow tree is on screen (null: not rendered).
 * @param {PhonePage} page
 * @param {string} selector
 */
function box(page, selector) {
  return page.evaluate((sel) => {
    const found = document.querySelector("sip-phone")?.shadowRoot?.querySelector(sel);
    if (!found) return null;
    const r = found.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  }, selector);
}

test("a 1280 px window: two panes; a number dialled from the phone pane while the contacts stay open beside it", async () => {
  await alice.setViewportSize({ width: 1280, height: 800 });
  await el(alice, (e) => e.showView("contacts"));
  await alice.waitForFunction(() => !!document.querySelector("sip-phone")?.shadowRoot?.querySelector(".view-pane sip-contacts"));
  const tabs = await alice.getByRole("tab").allTextContents();
  assert.ok(!tabs.some((t) => /Phone/.test(t)), `no dialpad tab: it has its own pane (${tabs.join(", ")})`);
  const dialpad = await box(alice, ".phone-pane sip-dialpad");
  const contacts = await box(alice, ".view-pane sip-contacts");
  assert.ok(dialpad && contacts, "dialpad and contacts both rendered");
  assert.ok(dialpad.x + dialpad.width <= contacts.x, "the dialpad is left of the contacts");
  assert.ok(Math.abs(dialpad.y - contacts.y) < 200, "side by side, not one under the other");

  await alice.getByLabel("Number to call").fill("1002");
  await alice.getByRole("button", { name: "Call", exact: true }).click();
  const atBob = await waitForCall(bob, (c) => c.state === "incoming");
  assert.equal(atBob.remote, "1001");
  // The call shows in the phone pane; the contacts are still open beside it.
  await alice.waitForFunction(() => !!document.querySelector("sip-phone")?.shadowRoot?.querySelector(".phone-pane sip-call-panel"));
  assert.ok(await box(alice, ".view-pane sip-contacts"), "the contacts stay open during the call");
  await hangupAll(alice, bob);
});

test("a 400 px window: one column, the dialpad's tab first; another view takes the dialpad's place", async () => {
  await alice.setViewportSize({ width: 400, height: 800 });
  try {
    await alice.waitForFunction(() => !document.querySelector("sip-phone")?.shadowRoot?.querySelector(".panes"));
    const tabs = await alice.getByRole("tab").allTextContents();
    assert.match(tabs[0] ?? "", /Phone/);
    await alice.getByRole("tab", { name: "Phone" }).click();
    assert.ok(await box(alice, "sip-dialpad"), "the dialpad shows");
    await alice.getByRole("tab", { name: /History/ }).click();
    await alice.waitForFunction(() => !!document.querySelector("sip-phone")?.shadowRoot?.querySelector("sip-history"));
    assert.equal(await box(alice, "sip-dialpad"), null, "one view at a time");
  } finally {
    await alice.setViewportSize(PHONE_VIEWPORT);
  }
});
