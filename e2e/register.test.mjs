// Registration against Kamailio over WSS: success, wrong password, unreachable server, restart.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { USERS } from "./bed/bed.mjs";
import { accountFor, el, eventually, openPhone, shownText, waitForLineState } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @type {import("./lib/session.mjs").Session} */
let s;
before(async () => {
  s = await startSession();
});
after(async () => {
  await stopSession(s);
});

test("alice and bob register over WSS and Kamailio's location table shows both", async () => {
  const alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }) });
  const bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
  const loc = await eventually(
    () => {
      const l = s.kamailio.locations();
      return l.aors.includes("1001") && l.aors.includes("1002") && l;
    },
    { message: "1001 and 1002 in ul.dump" },
  );
  for (const aor of ["1001", "1002"]) {
    assert.equal(loc.contacts[aor].length, 1, `one contact for ${aor}`);
    // Registered over the TLS WebSocket listener, with the flow recorded as an alias (proto 6 = WSS).
    assert.match(loc.contacts[aor][0].socket, /^tls:127\.0\.0\.1:\d+$/);
    assert.match(loc.contacts[aor][0].address, /transport=ws/i);
    assert.match(loc.contacts[aor][0].address, /alias=127\.0\.0\.1~\d+~6/);
  }
  assert.match(await shownText(alice), /Registered/);
  // The registration survives a reload: the configuration was saved (encrypted) in IndexedDB.
  await bob.reload();
  await waitForLineState(bob, "registered");
  const stored = await bob.evaluate(async () => {
    /** @type {IDBDatabase} */
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open("webphone-config");
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const rec = await new Promise((res) => {
      const req = db.transaction("config").objectStore("config").get("phone-config");
      req.onsuccess = () => res(req.result);
    });
    return JSON.stringify(rec, (_, v) => (v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? "<bytes>" : v));
  });
  assert.ok(!stored.includes(USERS.bob.password), "password is not stored in plain text");
  assert.match(stored, /"sealed":1/);
  await alice.context().close();
  await bob.context().close();
});

test("a wrong password is shown as authentication failed and does not storm the registrar", async () => {
  const before = s.kamailio.registerCount(USERS.carol.user);
  const carol = await openPhone(s.browser, s.appUrl, {
    name: "carol",
    config: accountFor(USERS.carol, { server: s.wss, password: "wrong-password" }),
    waitFor: "failed",
  });
  const line = await el(carol, (e) => e.lines[0]);
  assert.equal(line.error?.kind, "auth");
  assert.match(line.error?.message ?? "", /Authentication failed \((401|403)\): check user and password/);
  assert.match(await shownText(carol), /Authentication failed/);
  // The storm check is a rate: 30 s of watching (the phone's own retry comes after 60 s). No
  // event marks the end of a quiet period, so this is the measurement window, not a wait.
  await new Promise((r) => setTimeout(r, 30_000));
  const seen = s.kamailio.registerCount(USERS.carol.user) - before;
  assert.ok(seen >= 1 && seen <= 2, `Kamailio saw ${seen} REGISTERs from carol in 30 s (at most 2 allowed)`);
  assert.equal(await el(carol, (e) => e.lines[0].state), "failed");
  await carol.context().close();
});

test("an unreachable server is explained, and the line registers by itself once it starts", async () => {
  await s.kamailio.stop();
  const carol = await openPhone(s.browser, s.appUrl, {
    name: "carol",
    config: accountFor(USERS.carol, { server: s.wss }),
    waitFor: "failed",
  });
  const line = await el(carol, (e) => e.lines[0]);
  assert.equal(line.error?.kind, "transport");
  assert.match(line.error?.message ?? "", /^Cannot reach wss:\/\/127\.0\.0\.1:\d+: .*retrying in \d+ s$/);
  assert.match(await shownText(carol), /Cannot reach wss:\/\/127\.0\.0\.1/);
  await s.kamailio.start();
  await waitForLineState(carol, "registered", { timeout: 20_000 });
  await eventually(() => s.kamailio.locations().aors.includes("1003"), { message: "1003 registered" });
  await carol.context().close();
});

test("Kamailio restarted while lines are registered: they register again by themselves", async () => {
  const alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }) });
  await s.kamailio.stop();
  await waitForLineState(alice, "failed");
  await s.kamailio.start();
  // usrloc is in memory: an entry after the restart can only come from a new REGISTER.
  assert.ok(!s.kamailio.locations().aors.includes("1001"));
  await waitForLineState(alice, "registered", { timeout: 20_000 });
  await eventually(() => s.kamailio.locations().aors.includes("1001"), { message: "1001 registered again" });
  await alice.context().close();
});

/**
 * An init script: notes when the first REGISTER left and when <sip-phone> was defined (in
 * `__order`), and what the page showed before the element existed (`__card`).
 */
function recordStartOrder() {
  const w = /** @type {Window & { __order?: string[], __card?: string }} */ (window);
  const order = (w.__order = /** @type {string[]} */ ([]));
  const WS = window.WebSocket;
  const send = WS.prototype.send;
  WS.prototype.send = function (/** @type {string} */ data) {
    if (typeof data === "string" && data.startsWith("REGISTER ") && !order.includes("REGISTER sent")) order.push("REGISTER sent");
    return send.call(this, data);
  };
  document.addEventListener("DOMContentLoaded", () => {
    w.__card = document.querySelector("sip-phone")?.textContent?.replace(/\s+/g, " ").trim();
  });
  void customElements.whenDefined("sip-phone").then(() => order.push("sip-phone defined"));
}

