// Call control as on a desk phone: hold/resume, swap, blind transfer, DND, forwarding, redirect.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { Sipp, USERS } from "./bed/bed.mjs";
import {
  accountFor,
  eventually,
  hangupAll,
  nextEnded,
  openPhone,
  shownText,
  stats,
  waitForCall,
  waitForPhone,
  el,
} from "./lib/browser.mjs";
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
});
afterEach(async () => {
  await hangupAll(alice, bob, carol);
});
after(async () => {
  await stopSession(s);
});

/**
 * `from` calls `to`, which answers; both call ids.
 * @param {Page} from
 * @param {Page} to
 * @param {string} number
 */
async function connect(from, to, number) {
  const out = await el(from, (e, n) => e.dial(n), number);
  const inc = await waitForCall(to, (c) => c.state === "incoming");
  await el(to, (e, id) => e.answer(id), inc.id);
  await waitForCall(from, (c, id) => c.id === id && c.state === "established", { arg: out });
  return { out, inc: inc.id };
}

/**
 * Whether `page` receives at least `by` RTP packets on the call within a second. The second is
 * the measurement (a flowing stream brings 50), not a wait.
 * @param {Page} page
 * @param {string} callId
 * @param {number} [by]
 */
async function grows(page, callId, by = 30) {
  const a = (await stats(page, callId)).packetsReceived;
  await new Promise((r) => setTimeout(r, 1000));
  return (await stats(page, callId)).packetsReceived - a >= by;
}

test("hold sends a=sendonly and stops the media to the held party; resume brings it back", async () => {
  const { out, inc } = await connect(alice, bob, "1002");
  await eventually(() => grows(bob, inc), { message: "bob hears alice" });
  await alice.getByRole("button", { name: "Hold" }).click();
  await waitForCall(alice, (c) => c.held);
  await eventually(() => bob.sipReceived.some((m) => m.startsWith("INVITE ") && /^a=sendonly\r?$/m.test(m)), {
    message: "bob received a=sendonly",
  });
  await waitForCall(bob, (c) => c.heldByRemote);
  assert.match(await shownText(bob), /held by the other side/);
  // What was on its way when the hold took effect arrives; then the stream must stay stopped.
  await eventually(async () => !(await grows(bob, inc, 3)), { message: "bob's inbound RTP stops" });
  assert.equal(await grows(bob, inc, 3), false, "bob's inbound RTP stopped");
  assert.equal(await grows(alice, out, 3), false, "alice's inbound RTP stopped too (bob answered recvonly)");
  await alice.getByRole("button", { name: "Resume" }).click();
  await waitForCall(alice, (c) => !c.held);
  await waitForCall(bob, (c) => !c.heldByRemote);
  await eventually(() => grows(bob, inc), { message: "bob hears alice again" });
  await eventually(() => grows(alice, out), { message: "alice hears bob again" });
});

test("a call hung up while on hold leaves no microphone open", async () => {
  // Every microphone track alice's page opens from now on.
  await alice.evaluate(() => {
    const w = /** @type {Window & { __mics?: MediaStreamTrack[] }} */ (window);
    w.__mics = [];
    const devices = navigator.mediaDevices;
    const gum = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (c) => {
      const stream = await gum(c);
      w.__mics?.push(...stream.getAudioTracks());
      return stream;
    };
  });
  const { out } = await connect(alice, bob, "1002");
  await alice.getByRole("button", { name: "Hold" }).click();
  await waitForCall(alice, (c, id) => c.id === id && c.held, { arg: out });
  await el(alice, (e, id) => e.hangup(id), out);
  await waitForPhone(alice, (e) => e.calls.length === 0, null);
  /** @returns {Promise<string[]>} the readyState of every microphone track alice opened */
  const live = () =>
    alice.evaluate(() => {
      const w = /** @type {Window & { __mics?: MediaStreamTrack[] }} */ (window);
      return (w.__mics ?? []).map((t) => t.readyState);
    });
  assert.ok((await live()).length > 0, "the call opened a microphone");
  await eventually(async () => (await live()).every((state) => state === "ended"), {
    message: "every microphone track alice opened is stopped",
  });
});

test("swap: the active call is held and the held one resumed in one action", async () => {
  const ab = await connect(alice, bob, "1002");
  // A second call holds the first.
  const ac = await connect(alice, carol, "1003");
  await waitForCall(alice, (c, id) => c.id === id && c.held, { arg: ab.out });
  await eventually(async () => !(await grows(bob, ab.inc, 3)) && (await grows(carol, ac.inc)), { message: "only carol hears alice" });
  await el(alice, (e, id) => e.swap(id), ab.out);
  await waitForCall(alice, (c, id) => c.id === id && c.held, { arg: ac.out });
  await waitForCall(alice, (c, id) => c.id === id && !c.held, { arg: ab.out });
  await eventually(async () => (await grows(bob, ab.inc)) && !(await grows(carol, ac.inc, 3)), { message: "only bob hears alice" });
});

