// The installed app: the manifest as the browser parsed it, offline start from the service
// worker's precache, call notifications, and updates that wait for the user and for calls.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, appendFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { USERS } from "./bed/bed.mjs";
import { accountFor, confirmLink, eventually, hangupAll, openPhone, shownText, waitForCall, waitForLineState, el } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";
import { startStaticServer } from "./lib/static-server.mjs";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
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

/**
 * Waits until the page is controlled by an activated service worker (precache complete).
 * @param {import("./lib/browser.mjs").Page} page
 */
async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
    await page.reload();
    await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  }
}

/** @param {RegExp} re */
const kamailioLines = (re) => s.kamailio.log.split("\n").filter((l) => re.test(l));
/** Kamailio logs each INVITE twice (request route and branch). */
const invitesTo1002 = () => kamailioLines(/REQ INVITE sip:1002@127\.0\.0\.1 from sip:1001@/).length / 2;

/**
 * The addresses the page's main frame showed, from now on (redirects it followed are not among them).
 * @param {import("./lib/browser.mjs").Page} page
 */
function shownUrls(page) {
  /** @type {string[]} */
  const urls = [];
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) urls.push(f.url());
  });
  return urls;
}

test("the parsed manifest has the protocol handlers, icons (maskable too) and shortcuts", async () => {
  const page = await openPhone(s.browser, s.appUrl, { name: "manifest", waitFor: null });
  try {
    const cdp = await page.context().newCDPSession(page);
    const res = await cdp.send("Page.getAppManifest");
    assert.deepEqual(res.errors, [], `manifest errors: ${JSON.stringify(res.errors)}`);
    const m = res.manifest;
    assert.ok(m, `parsed manifest: ${JSON.stringify(Object.keys(res))}`);
    const handlers = (m.protocolHandlers ?? []).map((h) => `${h.protocol} ${new URL(h.url).pathname}${new URL(h.url).search}`).sort();
    assert.deepEqual(handlers, ["sip /?dial=%s", "tel /?dial=%s"]);
    const icons = m.icons ?? [];
    assert.ok(
      icons.some((i) => i.sizes === "512x512" && i.type === "image/png"),
      `a 512 px PNG icon: ${JSON.stringify(icons)}`,
    );
    assert.ok(
      icons.some((i) => i.sizes === "192x192"),
      "a 192 px icon",
    );
    // CDP's parsed icons carry no purpose: read it from the manifest the browser fetched.
    /** @type {{ icons: { src: string, purpose?: string }[] }} */
    const fetched = JSON.parse(res.data ?? "{}");
    const maskable = fetched.icons.filter((i) => i.purpose === "maskable").map((i) => new URL(i.src, res.url).href);
    assert.ok(
      maskable.length && maskable.every((u) => icons.some((i) => i.url === u)),
      `maskable icons ${maskable} are among the parsed ones`,
    );
    const installability = await cdp.send("Page.getInstallabilityErrors");
    // Test contexts are incognito profiles, where nothing installs; every other criterion holds.
    const errors = installability.installabilityErrors.filter((e) => e.errorId !== "in-incognito");
    assert.deepEqual(errors, [], `installable: ${JSON.stringify(errors)}`);
    const shortcuts = (m.shortcuts ?? []).map((x) => x.name).sort();
    assert.deepEqual(shortcuts, ["Call history", "Dial"]);
    assert.equal(m.name, "Web Phone");
  } finally {
    await page.context().close();
  }
});

test("reload while offline shows the app from the precache with every line offline; back online they register by themselves", async () => {
  const config = accountFor(USERS.alice, { server: s.wss });
  config.accounts.push({ ...accountFor(USERS.carol, { server: s.wss }).accounts[0], id: "carol-line" });
  const page = await openPhone(s.browser, s.appUrl, { name: "offline", config });
  try {
    await controlled(page);
    await waitForLineState(page, "registered", { lineIndex: 1 });
    await page.context().setOffline(true);
    await page.reload();
    await page.waitForFunction(() => customElements.get("sip-phone") !== undefined);
    await eventually(
      async () => {
        const states = await el(page, (e) =>
          [...(e.shadowRoot?.querySelector("sip-line-status")?.shadowRoot?.querySelectorAll("[part=line-state]") ?? [])].map((x) =>
            (x.textContent ?? "").trim(),
          ),
        );
        return states.length === 2 && states.every((t) => t.startsWith("Offline"));
      },
      { message: "both lines shown offline" },
    );
    assert.match(await shownText(page), /Phone.*History/s, "the app itself is there");
    await page.context().setOffline(false);
    await waitForLineState(page, "registered", { timeout: 15_000 });
    await waitForLineState(page, "registered", { lineIndex: 1, timeout: 15_000 });
  } finally {
    await page.context().close();
  }
});

