// Trust boundaries (docs/security.md): a link opened by another site asks before it dials,
// provisioning takes only allowed URLs and asks before it replaces lines, and nothing the host
// page reaches (context requests from its own children, the open shadow tree) yields a password.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { USERS } from "./bed/bed.mjs";
import { accountFor, el, eventually, hangupAll, openPhone, shownText, waitForCall, waitForLineState } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").Page} Page */
/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */

/** @type {import("./lib/session.mjs").Session} */
let s;
/** @type {PhonePage} */
let bob;
/**
 * Another site: another loopback port, so another origin. It serves a page that opens links and
 * a configuration it would like the phone to take, and counts what it was asked for.
 * @type {{ url: string, hits: string[], close: () => Promise<unknown> }}
 */
let other;

before(async () => {
  s = await startSession();
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
  /** @type {string[]} */
  const hits = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? "");
    if (req.url === "/evil.json") {
      res.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" });
      res.end(JSON.stringify(accountFor(USERS.carol, { server: s.wss })));
      return;
    }
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!doctype html><title>Some other site</title><p>Cheap calls!</p>");
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", () => r(undefined)));
  const port = /** @type {import("node:net").AddressInfo} */ (server.address()).port;
  other = { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((r) => server.close(r)) };
  s.stops.push(() => other.close());
});
after(async () => {
  await stopSession(s);
});

/** @param {RegExp} re */
const kamailioLines = (re) => s.kamailio.log.split("\n").filter((l) => re.test(l));
/** @param {string} user */
const invitesTo = (user) => kamailioLines(new RegExp(`REQ INVITE sip:${user}@127\\.0\\.0\\.1 from sip:1001@`)).length;

/**
 * The link question in `page`, once its Call button is armed and has the focus (Enter presses it).
 * @param {Page} page
 */
async function linkQuestion(page) {
  const dialog = page.getByRole("alertdialog", { name: "Call this number?" });
  await dialog.waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => {
    const phone = document.querySelector("sip-phone");
    const ask = phone?.shadowRoot?.querySelector("sip-confirm-request");
    const active = ask?.shadowRoot?.activeElement;
    return phone?.shadowRoot?.activeElement === ask && active?.textContent?.trim() === "Call";
  });
  return dialog;
}

/**
 * SIP requests a page's phone put on its WebSockets (what Kamailio was sent), by method.
 * @param {Page} page
 * @param {string[]} sent
 */
function recordSent(page, sent) {
  page.on("websocket", (ws) => ws.on("framesent", (f) => sent.push(String(f.payload))));
}

