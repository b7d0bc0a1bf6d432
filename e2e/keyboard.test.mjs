// Keyboard only (issue 16): alice's phone is driven with the keyboard alone (Playwright's keyboard,
// never the mouse), bob and carol through the API. The results are checked where they land: on
// bob's and carol's side (their calls, what their phones received) and in the audio.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { USERS } from "./bed/bed.mjs";
import { accountFor, el, eventually, hangupAll, nextEnded, openPhone, stats, waitForCall } from "./lib/browser.mjs";
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
after(async () => {
  await hangupAll(alice, bob, carol);
  await stopSession(s);
});

/**
 * The focused element's text and role, inside shadow roots.
 * @param {PhonePage} page
 */
function focused(page) {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return { tag: active?.localName ?? "", text: active?.textContent?.trim() ?? "", label: active?.getAttribute("aria-label") ?? "" };
  });
}

/**
 * How much sound `page` heard on `callId` over 1.5 s (W3C totalAudioEnergy).
 * @param {PhonePage} page
 * @param {string} callId
 */
async function energyOver(page, callId) {
  const a = (await stats(page, callId)).totalAudioEnergy;
  await new Promise((r) => setTimeout(r, 1500));
  return (await stats(page, callId)).totalAudioEnergy - a;
}

/** @param {PhonePage} page */
const blur = (page) =>
  page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    /** @type {HTMLElement | null} */ (active)?.blur();
  });

test("keyboard only: a ringing call takes the focus, Enter answers, m mutes, h holds and resumes, t transfers", async () => {
  await blur(alice);
  const out = await el(bob, (e) => e.dial("1001"));
  const ringing = await waitForCall(alice, (c) => c.state === "incoming");
  // The focus went to the ringing call's Answer button by itself.
  await eventually(async () => /Answer/.test((await focused(alice)).text), { message: "the Answer button has the focus" });
  await alice.keyboard.press("Enter");
  await waitForCall(bob, (c, id) => c.id === id && c.state === "established", { arg: out });
  await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: ringing.id });
  // Answered, the focus is on the call's first action (Mute), not lost to the page.
  await eventually(async () => /Mute/.test((await focused(alice)).text), { message: "the call's Mute button has the focus" });
  await eventually(async () => (await energyOver(bob, out)) > 1e-3, { message: "bob hears alice", timeout: 15_000 });

  // m: alice's microphone is muted; bob hears silence; m again: he hears her again.
  await blur(alice);
  await alice.keyboard.press("m");
  await waitForCall(alice, (c, id) => c.id === id && c.muted, { arg: ringing.id });
  await eventually(async () => (await energyOver(bob, out)) < 1e-4, { message: "bob hears silence", timeout: 15_000 });
  await alice.keyboard.press("m");
  await waitForCall(alice, (c, id) => c.id === id && !c.muted, { arg: ringing.id });
  await eventually(async () => (await energyOver(bob, out)) > 1e-3, { message: "bob hears alice again", timeout: 15_000 });

  // h: a hold re-INVITE reaches bob (held by the other side), h again resumes.
  await alice.keyboard.press("h");
  await waitForCall(bob, (c, id) => c.id === id && c.heldByRemote, { arg: out });
  await alice.keyboard.press("h");
  await waitForCall(bob, (c, id) => c.id === id && !c.heldByRemote, { arg: out });

  // t: the transfer field opens with the focus in it; typed and Enter: a blind transfer (REFER)
  // that bob follows to carol.
  await alice.keyboard.press("t");
  await eventually(async () => (await focused(alice)).label === "Transfer to", { message: "the transfer field has the focus" });
  await alice.keyboard.type("1003");
  await alice.keyboard.press("Enter");
  const atCarol = await waitForCall(carol, (c) => c.state === "incoming");
  assert.equal(atCarol.remote, "1002", "carol is called by bob, whom alice transferred");
  assert.ok(
    bob.sipReceived.some((m) => m.startsWith("REFER ") && /Refer-To:\s*<?sip:1003@/i.test(m)),
    "bob received alice's REFER to 1003",
  );
  await el(carol, (e, id) => e.answer(id), atCarol.id);
  await waitForCall(carol, (c, id) => c.id === id && c.state === "established", { arg: atCarol.id });
  await hangupAll(bob, carol);
});

test("keyboard only: digits typed anywhere start a number, Enter calls, e hangs up; d declines a ringing call", async () => {
  await el(alice, (e) => e.showView("history"));
  await blur(alice);
  for (const key of ["1", "0", "0", "2"]) await alice.keyboard.press(key);
  // The digits went to the dialpad's number (the dialpad view opened), which has the focus now.
  assert.equal((await focused(alice)).tag, "input");
  await alice.keyboard.press("Enter");
  const atBob = await waitForCall(bob, (c) => c.state === "incoming");
  assert.equal(atBob.remote, "1001");
  await el(bob, (e, id) => e.answer(id), atBob.id);
  await waitForCall(bob, (c, id) => c.id === id && c.state === "established", { arg: atBob.id });
  await blur(alice);
  const byBob = nextEnded(bob);
  await alice.keyboard.press("e");
  // The BYE reached bob: his call ended, hung up by the other side.
  const ended = await byBob;
  assert.equal(ended.id, atBob.id);
  assert.equal(ended.reason, "remote-hangup");

  // d declines: carol's call ends with alice's 603.
  await blur(alice);
  const out = await el(carol, (e) => e.dial("1001"));
  await waitForCall(alice, (c) => c.state === "incoming");
  const byCarol = nextEnded(carol);
  await alice.keyboard.press("d");
  const declined = await byCarol;
  assert.equal(declined.id, out);
  assert.equal(declined.reason, "rejected");
  assert.deepEqual(
    declined.failure && { kind: declined.failure.kind, code: "sipCode" in declined.failure ? declined.failure.sipCode : 0 },
    {
      kind: "rejected",
      code: 603,
    },
  );
});

test("? shows the list of shortcuts with the focus in it; Esc closes it", async () => {
  await el(alice, (e) => e.showView("phone"));
  await blur(alice);
  await alice.keyboard.press("?");
  await eventually(async () => (await focused(alice)).text === "Close", { message: "the list's Close button has the focus" });
  const listed = await alice.evaluate(
    () =>
      document.querySelector("sip-phone")?.shadowRoot?.querySelector("sip-shortcut-help")?.shadowRoot?.querySelector("dialog")
        ?.textContent ?? "",
  );
  assert.match(listed, /Hold or resume/);
  await alice.keyboard.press("Escape");
  const open = await alice.evaluate(
    () => !!document.querySelector("sip-phone")?.shadowRoot?.querySelector("sip-shortcut-help")?.shadowRoot?.querySelector("dialog")?.open,
  );
  assert.equal(open, false);
});