test("a tel: link clicked offline with no phone open: the page comes from the precache, the lines say offline, and the number is asked about once they are back", async () => {
  const page = await openPhone(s.browser, s.appUrl, { name: "offline-link", config: accountFor(USERS.alice, { server: s.wss }) });
  const context = page.context();
  try {
    await controlled(page);
    // No window of the phone open: the worker has nobody to hand the number to, and the network is gone.
    await page.close();
    await context.setOffline(true);
    const link = await context.newPage();
    const response = await link.goto(`${s.appUrl}/?dial=1002`);
    assert.ok(response?.fromServiceWorker(), "the page came from the service worker");
    await link.waitForFunction(() => customElements.get("sip-phone") !== undefined);
    await waitForLineState(link, "failed", { timeout: 15_000 });
    // The page says why nothing is asked yet, and that the number is not lost.
    await eventually(async () => /Offline: no network/.test(await shownText(link)), { message: "the line shown offline" });
    await eventually(async () => /asked to call 1002 as soon as one is registered again/.test(await shownText(link)), {
      message: "the kept number said",
    });
    const before = invitesTo1002();
    await context.setOffline(false);
    await waitForLineState(link, "registered", { timeout: 15_000 });
    assert.match(await confirmLink(link), /Number 1002/);
    await waitForCall(bob, (c) => c.state === "incoming");
    assert.equal(invitesTo1002() - before, 1, "one INVITE, once back online");
  } finally {
    await hangupAll(bob);
    await context.close();
  }
});

test("an incoming call raises a notification with Answer and Decline; it is closed when the caller cancels", async () => {
  const page = await openPhone(s.browser, s.appUrl, { name: "notify", config: accountFor(USERS.alice, { server: s.wss }) });
  try {
    await page.context().grantPermissions(["notifications"], { origin: s.appUrl });
    await controlled(page);
    await waitForLineState(page, "registered");
    const out = await el(bob, (e) => e.dial("1001"));
    await waitForCall(page, (c) => c.state === "incoming");
    const shown = await eventually(
      async () => {
        const list = await page.evaluate(async () =>
          (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
            title: n.title,
            tag: n.tag,
            // Notification actions are not in TypeScript's DOM types.
            actions: /** @type {Notification & { actions: { action: string, title: string }[] }} */ (n).actions.map(
              (a) => a.action + ":" + a.title,
            ),
          })),
        );
        return list.length === 1 && list[0];
      },
      { message: "one notification" },
    );
    assert.match(shown.title, /Incoming call from Bob \(1002\)|Incoming call from 1002/);
    assert.deepEqual(shown.actions, ["answer:Answer", "decline:Decline"]);
    await el(bob, (e, id) => e.hangup(id), out);
    await eventually(
      async () => (await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).length)) === 0,
      { message: "notification closed after the caller cancelled" },
    );
  } finally {
    await hangupAll(page, bob);
    await page.context().close();
  }
});