test("a ?dial= link opened by a page of another origin sends no INVITE until Call is pressed; Esc sends nothing", async () => {
  // Alice's browser profile with her line saved; no phone window open when the link comes.
  const setup = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }) });
  const context = setup.context();
  await setup.close();
  /** @type {string[]} */
  const sent = [];
  context.on("page", (p) => recordSent(p, sent));
  const invites = () => sent.filter((m) => /^INVITE /.test(m));
  // One call: the INVITE and its repeat with credentials after the proxy's 407 share a Call-ID.
  const calls = () => new Set(invites().map((m) => /^Call-ID:\s*(\S+)/im.exec(m)?.[1])).size;
  try {
    const site = await context.newPage();
    await site.goto(other.url + "/");
    const opened = context.waitForEvent("page");
    await site.evaluate((u) => void window.open(u), `${s.appUrl}/?dial=1002`);
    const phone = await opened;
    await waitForLineState(phone, "registered", { timeout: 20_000 });
    const dialog = await linkQuestion(phone);
    const shown = (await dialog.innerText()).replace(/\s+/g, " ");
    assert.match(shown, /Number 1002 Calls sip:1002@127\.0\.0\.1 Line .*sip:1001@127\.0\.0\.1/);
    const before = invitesTo("1002");
    // Registered, asking, and given time: nothing goes out.
    await new Promise((r) => setTimeout(r, 3000));
    assert.deepEqual(invites(), [], "no INVITE on the phone's socket before Call");
    assert.equal(invitesTo("1002"), before, "Kamailio received no INVITE before Call");
    assert.equal(await el(bob, (e) => e.calls.length), 0);

    await phone.keyboard.press("Enter");
    const atBob = await waitForCall(bob, (c) => c.state === "incoming");
    assert.equal(atBob.remote, "1001");
    assert.equal(calls(), 1, "one call's INVITE, after Call");
    await eventually(() => invitesTo("1002") > before, { message: "Kamailio received the INVITE" });
    assert.equal(new URL(phone.url()).search, "", "the dial parameter is removed (a reload does not ask again)");
    await hangupAll(phone, bob);

    // The next link goes to the open phone window (hand-off), which asks there: Esc.
    const next = context.waitForEvent("page");
    await site.evaluate((u) => void window.open(u), `${s.appUrl}/?dial=1003`);
    const handing = await next;
    await linkQuestion(phone);
    assert.match((await phone.getByRole("alertdialog").innerText()).replace(/\s+/g, " "), /Number 1003/);
    // The new window handed the number over and closed itself (a window a script opened may).
    await eventually(() => handing.isClosed(), { message: "the new window closed after the hand-off" });
    await phone.keyboard.press("Escape");
    await phone.getByRole("alertdialog").waitFor({ state: "detached" });
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(calls(), 1, "no INVITE after Esc");
    assert.equal(invitesTo("1003"), 0, "Kamailio received no INVITE to 1003");
  } finally {
    await context.close();
  }
});

test("?provision= with a data: URL or another origin's URL is refused with a notice; a same-origin file that replaces lines asks first", async () => {
  const alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }) });
  try {
    const carol = encodeURIComponent(JSON.stringify(accountFor(USERS.carol, { server: s.wss })));
    const cases = [
      [`data:application/json,${carol}`, /refused: only https: addresses are fetched, never data:/],
      [`${other.url}/evil.json`, /refused: http:\/\/127\.0\.0\.1:\d+ is not https:/],
      [`${other.url.replace("http:", "https:")}/evil.json`, /refused: https:\/\/127\.0\.0\.1:\d+ is neither the phone's own site/],
    ];
    for (const [source, why] of /** @type {[string, RegExp][]} */ (cases)) {
      await alice.goto(`${s.appUrl}/?provision=${encodeURIComponent(source)}`);
      await eventually(async () => why.test(await shownText(alice)), { message: `refusal of ${source.slice(0, 40)} shown` });
      assert.match(await shownText(alice), /Your lines are unchanged\./);
      await waitForLineState(alice, "registered");
      assert.deepEqual(await el(alice, (e) => e.lines.map((l) => l.aor)), ["sip:1001@127.0.0.1"]);
    }
    assert.deepEqual(
      other.hits.filter((h) => h.includes("evil")),
      [],
      "the other site was never asked for its file",
    );

    // Its own origin, but it would replace alice's line: the user sees what changes, and says no.
    writeFileSync(join(s.provisionDir, "carol.json"), JSON.stringify(accountFor(USERS.carol, { server: s.wss })));
    await alice.goto(`${s.appUrl}/?provision=/provision/carol.json`);
    const dialog = alice.getByRole("alertdialog", { name: /Change your lines as \/provision\/carol\.json says\?/ });
    await dialog.waitFor();
    const shown = (await dialog.innerText()).replace(/\s+/g, " ");
    assert.match(shown, /sipUri sip:1001@127\.0\.0\.1 → sip:1003@127\.0\.0\.1/);
    assert.match(shown, /password changes/);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await eventually(async () => /was not applied: your lines are unchanged/.test(await shownText(alice)), { message: "declined" });

    // Stored accounts unchanged: after a reload alice's line registers, carol never did.
    await alice.goto(s.appUrl + "/");
    await waitForLineState(alice, "registered");
    assert.deepEqual(await el(alice, (e) => e.lines.map((l) => l.aor)), ["sip:1001@127.0.0.1"]);
    assert.ok(!s.kamailio.locations().aors.includes("1003"), "carol's line was never registered");
  } finally {
    await alice.context().close();
  }
});