test("blind transfer: alice transfers bob to carol; bob and carol talk, alice's call ends", async () => {
  const { out } = await connect(alice, bob, "1002");
  await el(alice, (e, id) => e.transfer(id, "1003"), out);
  const atCarol = await waitForCall(carol, (c) => c.state === "incoming");
  assert.equal(atCarol.remote, "1002", "carol sees bob calling");
  await waitForCall(alice, (c) => c.transfer?.state === "ringing");
  await el(carol, (e) => e.answer());
  await waitForPhone(alice, (e) => e.calls.length === 0, null, { timeout: 10_000 });
  const bc = await waitForCall(bob, (c) => c.state === "established" && c.remote === "1003");
  await eventually(() => grows(bob, bc.id), { message: "bob hears carol" });
  await eventually(() => grows(carol, atCarol.id), { message: "carol hears bob" });
  assert.ok(
    alice.sipReceived.some((m) => /^NOTIFY /.test(m) && /SIP\/2\.0 200/.test(m)),
    "alice got the NOTIFY with 200",
  );
  assert.match(await shownText(alice), /History/);
});

test("do-not-disturb: the caller receives exactly the configured code", async () => {
  await el(bob, (e) => e.setDnd(true, { code: 603 }));
  await eventually(async () => /Do not disturb/.test(await shownText(bob)), { message: "DND visible at a glance" });
  const ended = nextEnded(alice);
  await el(alice, (e) => e.dial("1002"));
  assert.equal((await ended).sipCode, 603);
  await el(bob, (e) => e.setDnd(false));
  await el(bob, (e) => e.setDnd(true, { code: 486 }));
  const ended2 = nextEnded(alice);
  await el(alice, (e) => e.dial("1002"));
  assert.equal((await ended2).sipCode, 486);
  await el(bob, (e) => e.setDnd(false));
});

test("forwarding: a call to bob rings carol; redirect: a ringing call sent to carol rings her", async () => {
  await el(bob, (e) => e.setForward(e.lines[0].id, "1003"));
  await eventually(async () => /Forwarded to 1003/.test(await shownText(bob)), { message: "forwarding visible at a glance" });
  await el(alice, (e) => e.dial("1002"));
  let atCarol = await waitForCall(carol, (c) => c.state === "incoming");
  assert.equal(atCarol.remote, "1001");
  await el(carol, (e) => e.answer());
  await waitForCall(alice, (c) => c.state === "established" && c.remote === "1003");
  await hangupAll(alice, carol);
  await el(bob, (e) => e.setForward(e.lines[0].id));

  await el(alice, (e) => e.dial("1002"));
  const atBob = await waitForCall(bob, (c) => c.state === "incoming");
  await el(bob, (e, id) => e.redirect(id, "1003"), atBob.id);
  atCarol = await waitForCall(carol, (c) => c.state === "incoming");
  assert.equal(atCarol.remote, "1001");
  await el(carol, (e) => e.answer());
  const ac = await waitForCall(alice, (c) => c.state === "established" && c.remote === "1003");
  await eventually(() => grows(alice, ac.id), { message: "alice hears carol" });
});

test("auto-answer: an INVITE with Call-Info answer-after=0 is answered with no user action when the line allows it, and rings when not", async () => {
  const bobAuto = { ...accountFor(USERS.bob, { server: s.wss }) };
  bobAuto.accounts[0].autoAnswer = true;
  await el(bob, (e, c) => e.configure(c), bobAuto);
  await waitForPhone(bob, (e) => e.lines[0]?.state === "registered");
  let sipp = new Sipp(s.dir, "auto-answer-uac.xml", { extraArgs: ["-s", "1002", "127.0.0.1:5060"] }).start();
  const answered = await waitForCall(bob, (c) => c.state === "established" && c.remote === "3999");
  assert.equal(answered.direction, "in");
  const exit = await sipp.exited;
  assert.equal(exit.code, 0, "sipp got the 200 and ended the call with BYE");
  await waitForPhone(bob, (e) => e.calls.length === 0);

  await el(bob, (e, c) => e.configure(c), accountFor(USERS.bob, { server: s.wss }));
  await waitForPhone(bob, (e) => e.lines[0]?.state === "registered");
  sipp = new Sipp(s.dir, "auto-answer-uac.xml", { extraArgs: ["-s", "1002", "127.0.0.1:5060"] }).start();
  const ringing = await waitForCall(bob, (c) => c.state === "incoming" && c.remote === "3999");
  // Proof that an auto-answer would have happened by now: a later call to the same line, answered
  // by hand, is up (an auto-answer starts at once and goes the same way).
  await el(alice, (e) => e.dial("1002"));
  const later = await waitForCall(bob, (c) => c.state === "incoming" && c.remote === "1001");
  await el(bob, (e, id) => e.answer(id), later.id);
  await waitForCall(bob, (c, id) => c.id === id && c.state === "established", { arg: later.id });
  assert.equal(await el(bob, (e, id) => e.calls.find((c) => c.id === id)?.state, ringing.id), "incoming", "still ringing: no auto-answer");
  await el(bob, (e, id) => e.decline(id), ringing.id);
  assert.notEqual((await sipp.exited).code, 0, "sipp's call was declined");
});