test("a new version is announced, and applied only when the user agrees and no call is up", async () => {
  // A copy of the app whose worker we can change, as a deployment would.
  const dir = mkdtempSync(join(tmpdir(), "webphone-update-"));
  cpSync(dist, dir, { recursive: true });
  const server = await startStaticServer({ root: dir });
  const page = await openPhone(s.browser, server.url, { name: "update", config: accountFor(USERS.alice, { server: s.wss }) });
  try {
    await controlled(page);
    await waitForLineState(page, "registered");
    appendFileSync(join(dir, "sw.js"), "\n// next version\n");
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await eventually(async () => /A new version of the phone is ready/.test(await shownText(page)), { message: "update announced" });
    // A call is up: agreeing does not apply it yet.
    const out = await el(page, (e) => e.dial("1002"));
    const atBob = await waitForCall(bob, (c) => c.state === "incoming");
    await el(bob, (e, id) => e.answer(id), atBob.id);
    await waitForCall(page, (c, id) => c.id === id && c.state === "established", { arg: out });
    // The new version takes over only when the page posts it SKIP_WAITING (src/sw.ts): note what
    // the page posts to service workers.
    await page.evaluate(() => {
      /** @type {unknown[]} */
      const posted = [];
      /** @type {Window & { __postedToWorkers?: unknown[] }} */ (window).__postedToWorkers = posted;
      const post = ServiceWorker.prototype.postMessage;
      ServiceWorker.prototype.postMessage = function (/** @type {[any, any]} */ ...args) {
        posted.push(args[0]);
        return post.apply(this, args);
      };
    });
    await page.getByRole("button", { name: "Update now" }).click();
    // The page's answer to the click: past the point where it would have posted SKIP_WAITING.
    assert.match(await shownText(page), /will be installed when your calls have ended/);
    assert.deepEqual(
      await page.evaluate(() => /** @type {Window & { __postedToWorkers?: unknown[] }} */ (window).__postedToWorkers),
      [],
      "nothing asked the new version to take over",
    );
    assert.equal(
      await page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting),
      true,
      "still waiting during the call",
    );
    // The call ends: the new version activates and the page reloads into it.
    const reloaded = page.waitForEvent("load", { timeout: 15_000 });
    await el(page, (e, id) => e.hangup(id), out);
    await reloaded;
    await page.waitForFunction(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return !!reg && !reg.waiting;
    });
  } finally {
    await hangupAll(bob);
    await page.context().close();
    await server.close();
  }
});

test("a tel: link opened in a new tab while the phone is open: the service worker hands it over at the navigation, the open window asks, one INVITE", async () => {
  const open = await openPhone(s.browser, s.appUrl, { name: "open", config: accountFor(USERS.alice, { server: s.wss }) });
  try {
    await open.evaluate(() => navigator.serviceWorker.ready);
    const before = invitesTo1002();
    const link = await open.context().newPage();
    const shown = shownUrls(link);
    // Only a window that handed the number over closes itself, which the browser refuses here (it
    // says so on the console): the sign that it will not dial.
    let closes = false;
    link.on("close", () => (closes = true));
    link.on("console", (m) => {
      if (/Scripts may close only the windows that were opened by them/.test(m.text())) closes = true;
    });
    const response = await link.goto(`${s.appUrl}/?dial=1002`);
    // The worker answered the navigation with a redirect that says the number was handed over:
    // the new page never had a `dial` to offer itself (its own hand-off is not what ran).
    assert.equal(response?.request().redirectedFrom()?.url(), `${s.appUrl}/?dial=1002`, "the link's navigation was redirected");
    assert.equal(shown[0], `${s.appUrl}/?handed=1002`, "the new page was loaded with the handed marker, without dial");
    await confirmLink(open);
    const atBob = await waitForCall(bob, (c) => c.state === "incoming");
    assert.equal(atBob.remote, "1001");
    await eventually(() => closes, { message: "the new page closes itself" });
    if (!link.isClosed()) assert.equal(new URL(link.url()).search, "", "the marker is gone from the address (a reload does nothing)");
    await new Promise((r) => setTimeout(r, 1000)); // a second INVITE would be here by now
    assert.equal(invitesTo1002() - before, 1, "exactly one INVITE for the link");
    assert.equal(await el(bob, (e) => e.calls.length), 1, "one call at bob");
  } finally {
    await hangupAll(open, bob);
    await open.context().close();
  }
});

test("a tel: link opened in the phone's own tab: the page it replaces does not take it, the new page asks", async () => {
  const page = await openPhone(s.browser, s.appUrl, { name: "same-tab", config: accountFor(USERS.alice, { server: s.wss }) });
  try {
    await page.evaluate(() => navigator.serviceWorker.ready);
    const before = invitesTo1002();
    const shown = shownUrls(page);
    await page.goto(`${s.appUrl}/?dial=1002`);
    await confirmLink(page);
    await waitForCall(bob, (c) => c.state === "incoming");
    assert.equal(invitesTo1002() - before, 1, "one INVITE");
    // The worker offered it (the only window open was the one being replaced) and said so.
    assert.equal(shown[0], `${s.appUrl}/?dial=1002&offered=1`);
  } finally {
    await hangupAll(page, bob);
    await page.context().close();
  }
});
