// npm run screenshots: the README's pictures, taken from the real app on the bed (inside the
// private namespace, like the tests): each main view at 400 px (a phone, a narrow window) and
// 1280 px (a desktop window), written to docs/screenshots/. Re-run after a UI change.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { USERS } from "./bed/bed.mjs";
import { accountFor, el, openPhone, waitForCall } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "docs", "screenshots");
mkdirSync(out, { recursive: true });

/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */

const s = await startSession();
try {
  const aliceConfig = accountFor(USERS.alice, { server: s.wss });
  aliceConfig.accounts[0].label = "Office";
  const alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: aliceConfig });
  const bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
  // Something in the history and the messages, as a phone in use has.
  await el(alice, (e) => e.sendMessage("1002", "Can you call me back about the order?"));
  for (let i = 0; i < 2; i++) {
    const id = await el(alice, (e) => e.dial("1002"));
    await waitForCall(bob, (c) => c.state === "incoming");
    await el(bob, (e) => e.answer());
    await waitForCall(alice, (c, callId) => c.id === callId && c.state === "established", { arg: id });
    await el(alice, (e, callId) => e.hangup(callId), id);
    await waitForCall(bob, (c) => c.state === "ended").catch(() => undefined);
  }

  /**
   * Both widths of `page` as it is now.
   * @param {PhonePage} page
   * @param {string} name
   */
  const shoot = async (page, name) => {
    for (const [width, height] of [
      [400, 760],
      [1280, 800],
    ]) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(150); // a layout change settles (no condition to wait for)
      await page.screenshot({ path: join(out, `${name}-${width}.png`) });
    }
  };
  /**
   * @param {PhonePage} page
   * @param {string} view
   */
  const open = (page, view) => el(page, (e, v) => e.showView(/** @type {"history"} */ (v)), view);

  for (const view of ["phone", "history", "messages", "contacts", "lines", "settings"]) {
    await open(alice, view).catch(() => undefined);
    await shoot(alice, view);
  }
  await open(alice, "phone");
  await open(bob, "phone");
  const id = await el(alice, (e) => e.dial("1002"));
  await waitForCall(bob, (c) => c.state === "incoming");
  await shoot(bob, "incoming");
  await el(bob, (e) => e.answer());
  await waitForCall(alice, (c, callId) => c.id === callId && c.state === "established", { arg: id });
  // The call's first quality reading (every 3 s; the indicator shows nothing before one).
  await alice.waitForFunction(() =>
    document
      .querySelector("sip-phone")
      ?.shadowRoot?.querySelector("sip-call-panel")
      ?.shadowRoot?.querySelector("sip-call-quality")
      ?.shadowRoot?.querySelector("[data-grade]"),
  );
  await shoot(alice, "in-call");
  await el(alice, (e, callId) => e.hangup(callId), id);
  await waitForCall(bob, (c) => c.state === "ended").catch(() => undefined);

  // A video call (the fake camera's test pattern both ways), at 360 px as well.
  const video = await el(alice, (e) => e.dial("1002", { video: true }));
  const ringing = await waitForCall(bob, (c) => c.state === "incoming");
  await el(bob, (e, callId) => e.answer(callId, { video: true }), ringing.id);
  await waitForCall(alice, (c, callId) => c.id === callId && c.state === "established" && !!c.video?.remote, { arg: video });
  // Frames decoded in the remote picture (its size is known once the first one is).
  await alice.waitForFunction(() => {
    const area = document
      .querySelector("sip-phone")
      ?.shadowRoot?.querySelector("sip-call-panel")
      ?.shadowRoot?.querySelector("sip-call-video");
    const remote = /** @type {HTMLVideoElement | null | undefined} */ (area?.shadowRoot?.querySelector("video"));
    return !!remote && remote.videoWidth > 0;
  });
  await alice.setViewportSize({ width: 360, height: 760 });
  await alice.waitForTimeout(150);
  await alice.screenshot({ path: join(out, "video-360.png") });
  await shoot(alice, "video");
  await el(alice, (e, callId) => e.hangup(callId), video);
  console.log(`screenshots written to ${out}`);
} finally {
  await stopSession(s);
}
