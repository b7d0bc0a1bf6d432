// Busy lamps and pickup on the Kamailio bed: Kamailio's pua_dialoginfo publishes every call's
// dialog state and its presence module NOTIFYs the watchers (e2e/bed/kamailio.cfg). Asserted
// on the wire: the SUBSCRIBE bob sends, the NOTIFYs he gets, the INVITE with Replaces of a
// pickup and the CANCEL that stops alice's ringing, and RTP both ways once picked up. Park and
// retrieve: the bed's park orbit is baresip registered as 2002 (Kamailio holds no calls; a PBX's
// orbit answers and plays music): alice parks carol there by REFER, bob, who watches the slot,
// takes her back with an INVITE to carol whose Replaces names her call with the orbit.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { Baresip, USERS } from "./bed/bed.mjs";
import { accountFor, el, eventually, hangupAll, openPhone, stats, storedHistory, waitForCall, waitForPhone } from "./lib/browser.mjs";
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
/** @type {Baresip} */
let orbit;
before(async () => {
  s = await startSession();
  orbit = await new Baresip(s.dir, "desk2", { sipPort: 5072, ctrlPort: 4446 }).start();
  const aliceConfig = accountFor(USERS.alice, { server: s.wss });
  aliceConfig.accounts[0].parkExtension = USERS.desk2.user;
  alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: aliceConfig });
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
  carol = await openPhone(s.browser, s.appUrl, { name: "carol", config: accountFor(USERS.carol, { server: s.wss }) });
  await el(bob, (e) => e.watch("1001"));
});
afterEach(async () => {
  await hangupAll(alice, bob, carol);
  await lamp(bob, "1001", "idle");
});
after(async () => {
  await orbit?.stop();
  await stopSession(s);
});

/**
 * Waits until `page` shows `target`'s lamp in `state`.
 * @param {Page} page
 * @param {string} target
 * @param {string} state
 */
async function lamp(page, target, state) {
  try {
    await waitForPhone(page, (e, [t, st]) => e.watched.some((w) => w.target === t && w.state === st), [target, state], {
      timeout: 15_000,
    });
  } catch (e) {
    // The dialog states the page was told, to see whether the server or the phone is behind.
    const told = /** @type {PhonePage} */ (page).sipReceived
      .filter((m) => m.startsWith("NOTIFY ") && m.includes(`entity="sip:${target}@`))
      .map((m) =>
        m
          .split("\n")
          .filter((l) => /<dialog |<state/.test(l))
          .join(" "),
      )
      .slice(-4);
    throw new Error(`${target}'s lamp not ${state}: ${/** @type {Error} */ (e).message}\nlast NOTIFYs:\n${told.join("\n")}`);
  }
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
  const cancel = alice.sipReceived.find((m) => m.startsWith("CANCEL "));
  assert.ok(cancel, "alice received the CANCEL of carol's INVITE");
  // It says the call was answered elsewhere (RFC 3326): alice has no missed call from it.
  assert.match(cancel, /^Reason: SIP;cause=200;text="Call completed elsewhere"\r$/m);
  await eventually(async () => (await storedHistory(alice)).find((h) => h.id === inc.id)?.result === "answered-elsewhere", {
    message: "alice's history says answered elsewhere",
  });
  assert.equal(
    await alice
      .getByRole("tab", { name: /History/ })
      .locator(".badge")
      .count(),
    0,
    "no missed-call badge at alice",
  );
  const carolCall = await waitForCall(carol, (c, id) => c.state === "established" && c.replaces === id, { arg: out });
  await eventually(() => grows(bob, picked), { message: "bob hears carol" });
  await eventually(() => grows(carol, carolCall.id), { message: "carol hears bob" });
});

test("alice parks carol at the orbit; bob, watching the slot, retrieves her and they talk", async () => {
  const slot = USERS.desk2.user;
  await el(bob, (e, t) => e.watch(t), slot);
  await lamp(bob, slot, "idle");
  const out = await el(carol, (e) => e.dial("1001"));
  const inc = await waitForCall(alice, (c) => c.state === "incoming");
  await el(alice, (e, id) => e.answer(id), inc.id);
  await waitForCall(carol, (c, id) => c.id === id && c.state === "established", { arg: out });

  await el(alice, (e, id) => e.park(id), inc.id);
  // The REFER named the park extension; carol's phone followed it to the orbit, which answered.
  await eventually(() => carol.sipReceived.some((m) => m.startsWith("REFER ") && new RegExp(`^Refer-To: <?sip:${slot}@`, "m").test(m)), {
    message: `carol received a REFER to the park extension (got: ${carol.sipReceived.filter((m) => m.startsWith("REFER")).join("\n")})`,
  });
  const parked = await waitForCall(carol, (c) => c.state === "established" && c.remote === "2002");
  await waitForPhone(alice, (e, id) => !e.calls.some((c) => c.id === id), inc.id);
  await lamp(bob, slot, "busy");

  const retrieved = await el(bob, (e, t) => e.retrieve(t), slot);
  await waitForCall(bob, (c, id) => c.id === id && c.state === "established", { arg: retrieved });
  assert.ok(
    carol.sipReceived.some(
      (m) => m.startsWith("INVITE ") && /^Replaces: [^\r\n]*;to-tag=/im.test(m) && !/^Replaces: [^\r\n]*early-only/im.test(m),
    ),
    `carol received bob's INVITE with Replaces of her call with the orbit; bob's NOTIFYs for the slot:\n${bob.sipReceived
      .filter((m) => m.startsWith("NOTIFY ") && m.includes(slot))
      .map((m) =>
        m
          .split("\n")
          .filter((l) => /<dialog |<state/.test(l))
          .join(" "),
      )
      .join("\n")}`,
  );
  // Carol's call with the orbit ends by BYE (the orbit saw it), and bob's call took its place.
  await waitForPhone(carol, (e, id) => !e.calls.some((c) => c.id === id && c.state !== "ended"), parked.id);
  await eventually(() => /BYE/.test(orbit.log) || orbit.events.some((ev) => ev.type === "CALL_CLOSED"), {
    message: "the orbit's call ended",
  });
  const carolCall = await waitForCall(carol, (c, id) => c.state === "established" && c.replaces === id, { arg: parked.id });
  await eventually(() => grows(bob, retrieved), { message: "bob hears carol" });
  await eventually(() => grows(carol, carolCall.id), { message: "carol hears bob" });
  await lamp(bob, slot, "idle");
});
