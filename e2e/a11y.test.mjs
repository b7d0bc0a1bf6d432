// Accessibility (issue 16): axe-core (WCAG 2.1 A and AA rules) on every view of the app page and
// on the call states, in light and dark colour schemes, on the first-run account form, and on a
// page of another origin that embeds the phone and a call button. Asserts no violation.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { USERS } from "./bed/bed.mjs";
import { accountFor, el, hangupAll, openPhone, PHONE_VIEWPORT, waitForCall, waitForLineState } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";
import { startStaticServer } from "./lib/static-server.mjs";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

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
  await stopSession(s);
});

/**
 * axe-core's WCAG 2.1 A/AA violations on the page as it is now (shadow roots included), as
 * "rule: target (summary)" lines.
 * @param {PhonePage} page
 */
async function violations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axePath });
  // Colour transitions over first (a pressed button fades to its colour): axe reads the colours.
  // document.getAnimations() leaves out shadow trees in Chromium: each shadow root is asked.
  await page.waitForFunction(() => {
    /** @type {(root: Document | ShadowRoot) => Animation[]} */
    const all = (root) => [
      ...root.getAnimations(),
      ...[...root.querySelectorAll("*")].flatMap((e) => (e.shadowRoot ? all(e.shadowRoot) : [])),
    ];
    return all(document).every((a) => !(a instanceof CSSTransition) || a.playState !== "running");
  });
  return page.evaluate(async () => {
    const axe = /** @type {any} */ (window).axe;
    const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations.flatMap((/** @type {any} */ v) =>
      v.nodes.map((/** @type {any} */ n) => `${v.id}: ${JSON.stringify(n.target)} (${n.failureSummary?.split("\n")[1]?.trim() ?? v.help})`),
    );
  });
}

/** The element each view shows in its tab panel. */
const VIEW_TAGS = /** @type {Record<string, string>} */ ({
  phone: "sip-dialpad",
  history: "sip-history",
  messages: "sip-conversations",
  contacts: "sip-contacts",
  lines: "sip-lines-editor",
  settings: "sip-settings",
});

/**
 * Opens each view of the page's phone in turn and collects axe's violations, by view.
 * @param {PhonePage} page
 */
async function violationsInEveryView(page) {
  /** @type {string[]} */
  const found = [];
  for (const view of ["phone", "history", "messages", "contacts", "lines", "settings"]) {
    await el(page, (e, v) => e.showView(/** @type {"history"} */ (v)), view);
    // The view's element is defined (its module loaded on first use) and has rendered, the
    // history has been read, and the tabs' colour transitions are over (axe reads the colours).
    await page.waitForFunction((tag) => {
      const root = document.querySelector("sip-phone")?.shadowRoot;
      // In its tab panel; the dialpad has a pane of its own in two panes (a wide window).
      const view = root?.querySelector(`[role="tabpanel"] ${tag}`) ?? root?.querySelector(tag);
      return (
        !!view?.shadowRoot?.childElementCount &&
        !view.shadowRoot.querySelector('[aria-busy="true"]') &&
        !!root?.getAnimations().every((a) => a.playState !== "running")
      );
    }, VIEW_TAGS[view]);
    for (const v of await violations(page)) found.push(`${view}: ${v}`);
  }
  await el(page, (e) => e.showView("phone"));
  return found;
}

/**
 * The relative luminance (WCAG 2.1) of the phone's surface and of its text, as rendered.
 * @param {PhonePage} page
 */