test("a light-DOM child of <sip-phone> gets no answer to a context request, and no element in the shadow tree holds a password", async () => {
  const alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }) });
  try {
    // The keys pass by: a capture listener on window sees every request the views make.
    await alice.evaluate(() => {
      /** @type {Window & { seenContexts?: Set<unknown> }} */ (window).seenContexts = new Set();
      window.addEventListener("context-request", (e) => /** @type {any} */ (window).seenContexts.add(/** @type {any} */ (e).context), true);
    });
    for (const tab of ["Lines", "History", "Contacts"]) await alice.getByRole("tab", { name: tab }).click();
    await el(alice, (e) => e.showView("phone"));
    await alice.getByRole("tab", { name: "Lines" }).click();
    await alice.getByRole("table", { name: "Lines" }).waitFor();
    const result = await alice.evaluate((password) => {
      const phone = /** @type {HTMLElement} */ (document.querySelector("sip-phone"));
      const contexts = [.../** @type {any} */ (window).seenContexts];
      /** @type {unknown[]} */
      const answers = [];
      const child = phone.appendChild(document.createElement("span"));
      for (const context of contexts) {
        for (const subscribe of [false, true]) {
          const event = new Event("context-request", { bubbles: true, composed: true });
          Object.assign(event, { context, contextTarget: child, subscribe, callback: (/** @type {unknown} */ v) => answers.push(v) });
          child.dispatchEvent(event);
        }
      }
      child.remove();

      // Every property of every element in the (open) shadow trees, controllers (Sets) included.
      /** @type {string[]} */
      const found = [];
      const seen = new Set();
      /** @type {(v: unknown, path: string, depth: number) => void} */
      const walk = (v, path, depth) => {
        if (v === null || v === undefined || depth > 7) return;
        if (typeof v === "string") {
          if (v.includes(password)) found.push(path);
          return;
        }
        if (typeof v !== "object" && typeof v !== "function") return;
        if (seen.has(v) || v === window || v === document) return;
        seen.add(v);
        if (v instanceof Element && v.shadowRoot) for (const c of v.shadowRoot.querySelectorAll("*")) walk(c, `${path} ${c.localName}`, 0);
        if (v instanceof Set || v instanceof Map) [...v.values()].forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1));
        const names = new Set(Object.getOwnPropertyNames(v));
        if (v instanceof Element) {
          for (let p = Object.getPrototypeOf(v); p && p !== HTMLElement.prototype; p = Object.getPrototypeOf(p)) {
            for (const k of Object.getOwnPropertyNames(p)) names.add(k);
          }
        }
        for (const k of names) {
          if (k === "constructor" || k === "prototype" || (v instanceof Node && k in Node.prototype)) continue;
          let x;
          try {
            x = /** @type {Record<string, unknown>} */ (v)[k];
          } catch {
            continue;
          }
          walk(x, `${path}.${k}`, depth + 1);
        }
      };
      walk(phone, "sip-phone", 0);
      return { contexts: contexts.length, answers: answers.length, found, walked: seen.size };
    }, USERS.alice.password);
    assert.ok(result.contexts >= 2, `the page saw the context keys (${result.contexts})`);
    assert.equal(result.answers, 0, "no answer to a light-DOM request");
    assert.deepEqual(result.found, []);
    assert.ok(result.walked > 100, `the walk went through the views (${result.walked} objects)`);
    // The views still work from inside: the lines editor lists alice's line.
    assert.match(await shownText(alice), /sip:1001@127\.0\.0\.1/);
  } finally {
    await alice.context().close();
  }
});
