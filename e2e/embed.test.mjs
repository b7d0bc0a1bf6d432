// The library on a page of another origin: <sip-phone> and two <sip-call-button>s from one
// module script, events for the host page, theming, and the package's manifest and types.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Sipp, USERS } from "./bed/bed.mjs";
import { accountFor, el, eventually, hangupAll, openPhone, waitForCall, waitForPhone } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";
import { startStaticServer } from "./lib/static-server.mjs";

/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */
/** @typedef {import("./lib/sip-phone-api.mjs").CallSnapshot} CallSnapshot */
/** @typedef {import("./lib/sip-phone-api.mjs").LineSnapshot} LineSnapshot */
/**
 * What the host page (e2e/host/host.html.tmpl) notes of every phone event.
 * @typedef {{ "line-state": LineSnapshot, "call-state": CallSnapshot, "incoming-call": CallSnapshot }} HostEvents
 */

const here = dirname(fileURLToPath(import.meta.url));
/** @type {import("./lib/session.mjs").Session} */
let s;
/**
 * The host page on another origin, with <sip-phone> and two <sip-call-button>s.
 * @type {PhonePage}
 */
let host;
/** @type {import("./lib/static-server.mjs").StaticServer} */
let hostServer;
/** @type {PhonePage} */
let bob;
/** @type {PhonePage} */
let carol;

before(async () => {
  s = await startSession();
  const dir = mkdtempSync(join(tmpdir(), "webphone-host-"));
  writeFileSync(join(dir, "index.html"), readFileSync(join(here, "host", "host.html.tmpl"), "utf8").replaceAll("APP_URL", s.appUrl));
  // A page with only buttons: the phone's configuration comes from a URL on the host.
  writeFileSync(join(dir, "carol.json"), JSON.stringify(accountFor(USERS.carol, { server: s.wss })));
  writeFileSync(
    join(dir, "buttons.html"),
    `<!doctype html><p>Support <sip-call-button number="1002" config-url="/carol.json"></sip-call-button>
    <sip-call-button number="1001" config-url="/carol.json"></sip-call-button></p>
    <script type="module" src="${s.appUrl}/lib/webphone.js"></script>`,
  );
  // Another origin: same loopback address, another port.
  hostServer = await startStaticServer({ root: dir });
  s.stops.push(() => hostServer.close());
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
  carol = await openPhone(s.browser, s.appUrl, { name: "carol", config: accountFor(USERS.carol, { server: s.wss }) });
  host = await openPhone(s.browser, hostServer.url, { name: "host", config: accountFor(USERS.alice, { server: s.wss }) });
});
after(async () => {
  await stopSession(s);
});

/**
 * The details of the host page's events of one type, in order.
 * @template {keyof HostEvents} T
 * @param {T} type
 * @returns {Promise<HostEvents[T][]>}
 */
const events = (type) =>
  host.evaluate(
    (t) =>
      /** @type {{ hostEvents: { type: string, detail: HostEvents[T] }[] }} */ (/** @type {unknown} */ (window)).hostEvents
        .filter((e) => e.type === t)
        .map((e) => e.detail),
    type,
  );

test("a page on another origin embeds the phone and two call buttons with one module script; a button's call reaches bob", async () => {
  assert.notEqual(new URL(hostServer.url).origin, new URL(s.appUrl).origin);
  const scripts = await host.evaluate(() => [...document.scripts].filter((x) => x.src).map((x) => x.src));
  assert.deepEqual(scripts, [`${s.appUrl}/lib/webphone.js`], "one module script, from the phone's origin");
  assert.ok(
    (await events("line-state")).some((l) => l.state === "registered"),
    "the host saw the line register",
  );

  await host.getByRole("button", { name: "Call 1002" }).click();
  const atBob = await waitForCall(bob, (c) => c.state === "incoming");
  assert.equal(atBob.remote, "1001");
  await eventually(
    async () =>
      (await host
        .locator("#call-bob [role=status]")
        .innerText()
        .catch(() => "")) === "Ringing…",
    { message: "the button shows ringing" },
  );
  await el(bob, (e, id) => e.answer(id), atBob.id);
  await eventually(
    async () =>
      (await host
        .locator("#call-bob [role=status]")
        .innerText()
        .catch(() => "")) === "Connected",
    { message: "the button shows connected" },
  );
  const states = (await events("call-state")).filter((c) => c.remote === "1002").map((c) => c.state);
  assert.ok(states.includes("established"), `host events: ${states.join(", ")}`);

  // The second button uses the same phone (one registration): carol rings from the same line.
  await host.getByRole("button", { name: "Call 1003" }).click();
  const atCarol = await waitForCall(carol, (c) => c.state === "incoming");
  assert.equal(atCarol.remote, "1001");
  assert.equal(
    s.kamailio.locations().contacts["1001"]?.length ?? s.kamailio.locations().contacts["1001@127.0.0.1"]?.length,
    1,
    "one registration for the page",
  );
  // A second click on a button hangs its call up.
  await host.getByRole("button", { name: "Hang up 1002" }).click();
  await waitForPhone(bob, (e) => e.calls.length === 0);
  await eventually(
    async () =>
      (await host
        .locator("#call-bob [role=status]")
        .innerText()
        .catch(() => "")) === "Ended",
    { message: "the button shows the call ended" },
  );
  await hangupAll(host, carol);
});

