// Debian's Chromium driven by playwright-core, with fake media devices. Never a downloaded browser.
import { chromium } from "playwright-core";
import { existsSync } from "node:fs";

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

export async function launchBrowser({ without = [] } = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium package`);
  const args = CHROMIUM_ARGS.filter((a) => !without.includes(a));
  return chromium.launch({ executablePath: CHROMIUM, args, headless: true });
}

/**
 * A phone page in its own browser context (its own IndexedDB), configured through the public
 * element API exactly as a host page would.
 */
export async function openPhone(browser, appUrl, { name, config, waitFor = "registered", path = "/" } = {}) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  page.phoneName = name;
  page.consoleLines = [];
  page.on("console", (m) => page.consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => page.consoleLines.push(`pageerror: ${e.message}`));
  // What the phone received on its WebSockets: the wire as the peer saw it.
  page.sipReceived = [];
  page.on("websocket", (ws) => ws.on("framereceived", (f) => page.sipReceived.push(String(f.payload))));
  await page.goto(appUrl + path);
  await page.waitForFunction(() => customElements.get("sip-phone") !== undefined);
  if (config) {
    await page.evaluate((c) => document.querySelector("sip-phone").configure(c), config);
  }
  if (waitFor) await waitForLineState(page, waitFor);
  return page;
}

export async function waitForLineState(page, state, { timeout = 15_000, lineIndex = 0 } = {}) {
  await page.waitForFunction(([s, i]) => document.querySelector("sip-phone")?.lines[i]?.state === s, [state, lineIndex], { timeout });
}

/**
 * Waits until a call on the page matches `predicate(call, arg)` (run in the page, so it can use
 * only its arguments), returns its snapshot.
 */
export async function waitForCall(page, predicate, { timeout = 15_000, arg = null } = {}) {
  const handle = await page.waitForFunction(
    ([src, a]) => {
      const fn = new Function("c", "arg", `return (${src})(c, arg)`);
      return document.querySelector("sip-phone").calls.find((c) => fn(c, a)) ?? false;
    },
    [predicate.toString(), arg],
    { timeout },
  );
  return handle.jsonValue();
}

/** Hangs up whatever is left on the pages and waits until they have no calls. */
export async function hangupAll(...pages) {
  for (const page of pages) {
    await page.evaluate(async () => {
      const el = document.querySelector("sip-phone");
      for (const c of el.calls) await el.hangup(c.id).catch(() => undefined);
    });
  }
  for (const page of pages) {
    await page.waitForFunction(() => document.querySelector("sip-phone").calls.length === 0, null, { timeout: 10_000 });
  }
}

export function stats(page, callId) {
  return page.evaluate((id) => document.querySelector("sip-phone").callStats(id), callId);
}

export function accountFor(user, { server, dtmf, id = "line1", password } = {}) {
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

/** Text shown in the element's shadow DOM (all of it, flattened). */
export function shownText(page) {
  return page.evaluate(() => {
    const walk = (node) => {
      let out = "";
      for (const child of node.childNodes) {
        if (child.nodeType === 3) out += child.textContent;
        else if (child.nodeType === 1) {
          if (child.shadowRoot) out += walk(child.shadowRoot);
          out += walk(child) + " ";
        }
      }
      return out;
    };
    return walk(document.querySelector("sip-phone").shadowRoot).replace(/\s+/g, " ");
  });
}

/** Polls `fn` until it returns truthy; returns the value. Bounded by `timeout`. */
export async function eventually(fn, { timeout = 10_000, interval = 100, message = "condition" } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${message} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * Runs `fn(element, arg)` in the page against its <sip-phone>: the element API as a host page
 * uses it. `fn` runs in the page, so it may use only its arguments.
 */
export function el(page, fn, arg) {
  return page.evaluate(
    ([f, a]) => new Function("el", "arg", `return (${f})(el, arg)`)(document.querySelector("sip-phone"), a),
    [fn.toString(), arg],
  );
}
