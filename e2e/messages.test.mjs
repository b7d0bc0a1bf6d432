// Voicemail (RFC 3842) and text messages (RFC 3428) on the Kamailio bed: an unsolicited
// message-summary NOTIFY from a sipp "voicemail server" through Kamailio lights the line; text
// with markup goes from alice to bob and stays text, and stays after a reload; a message to
// nobody fails with the reason; a message written while alice's line is down goes once it is back,
// also when alice reloaded the page in between.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Sipp, USERS } from "./bed/bed.mjs";
import { accountFor, el, eventually, openPhone, shownText, storedMessages, waitForLineState, waitForPhone } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/sip-phone-api.mjs").MessageSnapshot} MessageSnapshot */
/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */

/** @type {import("./lib/session.mjs").Session} */
let s;
/** @type {PhonePage} */
let alice;
/** @type {PhonePage} */
let bob;

/** Text that is markup if anything ever treats it as HTML. */
const MARKUP = `<b>bold</b> <img src=x onerror="window.__pwned=1"> & "quotes" <script>window.__pwned=2</script>`;

/**
 * Starts recording the page's `message` events (in window.__messages).
 * @param {PhonePage} page
 */
async function recordMessages(page) {
  await page.evaluate(() => {
    const w = /** @type {Window & { __messages?: unknown[] }} */ (window);
    w.__messages = [];
    document.querySelector("sip-phone")?.addEventListener("message", (e) => w.__messages?.push(/** @type {CustomEvent} */ (e).detail));
  });
}

/**
 * The `message` events recorded so far.
 * @param {PhonePage} page
 * @returns {Promise<MessageSnapshot[]>}
 */
function messages(page) {
  return page.evaluate(
    () => /** @type {MessageSnapshot[]} */ (/** @type {Window & { __messages?: unknown[] }} */ (window).__messages ?? []),
  );
}

/**
 * An unsolicited message-summary NOTIFY from the trunk to 1001, through Kamailio; resolves once
 * sipp got its 200.
 * @param {string} waiting
 * @param {string} voice
 */
async function notifyVoicemail(waiting, voice) {
  const sipp = new Sipp(s.dir, "mwi-notify-uac.xml", {
    extraArgs: ["-s", USERS.alice.user, "127.0.0.1:5060", "-key", "waiting", waiting, "-key", "voice", voice],
  }).start();
  const exit = await sipp.exited;
  assert.equal(exit.code, 0, `sipp got 200 to its NOTIFY:\n${sipp.messages.slice(-1500)}`);
}

before(async () => {
  s = await startSession();
  const aliceConfig = accountFor(USERS.alice, { server: s.wss });
  aliceConfig.accounts[0].voicemailNumber = "*97";
  alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: aliceConfig });
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
  await recordMessages(alice);
  await recordMessages(bob);
});

after(async () => {
  await stopSession(s);
});

test("an unsolicited message-summary NOTIFY shows 2 new, 8 old on the line; Messages-Waiting: no clears it", async () => {
  await notifyVoicemail("yes", "2/8 (0/0)");
  await waitForPhone(alice, (e) => e.lines[0]?.voicemail?.new === 2);
  assert.deepEqual(await el(alice, (e) => e.lines[0]?.voicemail), { waiting: true, new: 2, old: 8 });
  const notify = alice.sipReceived.find((m) => m.startsWith("NOTIFY ") && /^Event: message-summary\r$/m.test(m));
  assert.match(notify ?? "", /\r\nVoice-Message: 2\/8 \(0\/0\)\r\n/, "the NOTIFY reached alice through Kamailio");
  assert.match(s.kamailio.log, /RPL 200 OK for NOTIFY from sip:3998@/);
  assert.match(await shownText(alice), /2 new voicemails, 8 old/);
  assert.equal(await alice.getByRole("button", { name: /Call voicemail/ }).count(), 1);

  await notifyVoicemail("no", "0/0");
  await waitForPhone(alice, (e) => e.lines[0]?.voicemail?.waiting === false);
  assert.deepEqual(await el(alice, (e) => e.lines[0]?.voicemail), { waiting: false, new: 0, old: 0 });
  assert.doesNotMatch(await shownText(alice), /voicemails?,|new voicemail/);
});

test("alice sends bob markup: bob's event carries the exact text, the page shows it as text, and it is there after a reload", async () => {
  const id = await el(alice, (e, text) => e.sendMessage("1002", text), MARKUP);
  const received = await eventually(async () => (await messages(bob)).find((m) => m.direction === "in" && m.remote === "1001"), {
    message: "bob's message event",
  });
  assert.equal(received.text, MARKUP);
  assert.equal(received.status, "received");
  const wire = bob.sipReceived.find((m) => m.startsWith("MESSAGE sip:"));
  assert.ok(wire?.endsWith(`\r\n\r\n${MARKUP}`), "the MESSAGE body on bob's socket is the text");
  assert.match(wire ?? "", /^Content-Type: text\/plain;charset=UTF-8\r$/m);
  const sent = await eventually(async () => (await messages(alice)).find((m) => m.id === id && m.status === "delivered"), {
    message: "delivered at alice",
  });
  assert.equal(sent.sipCode, 200);
  assert.match(s.kamailio.log, /RPL 200 OK for MESSAGE from sip:1001@/);

  /** @param {PhonePage} page */
  const shownAsText = async (page) => {
    await page.getByRole("tab", { name: /Messages/ }).click();
    await page.locator("sip-conversations button.conv", { hasText: "1001" }).click();
    const text = page.locator("sip-conversations .msg .text").last();
    await text.waitFor();
    assert.equal(await text.textContent(), MARKUP);
    assert.equal(await page.locator("sip-conversations .msg img, sip-conversations .msg b, sip-conversations .msg script").count(), 0);
    assert.equal(await page.evaluate(() => /** @type {Window & { __pwned?: number }} */ (window).__pwned), undefined);
  };
  await eventually(async () => (await bob.locator('[role="tab"] .badge[aria-label="1 unread"]').count()) === 1, {
    message: "an unread badge on bob's Messages tab",
  });
  await shownAsText(bob);
  await bob.reload();
  await waitForLineState(bob, "registered");
  await shownAsText(bob);
  await recordMessages(bob);
});

