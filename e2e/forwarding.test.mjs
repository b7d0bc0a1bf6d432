// Forwarding like a desk phone: on no answer after N seconds, and for external callers only.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { Sipp, USERS } from "./bed/bed.mjs";
import { accountFor, eventually, hangupAll, openPhone, shownText, waitForCall, waitForPhone, el } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

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
  await el(bob, (e) => e.setForward(e.lines[0].id));
});
after(async () => {
  await stopSession(s);
});

/**
 * The first frame from index `from` on that starts with `prefix` (a SIP status line).
 * @param {PhonePage} page
 * @param {number} from
 * @param {string} prefix
 */
function frameFrom(page, from, prefix) {
  return page.sipReceived.slice(from).find((f) => f.startsWith(prefix));
}

test("forwarding on no answer after 5 s: bob rings 5 s, then alice gets 302 to carol and carol rings", async () => {
  await el(bob, (e) => e.setForward(e.lines[0].id, "1003", { mode: "no-answer", after: 5 }));
  await eventually(async () => /Forwarded after 5 s to 1003/.test(await shownText(bob)), { message: "forwarding visible at a glance" });
  const mark = alice.sipReceived.length;
  await el(alice, (e) => e.dial("1002"));
  const atBob = await waitForCall(bob, (c) => c.state === "incoming" && c.remote === "1001");
  const ringingSince = Date.now();
  assert.equal(frameFrom(alice, mark, "SIP/2.0 302"), undefined, "no 302 while bob rings");
  await eventually(() => frameFrom(alice, mark, "SIP/2.0 302") !== undefined, { timeout: 10_000, message: "302 to alice" });
  // Not sooner than the 5 s (measured from when the test saw it ringing, so the real ringing was
  // longer still); how much later depends on the machine, and the wait above bounds it.
  const rang = Date.now() - ringingSince;
  assert.ok(rang >= 4500, `no 302 before 5 s of ringing (came after ${rang} ms)`);
  assert.match(frameFrom(alice, mark, "SIP/2.0 302") ?? "", /^Contact: <sip:1003@/im, "302 on the wire names carol");
  // The redirected call stopped ringing at bob; alice's phone followed it to carol.
  await waitForPhone(bob, (e, id) => !e.calls.some((c) => c.id === id), atBob.id);
  const atCarol = await waitForCall(carol, (c) => c.state === "incoming");
  assert.equal(atCarol.remote, "1001");
  await el(carol, (e) => e.answer());
  await waitForCall(alice, (c) => c.state === "established" && c.remote === "1003");
});

test("forwarding for external callers only: a long number is forwarded (302 to carol), an extension rings", async () => {
  const config = accountFor(USERS.bob, { server: s.wss });
  config.accounts[0].internalCallers = { extensionLength: 4 };
  await el(bob, (e, c) => e.configure(c), config);
  await waitForPhone(bob, (e) => e.lines[0]?.state === "registered");
  await el(bob, (e) => e.setForward(e.lines[0].id, "1003", { mode: "external" }));
  await eventually(async () => /Forwarded external callers to 1003/.test(await shownText(bob)), { message: "forwarding visible" });

  const mark = bob.sipReceived.length;
  const external = new Sipp(s.dir, "forward-uac.xml", { extraArgs: ["-s", "1002", "-key", "caller", "004315056410", "127.0.0.1:5060"] });
  external.start();
  assert.equal((await external.exited).code, 0, "sipp got a final answer and ACKed it");
  assert.match(external.messages, /SIP\/2\.0 302/, "the external caller got 302");
  assert.match(external.messages, /^Contact: <sip:1003@/m, "to carol");
  assert.ok(
    bob.sipReceived.slice(mark).some((f) => f.startsWith("INVITE ") && /From: .*sip:004315056410@/.test(f)),
    "the call reached bob's page (forwarded there, not by the proxy)",
  );
  assert.deepEqual(await el(bob, (e) => e.calls.length), 0, "bob never rang for it");
  await external.stop();

  const internal = new Sipp(s.dir, "forward-uac.xml", { extraArgs: ["-s", "1002", "-key", "caller", "3999", "127.0.0.1:5060"] });
  internal.start();
  const ringing = await waitForCall(bob, (c) => c.state === "incoming" && c.remote === "3999");
  await el(bob, (e, id) => e.decline(id), ringing.id);
  assert.equal((await internal.exited).code, 0);
  assert.match(internal.messages, /SIP\/2\.0 603/, "the internal caller rang and was declined");
  assert.doesNotMatch(internal.messages, /SIP\/2\.0 302/);
  await internal.stop();
  await el(bob, (e, c) => e.configure(c), accountFor(USERS.bob, { server: s.wss }));
});