/**
 * What recordStartOrder noted.
 * @param {import("./lib/browser.mjs").Page} page
 */
function startOrder(page) {
  return page.evaluate(() => {
    const w = /** @type {Window & { __order?: string[], __card?: string }} */ (window);
    return { order: w.__order ?? [], card: w.__card ?? "" };
  });
}

test("a provisioning link configures the phone (plain WS here), registering before its views are built; a broken file changes nothing", async () => {
  writeFileSync(join(s.provisionDir, "carol.json"), JSON.stringify(accountFor(USERS.carol, { server: s.ws })));
  writeFileSync(
    join(s.provisionDir, "broken.json"),
    JSON.stringify({ version: 1, accounts: [{ id: "x", sipUri: "carol", password: "p", servers: ["http://pbx"] }] }),
  );
  const carol = await openPhone(s.browser, s.appUrl, { name: "carol", path: "/?provision=/provision/carol.json", init: recordStartOrder });
  // A first start applies the file before the views exist (src/app/early-provision.ts).
  assert.deepEqual((await startOrder(carol)).order, ["REGISTER sent", "sip-phone defined"], "the REGISTER leaves before the views exist");
  // Removed once the configuration is saved, which may end after the line registered (configure()
  // registers while it writes).
  await eventually(() => new URL(carol.url()).search === "", { message: "the provisioning parameter is removed after use" });
  const loc = await eventually(() => s.kamailio.locations().contacts["1003"]?.find((c) => /^tcp:/.test(c.socket)), {
    message: "1003 over ws",
  });
  assert.match(loc.address, /alias=127\.0\.0\.1~\d+~5/, "registered over the plain WebSocket listener (proto 5 = WS)");
  await carol.goto(s.appUrl + "/?provision=/provision/broken.json");
  await eventually(
    async () =>
      /Provisioning from \/provision\/broken\.json failed: invalid configuration: accounts\[0\]\.sipUri: must be a SIP address/.test(
        await shownText(carol),
      ),
    { message: "provisioning error shown" },
  );
  const text = await shownText(carol);
  assert.match(text, /accounts\[0\]\.servers\[0\]: "http:\/\/pbx" must start with wss:\/\//);
  await waitForLineState(carol, "registered");
  assert.equal(await el(carol, (e) => e.lines[0].aor), "sip:1003@127.0.0.1", "the saved account is untouched");
  await carol.context().close();
});

test("a user adds an account in the form: field errors first, then it registers", async () => {
  const page = await openPhone(s.browser, s.appUrl, { name: "form", waitFor: null });
  const form = page.getByRole("form", { name: "Account" });
  await form.getByLabel("SIP address").fill("carol");
  await form.getByLabel("Password").fill(USERS.carol.password);
  await form.getByLabel("WebSocket server").fill("https://127.0.0.1");
  await form.getByRole("button", { name: "Save" }).click();
  await eventually(async () => /must be a SIP address such as sip:alice@pbx\.example\.com/.test(await shownText(page)), {
    message: "sipUri error",
  });
  assert.match(await shownText(page), /"https:\/\/127\.0\.0\.1" must start with wss:\/\//);
  assert.equal(await el(page, (e) => e.lines.length), 0, "nothing applied");
  await form.getByLabel("SIP address").fill("sip:1003@127.0.0.1");
  await form.getByLabel("WebSocket server").fill(s.wss);
  await form.getByRole("button", { name: "Save" }).click();
  await waitForLineState(page, "registered");
  assert.match(await shownText(page), /1003@127\.0\.0\.1 Registered/);
  await page.context().close();
});

test("a returning user's phone registers before its views are built: the page shows the phone's card, the REGISTER goes out, then <sip-phone> is defined", async () => {
  const page = await openPhone(s.browser, s.appUrl, { name: "returning", config: accountFor(USERS.carol, { server: s.wss }) });
  try {
    // From the next load on: when the WebSocket was made, when the first REGISTER left, when the
    // element was defined, and what the page showed before it was.
    await page.context().addInitScript(recordStartOrder);
    // Not while the service worker installs (it fetches every chunk): a returning user's start.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await waitForLineState(page, "registered");
    const { order, card } = await startOrder(page);
    assert.match(card, /^Starting the phone…/, "index.html's card is what the page has before the views");
    assert.deepEqual(order, ["REGISTER sent", "sip-phone defined"], "the REGISTER leaves before the views exist");
    assert.ok(s.kamailio.locations().aors.includes("1003"), "carol is registered at Kamailio");
  } finally {
    await page.context().close();
  }
});

test("the views' code cannot be fetched (a deployment mid-update): the card says the phone could not be loaded", async () => {
  // Service workers blocked: the request goes to the network, where this test refuses it.
  const context = await s.browser.newContext({ ignoreHTTPSErrors: true, serviceWorkers: "block" });
  try {
    const page = await context.newPage();
    await page.route(/\/assets\/app-page-[^/]*\.js$/, (route) => route.abort());
    await page.goto(s.appUrl);
    const failed = page.locator("sip-phone > .shell-failed");
    await failed.waitFor({ state: "visible" });
    assert.match(await failed.innerText(), /The phone could not be loaded\. Check the connection, then reload the page\./);
    assert.equal(await page.locator("sip-phone > .shell-status").isVisible(), false, "no longer says it is starting");
  } finally {
    await context.close();
  }
});