test("consultation transfer: alice consults carol and completes; the REFER carries Replaces; bob and carol talk", async () => {
  const [bobMark, carolMark] = [bob.sipReceived.length, carol.sipReceived.length];
  const ab = await connect(alice, bob, "1002");
  const consult = await el(alice, (e, id) => e.startConsultation(id, "1003"), ab.out);
  await waitForCall(alice, (c, id) => c.id === id && c.held, { arg: ab.out });
  const atCarol = await waitForCall(carol, (c) => c.state === "incoming");
  assert.equal(atCarol.remote, "1001");
  await el(carol, (e, id) => e.answer(id), atCarol.id);
  await waitForCall(alice, (c, id) => c.id === id && c.state === "established" && c.consultFor, { arg: consult });
  await eventually(() => grows(carol, atCarol.id), { message: "carol hears alice during the consultation" });
  await alice.getByRole("button", { name: "Complete transfer" }).click();
  await waitForPhone(alice, (e) => e.calls.length === 0, null, { timeout: 10_000 });
  const refer = bob.sipReceived.slice(bobMark).find((m) => m.startsWith("REFER "));
  assert.match(refer ?? "", /^Refer-To:.*sip:1003@[^?>]+\?Replaces=[^>]*to-tag%3D/im, "bob got a REFER to carol with Replaces");
  assert.match(refer ?? "", /^Referred-By: /im);
  const replacing = carol.sipReceived.slice(carolMark).find((m) => m.startsWith("INVITE ") && /^Replaces: /im.test(m));
  assert.ok(replacing, "carol received an INVITE with Replaces");
  assert.match(replacing, /^From:.*sip:1002@/im, "from bob");
  // Carol's call with alice was replaced by the call with bob, without ringing.
  const bc = await waitForCall(carol, (c, old) => c.state === "established" && c.remote === "1002" && c.replaces === old, {
    arg: atCarol.id,
  });
  await waitForPhone(carol, (e) => e.calls.length === 1);
  const cb = await waitForCall(bob, (c) => c.state === "established" && c.remote === "1003");
  await waitForPhone(bob, (e) => e.calls.length === 1);
  await eventually(() => grows(bob, cb.id), { message: "bob hears carol" });
  await eventually(() => grows(carol, bc.id), { message: "carol hears bob" });
});

test("cancelling a consultation returns alice to bob with audio", async () => {
  const bobMark = bob.sipReceived.length;
  const ab = await connect(alice, bob, "1002");
  const consult = await el(alice, (e, id) => e.startConsultation(id, "1003"), ab.out);
  const atCarol = await waitForCall(carol, (c) => c.state === "incoming");
  await el(carol, (e, id) => e.answer(id), atCarol.id);
  await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: consult });
  await eventually(async () => !(await grows(bob, ab.inc, 3)), { message: "bob is on hold" });
  await alice.getByRole("button", { name: "Cancel transfer" }).click();
  await waitForPhone(carol, (e) => e.calls.length === 0);
  await waitForCall(alice, (c, id) => c.id === id && !c.held, { arg: ab.out });
  await eventually(() => grows(bob, ab.inc), { message: "bob hears alice again" });
  await eventually(() => grows(alice, ab.out), { message: "alice hears bob again" });
  assert.ok(!bob.sipReceived.slice(bobMark).some((m) => m.startsWith("REFER ")), "no REFER was sent");
});

/**
 * Audio energy `page` receives on the call over 1.5 s. The 1.5 s are the measurement, not a wait.
 * @param {Page} page
 * @param {string} callId
 */
async function energyOver(page, callId) {
  const a = (await stats(page, callId)).totalAudioEnergy;
  await new Promise((r) => setTimeout(r, 1500));
  return (await stats(page, callId)).totalAudioEnergy - a;
}

/**
 * The energy of a fresh window once the audio has `settled` (what was on its way under the
 * previous mutes has played out and the jitter buffer follows the new ones).
 * @param {Page} page
 * @param {string} callId
 * @param {(energy: number) => boolean} settled
 * @param {string} message
 */