test("incoming-call carries number, name, line and the SIP headers the host asked for", async () => {
  const sipp = new Sipp(s.dir, "auto-answer-uac.xml", { extraArgs: ["-s", "1001", "127.0.0.1:5060"] }).start();
  try {
    const call = await eventually(async () => (await events("incoming-call")).find((c) => c.remote === "3999"), {
      message: "incoming-call at the host",
    });
    assert.equal(call.remoteName, "Paging");
    assert.equal(call.lineId, await el(host, (e) => e.lines[0].id));
    assert.deepEqual(call.headers, { "X-Customer-Id": "4711" });
    await el(host, (e, id) => e.decline(id), call.id);
  } finally {
    await sipp.stop();
  }
});

test("theming by custom properties and ::part reaches inside the elements", async () => {
  const bar = await el(host, (e) => {
    const part = e.shadowRoot?.querySelector("[part=bar]");
    return part ? getComputedStyle(part).backgroundColor : "no [part=bar]";
  });
  assert.equal(bar, "rgb(1, 2, 3)");
  const radius = await host.evaluate(() => {
    const part = document.querySelector("#call-bob")?.shadowRoot?.querySelector("[part=button]");
    return part ? getComputedStyle(part).borderTopLeftRadius : "no [part=button]";
  });
  assert.equal(radius, "2px");
});

test("the package ships type declarations and a custom-elements manifest for both elements", async () => {
  /** @type {{ modules: { declarations?: { tagName?: string }[] }[] }} */
  const manifest = await (await fetch(`${s.appUrl}/lib/custom-elements.json`)).json();
  const tags = manifest.modules
    .flatMap((m) => m.declarations ?? [])
    .map((d) => d.tagName)
    .filter(Boolean)
    .sort();
  assert.deepEqual(tags, ["sip-call-button", "sip-phone"]);
  const types = await (await fetch(`${s.appUrl}/lib/types/lib.d.ts`)).text();
  assert.match(types, /export type \{ SipPhone \}/);
  assert.match(types, /export \{ SipCallButton \}/);
  assert.match(types, /export declare function definePhone\(\)/);
});

test("a page with only call buttons: the first button creates one hidden phone from config-url, shared by all", async () => {
  const page = await (await s.browser.newContext()).newPage();
  /** @type {string[]} */
  const scripts = [];
  page.on("request", (r) => r.resourceType() === "script" && scripts.push(new URL(r.url()).pathname));
  try {
    await page.goto(`${hostServer.url}/buttons.html`);
    await page.waitForFunction(() => customElements.get("sip-call-button"));
    // The buttons alone: the phone's code (SIP stack, views) is not loaded before a click.
    assert.equal(await page.evaluate(() => customElements.get("sip-phone")), undefined);
    assert.ok(!scripts.some((p) => /\/lib\/lib-phone-/.test(p)), `before the click: ${scripts.join(", ")}`);
    await page.getByRole("button", { name: "Call 1002" }).click();
    const atBob = await waitForCall(bob, (c) => c.state === "incoming");
    assert.equal(atBob.remote, "1003", "called from the line the configuration gives (carol's account)");
    assert.equal(await page.evaluate(() => document.querySelectorAll("sip-phone").length), 1);
    assert.ok(
      scripts.some((p) => /\/lib\/lib-phone-/.test(p)),
      "the phone's code came with the first click",
    );
    assert.equal(await el(page, (e) => e.hidden), true);
    await page.getByRole("button", { name: "Hang up 1002" }).click();
    await waitForPhone(bob, (e) => e.calls.length === 0);
  } finally {
    await page.context().close();
  }
});
