// Debian's Chromium driven by playwright-core, with fake media devices. Never a downloaded browser.
import { chromium } from "playwright-core";
import { existsSync } from "node:fs";

/** @typedef {import("playwright-core").Browser} Browser */
/** @typedef {import("playwright-core").Page} Page */
/** @typedef {import("./sip-phone-api.mjs").CallSnapshot} CallSnapshot */
/** @typedef {import("./sip-phone-api.mjs").CallStats} CallStats */
/** @typedef {import("./sip-phone-api.mjs").LineState} LineState */
/** @typedef {import("./sip-phone-api.mjs").PhoneConfig} PhoneConfig */
/** @typedef {import("./sip-phone-api.mjs").SipPhone} SipPhone */
/** @typedef {import("../bed/bed.mjs").BedUser} BedUser */
/**
 * A phone page: what its console said and what it received on its WebSockets.
 * @typedef {Page & { phoneName?: string, consoleLines: string[], sipReceived: string[] }} PhonePage
 */
/**
 * A truthy result of `eventually()`.
 * @template T
 * @typedef {Exclude<T, false | 0 | "" | null | undefined>} Truthy
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // Media: fake microphone (a beeping tone), no permission prompt, autoplay of remote audio.
  "--use-fake-ui-for-media-stream",
  "--use-fake-device-for-media-stream",
  "--autoplay-policy=no-user-gesture-required",
  // ICE on loopback: Chromium leaves lo out of ICE unless told, and hides host IPs behind mDNS.
  "--allow-loopback-in-peer-connection",
  "--disable-features=WebRtcHideLocalIpsWithMdns",
  // The bed's WSS certificate is self-signed, made at test time.
  "--ignore-certificate-errors",
];

/**
 * @param {{ without?: string[], popupBlocker?: boolean }} [options] `without`: flags of CHROMIUM_ARGS
 *   to leave out; `popupBlocker`: keep Chromium's pop-up blocker, which Playwright turns off by default
 * @returns {Promise<Browser>}
 */