async function energyAt(page, callId, settled, message) {
  await eventually(async () => settled(await energyOver(page, callId)), { message });
  return energyOver(page, callId);
}

test("3-way conference: carol hears bob through alice when only bob's microphone sends, and alice when only alice's does", async () => {
  const ab = await connect(alice, bob, "1002");
  const ac = await connect(alice, carol, "1003");
  await waitForCall(alice, (c, id) => c.id === id && c.held, { arg: ab.out });
  await alice.getByRole("button", { name: "Conference" }).first().click();
  await waitForCall(alice, (c, ids) => ids.includes(c.id) && c.conference && !c.held, { arg: [ab.out] });
  await waitForCall(alice, (c, id) => c.id === id && c.conference, { arg: ac.out });
  assert.match(await shownText(alice), /In conference/);
  // Control: with both microphones muted, carol hears (next to) nothing.
  await el(alice, (e, id) => e.mute(id, true), ab.out);
  await el(bob, (e, id) => e.mute(id, true), ab.inc);
  const silent = await energyAt(carol, ac.inc, (e) => e < 1e-4, "carol's audio fell silent");
  assert.ok(silent < 1e-4, `carol's energy grew by ${silent} with every microphone muted`);
  // Only bob sends: his voice reaches carol through alice's mix.
  await el(bob, (e, id) => e.mute(id, false), ab.inc);
  const fromBob = await energyAt(carol, ac.inc, (e) => e > 1e-3, "bob's voice reaches carol");
  assert.ok(fromBob > 1e-3, `carol hears bob (energy +${fromBob})`);
  // Only alice sends.
  await el(bob, (e, id) => e.mute(id, true), ab.inc);
  await el(alice, (e, id) => e.mute(id, false), ac.out);
  const fromAlice = await energyAt(carol, ac.inc, (e) => e > 1e-3, "alice's voice reaches carol");
  assert.ok(fromAlice > 1e-3, `carol hears alice (energy +${fromAlice})`);
  // And bob hears carol through alice.
  await el(alice, (e, id) => e.mute(id, true), ac.out);
  const atBob = await energyAt(bob, ab.inc, (e) => e > 1e-3, "carol's voice reaches bob");
  assert.ok(atBob > 1e-3, `bob hears carol (energy +${atBob})`);
  await el(bob, (e, id) => e.mute(id, false), ab.inc);
  await el(alice, (e, id) => e.mute(id, false), ac.out);
  // Split: back to two calls, one of them on hold.
  await alice.getByRole("button", { name: "Split conference" }).first().click();
  await waitForCall(alice, (c) => c.held && !c.conference);
  assert.equal(await el(alice, (e) => e.calls.filter((c) => c.conference).length), 0);
});

test("incoming transfer policy: never refuses (603), ask waits for the user, who refuses or accepts", async () => {
  /** @param {"always" | "ask" | "never"} p */
  const withPolicy = (p) => {
    const c = accountFor(USERS.bob, { server: s.wss });
    c.accounts[0].referPolicy = p;
    return c;
  };
  for (const policy of /** @type {const} */ (["never", "ask"])) {
    await el(bob, (e, c) => e.configure(c), withPolicy(policy));
    await waitForPhone(bob, (e) => e.lines[0]?.state === "registered");
    const ab = await connect(alice, bob, "1002");
    await el(alice, (e, id) => e.transfer(id, "1003"), ab.out);
    if (policy === "ask") {
      await waitForCall(bob, (c) => c.referral?.target === "1003");
      assert.match(await shownText(bob), /transfers you to 1003/);
      await bob.getByRole("button", { name: "Refuse transfer" }).click();
    }
    const failed = await waitForCall(alice, (c, id) => c.id === id && c.transfer?.state === "failed", { arg: ab.out });
    assert.equal(failed.transfer?.code, 603);
    await waitForCall(alice, (c, id) => c.id === id && !c.held, { arg: ab.out });
    assert.equal(await el(carol, (e) => e.calls.length), 0, "carol never rang");
    if (policy === "ask") {
      await el(alice, (e, id) => e.transfer(id, "1003"), ab.out);
      await waitForCall(bob, (c) => c.referral?.target === "1003");
      await bob.getByRole("button", { name: "Accept transfer" }).click();
      await waitForCall(carol, (c) => c.state === "incoming" && c.remote === "1002");
    }
    await hangupAll(alice, bob, carol);
  }
  await el(bob, (e, c) => e.configure(c), accountFor(USERS.bob, { server: s.wss }));
  await waitForPhone(bob, (e) => e.lines[0]?.state === "registered");
});
