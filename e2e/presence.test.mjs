// Busy lamps and pickup on the Kamailio bed: Kamailio's pua_dialoginfo publishes every call's
// dialog state and its presence module NOTIFYs the watchers (e2e/bed/kamailio.cfg). Asserted
// on the wire: the SUBSCRIBE bob sends, the NOTIFYs he gets, the INVITE with Replaces of a
// pickup and the CANCEL that stops alice's ringing, and RTP both ways once picked up.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { USERS } from "./bed/bed.mjs";
import { accountFor, el, eventually, hangupAll, openPhone, stats, waitForCall, waitForPhone } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").Page} Page */
/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */

/** @type {import("./lib/session.mjs").Session} */
let s;
/** @type {PhonePage} */
let alice;
/** @type {PhonePage} */
let bob;
/** @type {PhonePage} */
let carol;
before(async () => {
  s = await startSession();
  alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }) });
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
  carol = await openPhone(s.browser, s.appUrl, { name: "carol", config: accountFor(USERS.carol, { server: s.wss }) });
  await el(bob, (e) => e.watch("1001"));
});
afterEach(async () => {
  await hangupAll(alice, bob, carol);
  await lamp(bob, "1001", "idle");
});
after(async () => {
  await stopSession(s);
});

/**
 * Waits until `page` shows `target`'s lamp in `state`.
 * @param {Page} page
 * @param {string} target
 * @param {string} state
 */
function lamp(page, target, state) {
  return waitForPhone(page, (e, [t, st]) => e.watched.some((w) => w.target === t && w.state === st), [target, state], {
    timeout: 15_000,
  });
}

/**
 * Whether `page` receives at least `by` RTP packets on the call within a second.
 * @param {Page} page
 * @param {string} callId
 * @param {number} [by]
 */
async function grows(page, callId, by = 30) {
  const a = (await stats(page, callId)).packetsReceived;
  await new Promise((r) => setTimeout(r, 1000));
  return (await stats(page, callId)).packetsReceived - a >= by;
}

test("bob watches alice (SUBSCRIBE, Event: dialog): ringing, busy and idle as carol calls her", async () => {
  await lamp(bob, "1001", "idle");
  assert.ok(
    bob.sipReceived.some((m) => m.startsWith("NOTIFY ") && /^Event: dialog/im.test(m)),
    "bob received a NOTIFY of the dialog event",
  );
  const out = await el(carol, (e) => e.dial("1001"));
  const inc = await waitForCall(alice, (c) => c.state === "incoming");
  await lamp(bob, "1001", "ringing");
  assert.ok(
    bob.sipReceived.some((m) => m.startsWith("NOTIFY ") && /<state[^>]*>early<\/state>/.test(m)),
    "a NOTIFY carried the early dialog",
  );
  await el(alice, (e, id) => e.answer(id), inc.id);
  await waitForCall(carol, (c, id) => c.id === id && c.state === "established", { arg: out });
  await lamp(bob, "1001", "busy");
  await el(carol, (e, id) => e.hangup(id), out);
  await lamp(bob, "1001", "idle");
  const subscribes = s.kamailio.log.match(/REQ SUBSCRIBE sip:1001@/g) ?? [];
  assert.ok(subscribes.length >= 1, "Kamailio saw bob's SUBSCRIBE");
});

test("bob picks up alice's ringing call: bob talks to carol, alice stops ringing", async () => {
  const out = await el(carol, (e) => e.dial("1001"));
  const inc = await waitForCall(alice, (c) => c.state === "incoming");
  await lamp(bob, "1001", "ringing");
  const picked = await el(bob, (e) => e.pickup("1001"));
  await waitForCall(bob, (c, id) => c.id === id && c.state === "established", { arg: picked });
  // The INVITE bob sent names carol's early dialog, early-only (RFC 3891).
  assert.match(s.kamailio.log, /REQ INVITE sip:1003@/, "bob's INVITE went to the caller");
  assert.ok(
    carol.sipReceived.some((m) => m.startsWith("INVITE ") && /^Replaces: [^\r\n]*;to-tag=[^\r\n]*early-only/im.test(m)),
    "carol received bob's INVITE with Replaces (early-only)",
  );
  // Alice's ringing ends: carol's UA cancelled its INVITE to her.
  await waitForPhone(alice, (e, id) => !e.calls.some((c) => c.id === id), inc.id);
  assert.ok(
    alice.sipReceived.some((m) => m.startsWith("CANCEL ")),
    "alice received the CANCEL of carol's INVITE",
  );
  const carolCall = await waitForCall(carol, (c, id) => c.state === "established" && c.replaces === id, { arg: out });
  await eventually(() => grows(bob, picked), { message: "bob hears carol" });
  await eventually(() => grows(carol, carolCall.id), { message: "carol hears bob" });
});