export async function launchBrowser({ without = [], popupBlocker = false } = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium package`);
  const args = CHROMIUM_ARGS.filter((a) => !without.includes(a));
  const ignoreDefaultArgs = popupBlocker ? ["--disable-popup-blocking"] : [];
  return chromium.launch({ executablePath: CHROMIUM, args, headless: true, ignoreDefaultArgs });
}

/**
 * The window the phone pages of the e2e suite get: a softphone window beside other work, one
 * column (the two panes of a desktop window, from 880 px of the element's width, are tested at
 * 1280 px in e2e/layout.test.mjs, e2e/a11y.test.mjs and the screenshots).
 */
export const PHONE_VIEWPORT = { width: 480, height: 900 };

/**
 * A phone page in its own browser context (its own IndexedDB), configured through the public
 * element API exactly as a host page would.
 * @param {Browser} browser
 * @param {string} appUrl
 * `init` runs in the page before any of the phone's code, in every document the context loads
 * (an observer of peer connections must be there before the line registers: the phone prepares
 * a standby connection then, see src/sip/api/standby-legs.ts).
 * @param {{ name?: string, config?: PhoneConfig, waitFor?: LineState | null, path?: string, init?: () => void }} [options]
 * @returns {Promise<PhonePage>}
 */
export async function openPhone(browser, appUrl, { name, config, waitFor = "registered", path = "/", init } = {}) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: PHONE_VIEWPORT });
  if (init) await context.addInitScript(init);
  /** @type {PhonePage} */
  const page = Object.assign(await context.newPage(), { phoneName: name, consoleLines: [], sipReceived: [] });
  page.on("console", (m) => page.consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => page.consoleLines.push(`pageerror: ${e.message}`));
  // What the phone received on its WebSockets: the wire as the peer saw it.
  page.on("websocket", (ws) => ws.on("framereceived", (f) => page.sipReceived.push(String(f.payload))));
  await page.goto(appUrl + path);
  await page.waitForFunction(() => customElements.get("sip-phone") !== undefined);
  if (config) await el(page, (e, c) => e.configure(c), config);
  if (waitFor) await waitForLineState(page, waitFor);
  return page;
}

/**
 * @param {Page} page
 * @param {LineState} state
 * @param {{ timeout?: number, lineIndex?: number }} [options]
 */
export async function waitForLineState(page, state, { timeout = 15_000, lineIndex = 0 } = {}) {
  // Not through waitForPhone(): this one also serves pages under a CSP without 'unsafe-eval'.
  await page.waitForFunction(
    ([s, i]) => /** @type {SipPhone | null} */ (document.querySelector("sip-phone"))?.lines?.[i]?.state === s,
    /** @type {const} */ ([state, lineIndex]),
    { timeout },
  );
}

/**
 * Waits until a call on the page matches `predicate(call, arg)` (run in the page, so it can use
 * only its arguments), returns its snapshot.
 * @template A
 * @param {Page} page
 * @param {(c: CallSnapshot, arg: A) => unknown} predicate
 * @param {{ timeout?: number, arg?: A }} [options]
 * @returns {Promise<CallSnapshot>}
 */
export async function waitForCall(page, predicate, { timeout = 15_000, arg } = {}) {
  const handle = await page.waitForFunction(
    ([src, a]) => {
      const phone = /** @type {SipPhone | null} */ (document.querySelector("sip-phone"));
      if (!phone || !customElements.get("sip-phone")) return false;
      const fn = new Function("c", "arg", `return (${src})(c, arg)`);
      return phone.calls.find((c) => fn(c, a)) ?? false;
    },
    [predicate.toString(), arg ?? null],
    { timeout },
  );
  return /** @type {CallSnapshot} */ (await handle.jsonValue());
}

/**
 * Sets the phone's log level in Settings → General, as a user would, and goes back to the dialpad.
 * @param {Page} page
 * @param {"debug" | "info" | "warn" | "error" | "off"} level
 */
export async function setLogLevel(page, level) {
  await el(page, (e) => e.showView("settings"));
  await page.getByLabel("Log level").selectOption(level);
  await el(page, (e) => e.showView("phone"));
}

/**
 * Hangs up whatever is left on the pages and waits until they have no calls.
 * @param {...Page} pages
 */
export async function hangupAll(...pages) {
  for (const page of pages) {
    await el(page, async (e) => {
      for (const c of e.calls) await e.hangup(c.id).catch(() => undefined);
    });
  }
  for (const page of pages) await waitForPhone(page, (e) => e.calls.length === 0, null, { timeout: 10_000 });
}

/**
 * The call's media figures; fails when the page has no such call.
 * @param {Page} page
 * @param {string} callId
 * @returns {Promise<CallStats>}
 */
export async function stats(page, callId) {
  // Not through el(): this one also serves pages under a CSP without 'unsafe-eval'.
  const figures = await page.evaluate((id) => /** @type {SipPhone} */ (document.querySelector("sip-phone")).callStats(id), callId);
  if (!figures) throw new Error(`no stats for call ${callId} on ${page.url()}`);
  return figures;
}

/**
 * A configuration with one account for a bed user.
 * @param {BedUser} user
 * @param {{ server: string, dtmf?: "rfc4733" | "info", id?: string, password?: string }} options
 * @returns {PhoneConfig}
 */
export function accountFor(user, { server, dtmf, id = "line1", password }) {
  return {
    version: 1,
    accounts: [
      {
        id,
        sipUri: `sip:${user.user}@127.0.0.1`,
        password: password ?? user.password,
        displayName: user.name,
        servers: [server],
        ...(dtmf ? { dtmf } : {}),
      },
    ],
  };
}

/**
 * Text shown in the element's shadow DOM (all of it, flattened).
 * @param {Page} page
 * @returns {Promise<string>}
 */
export function shownText(page) {
  return el(page, (e) => {
    /** @type {(node: Node) => string} */
    const walk = (node) => {
      let out = "";
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) out += child.textContent;
        else if (child instanceof Element) {
          if (child.shadowRoot) out += walk(child.shadowRoot);
          out += walk(child) + " ";
        }
      }
      return out;
    };
    return e.shadowRoot ? walk(e.shadowRoot).replace(/\s+/g, " ") : "";
  });
}

/**
 * A link asks before it dials (docs/security.md): presses the question's Call button in `page`
 * once it is armed and focused (Enter, as a user does); returns what the question showed.
 * @param {Page} page
 */
export async function confirmLink(page) {
  const dialog = page.getByRole("alertdialog", { name: "Call this number?" });
  await dialog.waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => {
    const ask = document.querySelector("sip-phone")?.shadowRoot?.querySelector("sip-confirm-request");
    return ask?.shadowRoot?.activeElement?.textContent?.trim() === "Call";
  });
  const shown = (await dialog.innerText()).replace(/\s+/g, " ");
  await page.keyboard.press("Enter");
  return shown;
}

/**
 * Polls `fn` until it returns truthy; returns the value. Bounded by `timeout`, a slow attempt
 * included.
 * @template T
 * @param {() => T | Promise<T>} fn
 * @param {{ timeout?: number, interval?: number, message?: string }} [options]
 * @returns {Promise<Truthy<Awaited<T>>>}
 */
export async function eventually(fn, { timeout = 10_000, interval = 100, message = "condition" } = {}) {
  const end = Date.now() + timeout;
  /** @type {unknown} */
  let last;
  for (;;) {
    try {
      last = await withDeadline(fn(), end, message);
      if (last) return /** @type {Truthy<Awaited<T>>} */ (last);
    } catch (e) {
      last = e;
    }
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${message} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * `value`, or a rejection once `end` (epoch ms) has passed.
 * @template T
 * @param {T | Promise<T>} value
 * @param {number} end
 * @param {string} what
 * @returns {Promise<T>}
 */
function withDeadline(value, end, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`one try at ${what} took past the deadline`)), Math.max(0, end - Date.now()) + 1000);
  });
  return /** @type {Promise<T>} */ (Promise.race([value, late])).finally(() => clearTimeout(timer));
}

/**
 * Runs `fn(element, arg)` in the page against its <sip-phone>: the element API as a host page
 * uses it. `fn` runs in the page, so it may use only its arguments. Once the element is defined:
 * the app page defines it after its lines have registered (src/main.ts), so after a reload it
 * may not be yet.
 * @template A, R
 * @param {Page} page
 * @param {(el: SipPhone, arg: A) => R} fn
 * @param {A} [arg]
 * @returns {Promise<Awaited<R>>}
 */
export function el(page, fn, arg) {
  return page.evaluate(
    ([f, a]) =>
      Promise.race([
        customElements.whenDefined("sip-phone"),
        new Promise((_, reject) => setTimeout(() => reject(new Error("<sip-phone> is still not defined after 10 s")), 10_000)),
      ]).then(() => new Function("el", "arg", `return (${f})(el, arg)`)(document.querySelector("sip-phone"), a)),
    [fn.toString(), arg],
  );
}

/**
 * Waits until `fn(element, arg)`, run in the page as with el(), returns truthy. Until the
 * element is defined (a page still loading) it counts as not yet.
 * @template A
 * @param {Page} page
 * @param {(el: SipPhone, arg: A) => unknown} fn
 * @param {A} [arg]
 * @param {{ timeout?: number }} [options]
 * @returns {Promise<void>}
 */
export async function waitForPhone(page, fn, arg, { timeout = 30_000 } = {}) {
  await page.waitForFunction(
    ([f, a]) => {
      const phone = document.querySelector("sip-phone");
      return !!phone && !!customElements.get("sip-phone") && new Function("el", "arg", `return (${f})(el, arg)`)(phone, a);
    },
    [fn.toString(), arg],
    { timeout },
  );
}

/**
 * The next call on the page that ends (its `call-state` event with state "ended").
 * @param {Page} page
 * @param {{ timeout?: number }} [options]
 * @returns {Promise<CallSnapshot>}
 */
export function nextEnded(page, { timeout = 30_000 } = {}) {
  return page.evaluate(
    (ms) =>
      new Promise((resolve, reject) => {
        const phone = /** @type {SipPhone} */ (document.querySelector("sip-phone"));
        const timer = setTimeout(() => reject(new Error(`no call ended within ${ms} ms`)), ms);
        phone.addEventListener("call-state", (e) => {
          const call = /** @type {CustomEvent<CallSnapshot>} */ (e).detail;
          if (call.state !== "ended") return;
          clearTimeout(timer);
          resolve(call);
        });
      }),
    timeout,
  );
}

/**
 * A history record as the phone stores it (src/storage/history-store.ts).
 * @typedef {{ id: string, direction: "in" | "out", remote: string, result: string, startedAt: number,
 *   answeredAt?: number, endedAt: number, open?: boolean }} StoredCall
 */

/**
 * Every record of an IndexedDB store the page's origin holds (the app's real storage).
 * @param {Page} page
 * @param {string} db
 * @param {string} storeName
 * @returns {Promise<any[]>}
 */
function storedRecords(page, db, storeName) {
  return page.evaluate(
    ([name, storeName]) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction(storeName).objectStore(storeName).getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => resolve(all.result);
        };
      }),
    [db, storeName],
  );
}

/**
 * The stored history of the page's profile, read from IndexedDB as the phone wrote it.
 * @param {Page} page
 * @returns {Promise<StoredCall[]>}
 */
export function storedHistory(page) {
  return storedRecords(page, "webphone-history", "calls");
}

/**
 * The messages the page's storage holds (storage/message-store.ts records).
 * @param {Page} page
 * @returns {Promise<{ id: string, status: string, text: string, remote: string, at: number }[]>}
 */
export function storedMessages(page) {
  return storedRecords(page, "webphone-messages", "messages");
}
