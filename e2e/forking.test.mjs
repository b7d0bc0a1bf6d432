// One number on several devices (issue 13): Kamailio forks a call to every registration of
// alice; when one answers, the other gets CANCEL with `Reason: SIP;cause=200` (RFC 3326) and must
// end as "answered elsewhere": no missed call, no badge, and the history says so.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { USERS } from "./bed/bed.mjs";
import { accountFor, el, eventually, hangupAll, openPhone, storedHistory, waitForCall, waitForPhone } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").Page} Page */
/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */
/** @typedef {import("./lib/sip-phone-api.mjs").CallSnapshot} CallSnapshot */

/** @type {import("./lib/session.mjs").Session} */
let s;
/** @type {PhonePage} */
let desk;
/** @type {PhonePage} */
let laptop;
/** @type {PhonePage} */
let bob;
before(async () => {
  s = await startSession();
  // Alice's number registered twice: two browser profiles, as on two computers.
  desk = await openPhone(s.browser, s.appUrl, { name: "alice-desk", config: accountFor(USERS.alice, { server: s.wss }) });
  laptop = await openPhone(s.browser, s.appUrl, { name: "alice-laptop", config: accountFor(USERS.alice, { server: s.wss }) });
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
});
afterEach(async () => {
  await hangupAll(desk, laptop, bob);
});
after(async () => {
  await stopSession(s);
});

test("a call answered on one of alice's devices ends on the other as answered elsewhere, not missed", async () => {
  /** @type {(page: Page) => Promise<void>} */
  const recordEnded = (page) =>
    page.evaluate(() => {
      const w = /** @type {Window & { __ended?: CallSnapshot[] }} */ (window);
      w.__ended = [];
      document.querySelector("sip-phone")?.addEventListener("call-state", (e) => {
        const c = /** @type {CustomEvent<CallSnapshot>} */ (e).detail;
        if (c.state === "ended") w.__ended?.push(c);
      });
    });
  await recordEnded(laptop);
  await el(bob, (e) => e.dial("1001"));
  const atDesk = await waitForCall(desk, (c) => c.state === "incoming");
  const atLaptop = await waitForCall(laptop, (c) => c.state === "incoming");
  await el(desk, (e, id) => e.answer(id), atDesk.id);
  await waitForCall(bob, (c) => c.state === "established");
  // The laptop's ringing call ends, and the CANCEL it got says why.
  await waitForPhone(laptop, (e) => e.calls.length === 0, null, { timeout: 10_000 });
  await eventually(() => laptop.sipReceived.some((m) => m.startsWith("CANCEL ") && /^Reason: SIP;\s*cause=200/im.test(m)), {
    message: "the laptop received CANCEL with Reason: SIP;cause=200",
  });
  const ended = await laptop.evaluate(() => /** @type {Window & { __ended?: CallSnapshot[] }} */ (window).__ended ?? []);
  assert.deepEqual(
    ended.map((c) => [c.id, c.reason]),
    [[atLaptop.id, "answered-elsewhere"]],
  );
  // No missed call: the History tab has no badge, and the entry says where it was answered.
  await eventually(async () => (await storedHistory(laptop)).find((h) => h.id === atLaptop.id)?.result === "answered-elsewhere", {
    message: "the laptop's history has the call as answered elsewhere",
  });
  const historyTab = laptop.getByRole("tab", { name: /History/ });
  assert.equal(await historyTab.locator(".badge").count(), 0, "no missed-call badge");
  await historyTab.click();
  const rows = laptop.getByRole("list", { name: "Call history" }).getByRole("listitem");
  await eventually(async () => /answered elsewhere/.test((await rows.allTextContents()).join(" ")), {
    message: "the history row says answered elsewhere",
  });
  // The desk, which answered, has it as answered.
  await eventually(async () => (await storedHistory(desk)).find((h) => h.id === atDesk.id)?.result === "answered", {
    message: "the desk's history has the call as answered",
  });
});
