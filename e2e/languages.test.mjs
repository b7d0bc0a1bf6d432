// Languages (issue 16): the phone speaks the `lang` of its element, its nearest ancestor or the
// document, else the browser's languages; German loads on demand; a `lang` changed at run time
// re-renders in the new language. In the app page and in an English page of another origin
// that embeds `<sip-phone lang="de">`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { USERS } from "./bed/bed.mjs";
import { accountFor, el, eventually, hangupAll, openPhone, PHONE_VIEWPORT, waitForCall } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";
import { startStaticServer } from "./lib/static-server.mjs";

/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */
/** @typedef {import("playwright-core").Page} Page */

/** @type {import("./lib/session.mjs").Session} */
let s;
before(async () => {
  s = await startSession();
});
after(async () => {
  await stopSession(s);
});

/**
 * The dial button's text in the page's first `<sip-phone>` (its dialpad, inside two shadow roots).
 * @param {Page} page
 */
const dialButton = (page) =>
  page.evaluate(
    () =>
      document
        .querySelector("sip-phone")
        ?.shadowRoot?.querySelector("sip-dialpad")
        ?.shadowRoot?.querySelector("button.call")
        ?.textContent?.trim() ?? "",
  );

/**
 * The accessible names of the dialpad's keys and the names of the view tabs.
 * @param {Page} page
 */
const names = (page) =>
  page.evaluate(() => {
    const root = document.querySelector("sip-phone")?.shadowRoot;
    const keypad = root?.querySelector("sip-dialpad")?.shadowRoot?.querySelector("sip-keypad")?.shadowRoot;
    return {
      keys: [...(keypad?.querySelectorAll("button") ?? [])].map((b) => b.getAttribute("aria-label")),
      tabs: [...(root?.querySelectorAll('[role="tab"]') ?? [])].map((t) => t.textContent?.replace(/\s+/g, " ").trim()),
    };
  });

/** German JS chunks fetched by a page: the catalogue loads on demand, not in the first load. */
const germanChunk = (/** @type {string} */ url) => /\/assets\/de-[^/]*\.js$/.test(url);

test('lang="de" on the app page\'s document: a German UI (the dial button reads "Anrufen"), its catalogue loaded on demand', async () => {
  const context = await s.browser.newContext({ ignoreHTTPSErrors: true, viewport: PHONE_VIEWPORT });
  // The deployment fixes German: index.html says lang="de" (and not data-lang-auto).
  await context.route(`${s.appUrl}/`, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('<html lang="en" data-lang-auto>', '<html lang="de">');
    assert.match(body, /<html lang="de">/);
    await route.fulfill({ response, body });
  });
  const page = await context.newPage();
  /** @type {string[]} */
  const scripts = [];
  page.on("request", (r) => r.resourceType() === "script" && scripts.push(r.url()));
  await page.goto(`${s.appUrl}/`);
  await page.waitForFunction(() => customElements.get("sip-phone") !== undefined);
  // First run: the account form and the line status speak German.
  const firstRun = () =>
    page.evaluate(() => {
      const root = document.querySelector("sip-phone")?.shadowRoot;
      const form = root?.querySelector("sip-account-form")?.shadowRoot;
      return `${root?.querySelector("sip-line-status")?.shadowRoot?.textContent ?? ""} ${form?.querySelector('label[for="sipUri-input"]')?.textContent ?? ""}`;
    });
  await eventually(async () => /Noch kein Konto eingerichtet.*SIP-Adresse/s.test(await firstRun()), { message: "a German first run" });
  await el(page, (e, c) => e.configure(c), accountFor(USERS.alice, { server: s.wss }));
  await eventually(async () => (await dialButton(page)) === "Anrufen", { message: "the dial button reads Anrufen" });
  const { keys, tabs } = await names(page);
  assert.equal(keys[1], "2 ABC wählen", "the keypad's accessible names are German and hold the key's text");
  assert.deepEqual(tabs.slice(0, 3), ["Telefon", "Verlauf", "Nachrichten"]);
  assert.equal(await el(page, (e) => e.language), "de");
  assert.ok(scripts.some(germanChunk), `the German catalogue came as its own chunk: ${scripts.join(", ")}`);
  await context.close();
});

