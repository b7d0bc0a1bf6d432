// One registration per browser profile: two tabs of the phone elect one to hold the SIP
// connections; the other mirrors it and acts through it; closing the leader hands over.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { USERS } from "./bed/bed.mjs";
import { accountFor, eventually, hangupAll, openPhone, waitForCall, waitForLineState, waitForPhone, el } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @type {import("./lib/session.mjs").Session} */
let s;
/** @type {import("./lib/browser.mjs").PhonePage} */
let bob;
before(async () => {
  s = await startSession();
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
});
after(async () => {
  await stopSession(s);
});

/** @param {string} user */
const contactsOf = (user) => s.kamailio.locations().contacts[`${user}@127.0.0.1`] ?? s.kamailio.locations().contacts[user] ?? [];

test("two tabs: one contact in Kamailio, the second tab dials and answers through the first, and takes over when it closes", async (t) => {
  const first = await openPhone(s.browser, s.appUrl, { name: "alice-1", config: accountFor(USERS.alice, { server: s.wss }) });
  const context = first.context();
  const second = await context.newPage();
  await second.goto(s.appUrl);
  // The second tab shows the line as the first tab has it.
  await waitForLineState(second, "registered");
  // The second tab follows: it waits for the lock the first tab holds, and only the holder
  // registers, so a second contact cannot come any more.
  await eventually(
    () =>
      second.evaluate(async () => {
        const { held = [], pending = [] } = await navigator.locks.query();
        return pending.some((p) => held.some((h) => h.name === p.name));
      }),
    { message: "the second tab queued behind the first" },
  );
  assert.equal(contactsOf("1001").length, 1, `one contact for 1001: ${JSON.stringify(contactsOf("1001"))}`);

  // The second tab dials (through the first).
  const out = await el(second, (e) => e.dial("1002"));
  const atBob = await waitForCall(bob, (c) => c.state === "incoming");
  assert.equal(atBob.remote, "1001");
  await waitForCall(second, (c, id) => c.id === id && c.state === "ringing", { arg: out });
  await el(bob, (e, id) => e.answer(id), atBob.id);
  await waitForCall(second, (c, id) => c.id === id && c.state === "established", { arg: out });
  await el(second, (e, id) => e.hangup(id), out);
  await waitForPhone(bob, (e) => e.calls.length === 0);

  // An incoming call shows in both tabs and can be answered from either: here the second.
  await el(bob, (e) => e.dial("1001"));
  const inSecond = await waitForCall(second, (c) => c.state === "incoming");
  await waitForCall(first, (c, id) => c.id === id && c.state === "incoming", { arg: inSecond.id });
  await second.getByRole("button", { name: "Answer" }).click();
  await waitForCall(bob, (c) => c.state === "established");
  await waitForCall(first, (c, id) => c.id === id && c.state === "established", { arg: inSecond.id });
  await hangupAll(second, bob);

  // The first tab closes: the second registers by itself within 5 s.
  const [old] = contactsOf("1001");
  const closedAt = Date.now();
  await first.close({ runBeforeUnload: true });
  // The second tab registers its own contact...
  await eventually(() => contactsOf("1001").some((c) => c.address !== old.address), {
    message: "the second tab's own contact for 1001",
    timeout: 10_000,
    interval: 50,
  });
  const took = Date.now() - closedAt;
  t.diagnostic(`the second tab registered ${took} ms after the first closed`);
  // ...and the first tab's goes with its socket (Kamailio's usrloc timer, every 10 s on the bed).
  await eventually(() => contactsOf("1001").length === 1, { message: "one contact for 1001 again", timeout: 20_000 });
  await waitForPhone(second, (e) => e.lines[0]?.state === "registered");
  assert.ok(took < 5000, `second tab registered ${took} ms after the first closed`);
  // And it is a working phone: bob calls, the second tab answers.
  await el(bob, (e) => e.dial("1001"));
  const again = await waitForCall(second, (c) => c.state === "incoming");
  await el(second, (e, id) => e.answer(id), again.id);
  await waitForCall(bob, (c) => c.state === "established");
  await hangupAll(second, bob);
  await context.close();
});