test("a message to an unknown user fails with the reason", async () => {
  const outcome = await el(alice, (e) =>
    e.sendMessage("1999", "anyone there?").then(
      () => ({ code: "", message: "resolved" }),
      (err) => ({ code: /** @type {{ code?: string }} */ (err).code ?? "", message: String(err.message) }),
    ),
  );
  assert.deepEqual(outcome, { code: "message-failed", message: "Not sent: no such user or number (404)" });
  const failed = await eventually(async () => (await messages(alice)).find((m) => m.remote === "1999" && m.status === "failed"), {
    message: "the failed message event",
  });
  assert.equal(failed.sipCode, 404);
  assert.equal(failed.reason, "Not sent: no such user or number (404)");
  // Kamailio answers it itself (no location for 1999): the 404 as it reached alice's socket.
  assert.ok(
    alice.sipReceived.some((m) => m.startsWith("SIP/2.0 404 ") && /^CSeq: \d+ MESSAGE\r$/m.test(m) && /^To: <sip:1999@/m.test(m)),
    "a 404 to alice's MESSAGE on the wire",
  );
});

test("a message written while alice's line is down goes out once it is back", async () => {
  await s.kamailio.kill();
  await waitForLineState(alice, "failed");
  await waitForLineState(bob, "failed");
  // Alice stays away until bob is back, so the message cannot reach a bob not yet registered.
  await alice.context().setOffline(true);
  const text = "written while the line was down";
  await alice.evaluate((t) => {
    const w = /** @type {Window & { __queued?: Promise<string> }} */ (window);
    const phone = /** @type {import("./lib/sip-phone-api.mjs").SipPhone} */ (document.querySelector("sip-phone"));
    w.__queued = phone.sendMessage("1002", t);
  }, text);
  await eventually(async () => (await messages(alice)).some((m) => m.text === text && m.status === "queued"), {
    message: "queued at alice",
  });
  await s.kamailio.start();
  await waitForLineState(bob, "registered", { timeout: 20_000 });
  assert.doesNotMatch(s.kamailio.log, /REQ MESSAGE /, "nothing sent while alice is offline");
  await alice.context().setOffline(false);
  await waitForLineState(alice, "registered", { timeout: 20_000 });
  const id = await alice.evaluate(() => /** @type {Window & { __queued?: Promise<string> }} */ (window).__queued);
  assert.ok(id);
  const received = await eventually(async () => (await messages(bob)).find((m) => m.text === text), { message: "bob received it" });
  assert.equal(received.remote, "1001");
  assert.match(s.kamailio.log, /REQ MESSAGE sip:1002@127.0.0.1 from sip:1001@/);
  assert.ok((await messages(alice)).some((m) => m.id === id && m.status === "delivered"));
});

test("a message still queued when alice reloads the page goes out once her line is back, once, with the same id", async () => {
  await s.kamailio.kill();
  await waitForLineState(alice, "failed");
  await waitForLineState(bob, "failed");
  const text = "queued, then the page reloaded";
  await alice.evaluate((t) => {
    const phone = /** @type {import("./lib/sip-phone-api.mjs").SipPhone} */ (document.querySelector("sip-phone"));
    void phone.sendMessage("1002", t).catch(() => undefined);
  }, text);
  const queued = await eventually(async () => (await storedMessages(alice)).find((m) => m.text === text && m.status === "queued"), {
    message: "the queued message in alice's storage",
  });
  await alice.reload();
  await waitForLineState(alice, "failed");
  // Alice stays away until bob is back, so the message cannot reach a bob not yet registered.
  await alice.context().setOffline(true);
  await s.kamailio.start();
  await waitForLineState(bob, "registered", { timeout: 20_000 });
  assert.ok(!(await messages(bob)).some((m) => m.text === text), "nothing reached bob while alice was away");
  await alice.context().setOffline(false);
  await waitForLineState(alice, "registered", { timeout: 20_000 });
  await eventually(async () => (await messages(bob)).some((m) => m.text === text), { message: "bob received it" });
  await eventually(async () => (await storedMessages(alice)).find((m) => m.id === queued.id && m.status === "delivered"), {
    message: "delivered in alice's storage, under the id it had before the reload",
  });
  assert.equal((await storedMessages(alice)).filter((m) => m.text === text).length, 1, "one record, not a copy");
  assert.equal((await messages(bob)).filter((m) => m.text === text).length, 1, "bob got it once");
});