test("the app page follows the browser's language where the deployment fixed none; an English browser loads no German", async () => {
  for (const [locale, word, german] of /** @type {const} */ ([
    ["de-AT", "Anrufen", true],
    ["en-US", "Call", false],
  ])) {
    const context = await s.browser.newContext({ ignoreHTTPSErrors: true, locale, viewport: PHONE_VIEWPORT });
    const page = await context.newPage();
    /** @type {string[]} */
    const scripts = [];
    page.on("request", (r) => r.resourceType() === "script" && scripts.push(r.url()));
    await page.goto(`${s.appUrl}/`);
    await page.waitForFunction(() => customElements.get("sip-phone") !== undefined);
    await el(page, (e, c) => e.configure(c), accountFor(USERS.carol, { server: s.wss }));
    await eventually(async () => (await dialButton(page)) === word, { message: `${locale}: the dial button reads ${word}` });
    assert.equal(await page.evaluate(() => document.documentElement.lang), german ? "de" : "en", "the page's lang is its text's");
    assert.equal(scripts.some(germanChunk), german, `${locale}: German catalogue fetched: ${scripts.filter(germanChunk)}`);
    await context.close();
  }
});

test("changing lang at run time re-renders the phone in the new language, calls in progress included", async () => {
  const alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }) });
  const bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
  try {
    assert.equal(await dialButton(alice), "Call");
    await alice.evaluate(() => (document.documentElement.lang = "de"));
    await eventually(async () => (await dialButton(alice)) === "Anrufen", { message: "German after lang=de" });
    // A call rings: its panel speaks German, and goes back to English with the document.
    await el(bob, (e) => e.dial("1001"));
    await waitForCall(alice, (c) => c.state === "incoming");
    const panelButtons = () =>
      alice.evaluate(() =>
        [
          ...(document
            .querySelector("sip-phone")
            ?.shadowRoot?.querySelector("sip-call-panel")
            ?.shadowRoot?.querySelectorAll(".actions button") ?? []),
        ].map((b) => b.textContent?.trim()),
      );
    await eventually(async () => (await panelButtons()).join() === "Annehmen,Ablehnen", { message: "German call panel" });
    await alice.evaluate(() => (document.documentElement.lang = "en"));
    await eventually(async () => (await panelButtons()).join() === "Answer,Decline", { message: "English call panel after lang=en" });
    // The element's own lang wins over the document's.
    await alice.evaluate(() => document.querySelector("sip-phone")?.setAttribute("lang", "de"));
    await eventually(async () => (await panelButtons()).join() === "Annehmen,Ablehnen", { message: 'German after <sip-phone lang="de">' });
  } finally {
    await hangupAll(alice, bob);
    await alice.context().close();
    await bob.context().close();
  }
});

test('an English page of another origin with <sip-phone lang="de"> and a call button: the phone speaks German, the page and its button English', async () => {
  const dir = mkdtempSync(join(tmpdir(), "webphone-lang-host-"));
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Intranet directory</title></head>
    <body><main><h1>Directory</h1><p>Bob <sip-call-button number="1002"></sip-call-button></p>
    <p lang="de">Carol <sip-call-button id="carol" number="1003"></sip-call-button></p>
    <sip-phone lang="de"></sip-phone></main><script type="module" src="${s.appUrl}/lib/webphone.js"></script></body></html>`,
  );
  const server = await startStaticServer({ root: dir });
  s.stops.push(() => server.close());
  const host = await openPhone(s.browser, server.url, { name: "host", config: accountFor(USERS.alice, { server: s.wss }) });
  try {
    await eventually(async () => (await dialButton(host)) === "Anrufen", { message: "the embedded phone reads Anrufen" });
    assert.equal((await names(host)).keys[1], "2 ABC wählen");
    const buttonNames = () =>
      host.evaluate(() =>
        [...document.querySelectorAll("sip-call-button")].map((b) => b.shadowRoot?.querySelector("button")?.getAttribute("aria-label")),
      );
    await host.waitForFunction(() => !!customElements.get("sip-call-button"));
    await eventually(async () => (await buttonNames()).join() === "Call 1002,1003 anrufen", {
      message: "each button speaks its own surroundings' language",
    });
    // The host switches the phone to English at run time.
    await host.evaluate(() => document.querySelector("sip-phone")?.setAttribute("lang", "en"));
    await eventually(async () => (await dialButton(host)) === "Call", { message: "English after lang=en" });
    // And back: removing its own lang, the phone follows the page (English).
    await host.evaluate(() => document.querySelector("sip-phone")?.setAttribute("lang", "de"));
    await eventually(async () => (await dialButton(host)) === "Anrufen", { message: "German again" });
    await host.evaluate(() => document.querySelector("sip-phone")?.removeAttribute("lang"));
    await eventually(async () => (await dialButton(host)) === "Call", { message: "the page's English without its own lang" });
  } finally {
    await host.context().close();
  }
});