function surfaceAndText(page) {
  return page.evaluate(() => {
    const phone = /** @type {HTMLElement} */ (document.querySelector("sip-phone"));
    const style = getComputedStyle(phone);
    /** @param {string} c */
    const luminance = (c) => {
      const [r, g, b] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
        const x = Number(v) / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    return { surface: luminance(style.backgroundColor), text: luminance(style.color) };
  });
}

for (const scheme of /** @type {const} */ (["light", "dark"])) {
  test(`every view of the app page, ${scheme}: no WCAG 2.1 A/AA violation, and a ${scheme} surface`, async () => {
    await alice.emulateMedia({ colorScheme: scheme });
    assert.deepEqual(await violationsInEveryView(alice), []);
    const { surface, text } = await surfaceAndText(alice);
    if (scheme === "dark") assert.ok(surface < 0.05, `a dark surface (luminance ${surface.toFixed(3)})`);
    else assert.ok(surface > 0.8, `a light surface (luminance ${surface.toFixed(3)})`);
    const contrast = (Math.max(surface, text) + 0.05) / (Math.min(surface, text) + 0.05);
    assert.ok(contrast >= 4.5, `text contrast ${contrast.toFixed(1)}:1`);
  });
}

test("every view at 1280 px (two panes, the dialpad beside the open view): no WCAG 2.1 A/AA violation", async () => {
  await alice.emulateMedia({ colorScheme: "light" });
  await alice.setViewportSize({ width: 1280, height: 800 });
  try {
    await alice.waitForFunction(() => !!document.querySelector("sip-phone")?.shadowRoot?.querySelector(".panes"));
    assert.deepEqual(await violationsInEveryView(alice), []);
  } finally {
    await alice.setViewportSize(PHONE_VIEWPORT);
  }
});

test("Settings → General: Dark makes the surface dark in a light system, and is kept across a reload", async () => {
  await alice.emulateMedia({ colorScheme: "light" });
  await el(alice, (e) => e.showView("settings"));
  await alice.locator('sip-settings-general input[value="dark"]').check();
  await alice.waitForFunction(() => document.querySelector("sip-phone")?.getAttribute("data-theme") === "dark");
  assert.ok((await surfaceAndText(alice)).surface < 0.05, "dark surface");
  // What the page shows before its views exist (index.html's card): dark too, from the start.
  await alice.context().addInitScript(() => {
    document.addEventListener("DOMContentLoaded", () => {
      const card = document.querySelector("sip-phone");
      if (card && !customElements.get("sip-phone")) /** @type {any} */ (window).__cardBackground = getComputedStyle(card).backgroundColor;
    });
  });
  await alice.reload();
  await alice.waitForFunction(() => document.querySelector("sip-phone")?.getAttribute("data-theme") === "dark");
  assert.ok((await surfaceAndText(alice)).surface < 0.05, "still dark after the reload");
  const card = await alice.evaluate(() => /** @type {any} */ (window).__cardBackground);
  assert.equal(card, "rgb(13, 17, 23)", "the card before the views is dark (#0d1117), not the system's light");
  await waitForLineState(alice, "registered");
  await el(alice, (e) => e.showView("settings"));
  await alice.locator('sip-settings-general input[value="auto"]').check();
  await alice.waitForFunction(() => !document.querySelector("sip-phone")?.hasAttribute("data-theme"));
  assert.ok((await surfaceAndText(alice)).surface > 0.8, "back to the system's light");
  await el(alice, (e) => e.showView("phone"));
});

test("the call states: outgoing, incoming, established, held, conference: no WCAG 2.1 A/AA violation", async () => {
  /** @type {string[]} */
  const found = [];
  const id = await el(alice, (e) => e.dial("1002"));
  const incoming = await waitForCall(bob, (c) => c.state === "incoming");
  await waitForCall(alice, (c, callId) => c.id === callId && c.state === "ringing", { arg: id });
  for (const v of await violations(alice)) found.push(`outgoing: ${v}`);
  for (const v of await violations(bob)) found.push(`incoming: ${v}`);
  await el(bob, (e, callId) => e.answer(callId), incoming.id);
  await waitForCall(alice, (c, callId) => c.id === callId && c.state === "established", { arg: id });
  // The quality indicator's first reading (it shows nothing before one).
  await alice.waitForFunction(() =>
    document
      .querySelector("sip-phone")
      ?.shadowRoot?.querySelector("sip-call-panel")
      ?.shadowRoot?.querySelector("sip-call-quality")
      ?.shadowRoot?.querySelector("[data-grade]"),
  );
  for (const v of await violations(alice)) found.push(`established: ${v}`);
  await el(alice, (e, callId) => e.hold(callId), id);
  await waitForCall(alice, (c, callId) => c.id === callId && c.held, { arg: id });
  for (const v of await violations(alice)) found.push(`held: ${v}`);
  // A second call, then both joined in a conference.
  const second = await el(alice, (e) => e.dial("1003"));
  const atCarol = await waitForCall(carol, (c) => c.state === "incoming");
  await el(carol, (e, callId) => e.answer(callId), atCarol.id);
  await waitForCall(alice, (c, callId) => c.id === callId && c.state === "established", { arg: second });
  await el(alice, (e, ids) => e.conference(ids), [id, second]);
  await waitForCall(alice, (c, callId) => c.id === callId && c.conference && !c.held, { arg: id });
  for (const v of await violations(alice)) found.push(`conference: ${v}`);
  await hangupAll(alice, bob, carol);
  assert.deepEqual(found, []);
});

test("first run, no account: the account form has no WCAG 2.1 A/AA violation", async () => {
  const fresh = await openPhone(s.browser, s.appUrl, { name: "fresh", waitFor: null });
  await fresh.waitForFunction(
    () => !!document.querySelector("sip-phone")?.shadowRoot?.querySelector("sip-account-form")?.shadowRoot?.querySelector("form"),
  );
  const found = await violations(fresh);
  await fresh.context().close();
  assert.deepEqual(found, []);
});

test("a page of another origin embedding the phone and a call button: every view and a ringing call, no WCAG 2.1 A/AA violation", async () => {
  const dir = mkdtempSync(join(tmpdir(), "webphone-a11y-host-"));
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Intranet directory</title></head>
    <body><main><h1>Directory</h1><p>Bob <sip-call-button number="1002"></sip-call-button></p>
    <sip-phone></sip-phone></main><script type="module" src="${s.appUrl}/lib/webphone.js"></script></body></html>`,
  );
  const server = await startStaticServer({ root: dir });
  s.stops.push(() => server.close());
  const host = await openPhone(s.browser, server.url, { name: "host", config: accountFor(USERS.alice, { server: s.wss }) });
  await host.waitForFunction(() => !!customElements.get("sip-call-button"));
  const found = await violationsInEveryView(host);
  const out = await el(bob, (e) => e.dial("1001"));
  await waitForCall(host, (c) => c.state === "incoming");
  for (const v of await violations(host)) found.push(`incoming: ${v}`);
  await el(bob, (e, callId) => e.hangup(callId), out);
  await host.context().close();
  assert.deepEqual(found, []);
});
