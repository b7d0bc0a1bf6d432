// Browser <-> browser calls through Kamailio: answer with audio both ways, cancel, decline,
// hang up from either side, mute, DTMF, missing microphone.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { USERS } from "./bed/bed.mjs";
import {
  accountFor,
  el,
  eventually,
  hangupAll,
  launchBrowser,
  openPhone,
  shownText,
  stats,
  waitForCall,
  waitForPhone,
} from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").Page} Page */
/** @typedef {import("./lib/sip-phone-api.mjs").CallSnapshot} CallSnapshot */

/** @type {import("./lib/session.mjs").Session} */
let s;
/** @type {import("./lib/browser.mjs").PhonePage} */
let alice;
/** @type {import("./lib/browser.mjs").PhonePage} */
let bob;
before(async () => {
  s = await startSession();
  alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }) });
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
});
afterEach(async () => {
  await hangupAll(alice, bob);
});
after(async () => {
  await stopSession(s);
});

/**
 * Dials from the dialpad the way a user does: type the number, press Call.
 * @param {Page} page
 * @param {string} number
 */
async function dialFromPad(page, number) {
  await page.getByLabel("Number to call").fill(number);
  await page.getByRole("button", { name: "Call", exact: true }).click();
  return waitForCall(page, (c) => c.direction === "out" && c.state !== "ended");
}

/** @param {RegExp} re */
function kamailioLines(re) {
  return s.kamailio.log.split("\n").filter((l) => re.test(l));
}

/** @param {Page} page */
async function noCalls(page) {
  await waitForPhone(page, (e) => e.calls.length === 0, null, { timeout: 10_000 });
}

test("alice calls bob: bob sees alice, answers, audio flows both ways, bob hangs up", async () => {
  const invitesBefore = kamailioLines(/REQ INVITE sip:1002@127\.0\.0\.1 from sip:1001@127\.0\.0\.1/).length;
  const out = await dialFromPad(alice, "1002");
  const incoming = await waitForCall(bob, (c) => c.state === "incoming");
  assert.equal(incoming.remote, "1001");
  assert.equal(incoming.remoteName, "Alice");
  // The card comes with its code, loaded by the first call (components/call-panel-code.ts).
  await eventually(async () => ((t) => /Alice/.test(t) && /1001/.test(t))(await shownText(bob)), {
    message: "bob's phone shows Alice (1001)",
  });
  await waitForCall(alice, (c) => c.state === "ringing");
  assert.ok(
    kamailioLines(/REQ INVITE sip:1002@127\.0\.0\.1 from sip:1001@127\.0\.0\.1 \(wss/).length > invitesBefore,
    "Kamailio received alice's INVITE over WSS",
  );

  await bob.getByRole("button", { name: "Answer" }).click();
  await waitForCall(bob, (c) => c.state === "established");
  await waitForCall(alice, (c) => c.state === "established");

  // Media: inbound packets grow on both sides and the played audio has energy.
  const bobCall = (await el(bob, (e) => e.calls[0])).id;
  const a1 = await eventually(
    async () => {
      const x = await stats(alice, out.id);
      return x.packetsReceived > 0 && x;
    },
    { message: "alice RTP" },
  );
  const b1 = await eventually(
    async () => {
      const x = await stats(bob, bobCall);
      return x.packetsReceived > 0 && x;
    },
    { message: "bob RTP" },
  );
  const a2 = await eventually(
    async () => {
      const x = await stats(alice, out.id);
      return x.packetsReceived > a1.packetsReceived + 50 && x.totalAudioEnergy > 0 && x;
    },
    { message: "alice RTP growing with energy" },
  );
  const b2 = await eventually(
    async () => {
      const x = await stats(bob, bobCall);
      return x.packetsReceived > b1.packetsReceived + 50 && x.totalAudioEnergy > 0 && x;
    },
    { message: "bob RTP growing with energy" },
  );
  assert.equal(a2.codec, "opus");
  assert.ok(b2.packetsSent > 0);
  assert.match(await shownText(alice), /Connected · \d+:\d\d/);

  await bob.getByRole("button", { name: "Hang up" }).click();
  await noCalls(bob);
  await noCalls(alice);
  assert.ok(kamailioLines(/REQ BYE .* from sip:1002@127\.0\.0\.1/).length >= 1, "Kamailio relayed bob's BYE");
  await eventually(() => kamailioLines(/RPL 200 OK for BYE from sip:1002@127\.0\.0\.1/).length >= 1, {
    message: "alice answered bob's BYE with 200",
  });
  assert.match(await shownText(alice), /Call ended by the other side/);
});

test("alice hangs up an established call: both sides end", async () => {
  const out = await dialFromPad(alice, "1002");
  await waitForCall(bob, (c) => c.state === "incoming");
  await el(bob, (e) => e.answer());
  await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: out.id });
  await el(alice, (e, id) => e.hangup(id), out.id);
  await noCalls(alice);
  await noCalls(bob);
  assert.ok(kamailioLines(/REQ BYE .* from sip:1001@127\.0\.0\.1/).length >= 1, "Kamailio relayed alice's BYE");
});

test("the caller cancels before answer: bob stops ringing and sees a missed call", async () => {
  await dialFromPad(alice, "1002");
  await waitForCall(bob, (c) => c.state === "incoming");
  await alice.getByRole("button", { name: "Hang up" }).click();
  await noCalls(bob);
  await noCalls(alice);
  assert.match(await shownText(bob), /Missed call from Alice \(1001\)/);
  assert.ok(kamailioLines(/REQ CANCEL sip:1002@/).length >= 1, "Kamailio received the CANCEL");
  assert.ok(kamailioLines(/RPL 487 .* for INVITE from sip:1001@/).length >= 1, "the INVITE ended with 487");
});

test("bob declines: alice sees the refusal with its SIP code (603, and 486 through the API)", async () => {
  await el(alice, (e) => {
    const w = /** @type {Window & { __ended?: CallSnapshot[] }} */ (window);
    const ended = (w.__ended = /** @type {CallSnapshot[]} */ ([]));
    e.addEventListener("call-state", (ev) => {
      const call = /** @type {CustomEvent<CallSnapshot>} */ (ev).detail;
      if (call.state === "ended") ended.push(call);
    });
  });
  const lastEnded = () => alice.evaluate(() => /** @type {Window & { __ended?: CallSnapshot[] }} */ (window).__ended?.at(-1));
  await dialFromPad(alice, "1002");
  await waitForCall(bob, (c) => c.state === "incoming");
  await bob.getByRole("button", { name: "Decline" }).click();
  await noCalls(alice);
  let ended = await lastEnded();
  assert.equal(ended?.sipCode, 603);
  assert.equal(ended?.reason, "rejected");
  assert.match(await shownText(alice), /Declined \(603\)/);
  assert.ok(kamailioLines(/RPL 603 .* for INVITE from sip:1001@/).length >= 1, "Kamailio relayed the 603");

  await dialFromPad(alice, "1002");
  await waitForCall(bob, (c) => c.state === "incoming");
  await el(bob, (e) => e.decline(undefined, 486));
  await noCalls(alice);
  ended = await lastEnded();
  assert.equal(ended?.sipCode, 486);
  assert.match(await shownText(alice), /Busy \(486\)/);
});

test("mute silences alice's microphone without signalling; unmute brings the sound back", async () => {
  const out = await dialFromPad(alice, "1002");
  await waitForCall(bob, (c) => c.state === "incoming");
  await el(bob, (e) => e.answer());
  const bobCall = (await waitForCall(bob, (c) => c.state === "established")).id;
  await eventually(async () => (await stats(bob, bobCall)).totalAudioEnergy > 0, { message: "bob hears alice" });
  const invites = kamailioLines(/REQ INVITE/).length;
  await alice.getByRole("button", { name: "Mute" }).click();
  await waitForCall(alice, (c, id) => c.id === id && c.muted, { arg: out.id });
  // Once what was on its way has played out (the energy stops growing), it must stay silent.
  await eventually(async () => (await energyOver(bob, bobCall, 500)) < 1e-4, { message: "the jitter buffer drained after mute" });
  const m1 = await stats(bob, bobCall);
  // The measurement itself: two seconds of a muted call (RTP at 50 packets/s), not a wait.
  await new Promise((r) => setTimeout(r, 2000));
  const m2 = await stats(bob, bobCall);
  assert.ok(m2.totalAudioEnergy - m1.totalAudioEnergy < 1e-4, `energy grew by ${m2.totalAudioEnergy - m1.totalAudioEnergy} while muted`);
  assert.equal(kamailioLines(/REQ INVITE/).length, invites, "mute sent no re-INVITE");
  await alice.getByRole("button", { name: "Mute" }).click();
  await eventually(async () => (await stats(bob, bobCall)).totalAudioEnergy > m2.totalAudioEnergy + 1e-4, {
    message: "sound back after unmute",
  });
  await el(alice, (e) => e.hangup());
  await noCalls(alice);
  await noCalls(bob);
});

test("a malformed number is refused with a clear message and nothing is sent", async () => {
  const invites = kamailioLines(/REQ INVITE/).length;
  await alice.getByLabel("Number to call").fill("12<>34");
  await alice.getByRole("button", { name: "Call", exact: true }).click();
  await eventually(async () => /is not a phone number or SIP address/.test(await shownText(alice)), { message: "error shown" });
  const err = await el(alice, (e) => e.dial("").catch((/** @type {Error} */ x) => x.message));
  assert.equal(err, "Enter a number or SIP address to call");
  assert.equal(kamailioLines(/REQ INVITE/).length, invites);
  await alice.getByLabel("Number to call").fill("");
});

/**
 * Audio energy `page` receives on the call over `ms` (a measurement window).
 * @param {Page} page
 * @param {string} callId
 * @param {number} ms
 */
async function energyOver(page, callId, ms) {
  const before = (await stats(page, callId)).totalAudioEnergy;
  await new Promise((r) => setTimeout(r, ms));
  return (await stats(page, callId)).totalAudioEnergy - before;
}

for (const [what, flag, expected] of /** @type {[string, string, RegExp][]} */ ([
  // Without the fake UI the permission prompt is dismissed, as when a user clicks "Block".
  ["a denied microphone", "--use-fake-ui-for-media-stream", /Microphone access is blocked: allow it in the browser's site settings/],
  // Without the fake device there is no microphone at all in this namespace.
  ["a missing microphone", "--use-fake-device-for-media-stream", /No microphone found: connect one and try again/],
])) {
  test(`${what} fails the call at once with a clear message and sends nothing`, async () => {
    const browser = await launchBrowser({ without: [flag] });
    try {
      const carol = await openPhone(browser, s.appUrl, { name: "carol", config: accountFor(USERS.carol, { server: s.wss }) });
      const invites = kamailioLines(/REQ INVITE .* from sip:1003@/).length;
      const t0 = Date.now();
      await el(carol, (e) => e.dial("1002"));
      await noCalls(carol);
      assert.ok(Date.now() - t0 < 5000, "failed at once");
      assert.match(await shownText(carol), expected);
      assert.equal(kamailioLines(/REQ INVITE .* from sip:1003@/).length, invites, "no INVITE sent without a microphone");
    } finally {
      await browser.close();
    }
  });
}
