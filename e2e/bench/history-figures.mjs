// The bench's 40-line start and its 100 000-entry call history: configure -> all registered,
// then the History view opened, searched and scrolled, with and without lines registering.
import { LINE_USERS } from "../bed/bed.mjs";
import { eventually } from "../lib/browser.mjs";

/** @typedef {import("../lib/sip-phone-api.mjs").SipPhone} SipPhone */
/** @typedef {import("../lib/sip-phone-api.mjs").PhoneConfig} PhoneConfig */

/**
 * 40 lines: configure() with 40 accounts -> all registered (Kamailio answers each REGISTER).
 * @param {{ s: import("../lib/session.mjs").Session, report: (name: string, value: number[] | string, unit?: string) => void }} b
 */
export async function measureLinesAndHistory({ s, report }) {
  const c = await s.browser.newContext({ ignoreHTTPSErrors: true });
  const p = await c.newPage();
  await p.goto(s.appUrl);
  await p.waitForFunction(() => customElements.get("sip-phone") !== undefined);
  /** @type {PhoneConfig} */
  const forty = {
    version: 1,
    accounts: LINE_USERS.map((u, i) => ({ id: `l${i}`, sipUri: `sip:${u.user}@127.0.0.1`, password: u.password, servers: [s.wss] })),
  };
  /** @type {number[]} */
  const took = [];
  for (let i = 0; i < 3; i++) {
    await p.evaluate(() => /** @type {SipPhone} */ (document.querySelector("sip-phone")).configure({ version: 1, accounts: [] }));
    // The previous round's 40 lines are gone from the registrar (un-REGISTERed) before timing.
    await eventually(
      () => {
        const aors = s.kamailio.locations().aors;
        return LINE_USERS.every((u) => !aors.includes(u.user));
      },
      { message: "the 40 lines unregistered" },
    );
    took.push(
      await p.evaluate(async (cfg) => {
        const el = /** @type {SipPhone} */ (document.querySelector("sip-phone"));
        const t0 = performance.now();
        await el.configure(cfg);
        // A poll for the condition itself, 5 ms apart; bounded.
        while (!(el.lines.length === 40 && el.lines.every((l) => l.state === "registered"))) {
          if (performance.now() - t0 > 60_000) throw new Error("40 lines not registered in 60 s");
          await new Promise((r) => setTimeout(r, 5));
        }
        return performance.now() - t0;
      }, forty),
    );
  }
  report("40 lines: configure -> all registered", took);

  // 100 000 history entries, written in the store's own format, then the History view opened.
  await p.evaluate(async () => {
    /** @type {IDBDatabase} */
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open("webphone-history");
      r.onupgradeneeded = () => r.result.createObjectStore("calls");
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const t0 = Date.now() - 100_000 * 60_000;
    for (let chunk = 0; chunk < 10; chunk++) {
      await new Promise((res, rej) => {
        const tx = db.transaction("calls", "readwrite");
        const st = tx.objectStore("calls");
        for (let i = chunk * 10_000; i < (chunk + 1) * 10_000; i++) {
          const startedAt = t0 + i * 60_000;
          st.put(
            {
              id: `h${i}`,
              lineId: "l1",
              lineLabel: "Line 1",
              direction: i % 3 ? "out" : "in",
              remote: String(1000 + (i % 9000)),
              startedAt,
              endedAt: startedAt + 30_000,
              durationMs: i % 2 ? 30_000 : 0,
              result: i % 2 ? "answered" : "missed",
            },
            `${String(startedAt).padStart(15, "0")}-h${i}`,
          );
        }
        tx.oncomplete = res;
        tx.onerror = () => rej(tx.error);
      });
    }
    db.close();
    // The user keeps every call (the default keeps 10 000 and would prune the 100 000 at start).
    /** @type {IDBDatabase} */
    const sdb = await new Promise((res, rej) => {
      const r = indexedDB.open("webphone-settings");
      r.onupgradeneeded = () => r.result.createObjectStore("settings");
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    await new Promise((res, rej) => {
      const tx = sdb.transaction("settings", "readwrite");
      const st = tx.objectStore("settings");
      const get = st.get("settings");
      get.onsuccess = () => st.put({ ...(get.result ?? {}), historyRetention: { maxEntries: 0, maxAgeDays: 0 } }, "settings");
      tx.oncomplete = res;
      tx.onerror = () => rej(tx.error);
    });
    sdb.close();
  });
  // Twice: with the 40 lines of the previous figure registering while the view opens (a
  // cold start of a big installation), then with no line (the view alone).
  for (const [label, lines] of /** @type {[string, PhoneConfig][]} */ ([
    ["with 40 lines registering at start", forty],
    ["no line", { version: 1, accounts: [] }],
  ])) {
    await p.evaluate((cfg) => /** @type {SipPhone} */ (document.querySelector("sip-phone")).configure(cfg), lines);
    /** @type {number[]} */
    const opens = [];
    /** @type {number[]} */
    const full = [];
    /** @type {number[]} */
    const scrolls = [];
    for (let i = 0; i < 5; i++) {
      await p.reload();
      await p.waitForFunction(() => document.querySelector("sip-phone")?.shadowRoot?.querySelector('[role="tab"]'));
      const r = await p.evaluate(async () => {
        /** Bounds the polls below; they wait for conditions, frame by frame or 5 ms apart. */
        const deadline = performance.now() + 60_000;
        const check = (/** @type {string} */ what) => {
          if (performance.now() > deadline) throw new Error(`history: no ${what} in 60 s`);
        };
        const root = /** @type {ShadowRoot} */ (/** @type {SipPhone} */ (document.querySelector("sip-phone")).shadowRoot);
        const tab = /** @type {HTMLElement} */ (
          [...root.querySelectorAll('[role="tab"]')].find((b) => (b.textContent ?? "").includes("History"))
        );
        const t0 = performance.now();
        tab.click();
        /** @type {(Element & { updateComplete?: Promise<unknown> }) | null} */
        let view;
        while (!(view = root.querySelector("sip-history")) || !view.shadowRoot?.querySelector(".row")) {
          check("rows");
          await new Promise((res) => requestAnimationFrame(res));
        }
        const viewRoot = /** @type {ShadowRoot} */ (view.shadowRoot);
        const first = performance.now() - t0;
        const vp = /** @type {HTMLElement} */ (viewRoot.querySelector(".viewport"));
        while (vp.getAttribute("aria-busy") !== "false") {
          check("end of loading");
          await new Promise((res) => setTimeout(res, 5));
        }
        const all = performance.now() - t0;
        const t1 = performance.now();
        vp.scrollTop = vp.scrollHeight / 2;
        vp.dispatchEvent(new Event("scroll"));
        await view.updateComplete;
        await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
        const rows = viewRoot.querySelectorAll(".row").length;
        return { first, all, scroll: performance.now() - t1, rows };
      });
      opens.push(r.first);
      full.push(r.all);
      scrolls.push(r.scroll);
      if (i === 0 && lines.accounts.length === 0) report("history rows in the DOM with 100 000 entries", String(r.rows));
    }
    if (lines.accounts.length === 0) {
      // Search: each keystroke -> the matching rows painted (the input event to the frame after).
      const typed = await p.evaluate(async () => {
        const root = /** @type {ShadowRoot} */ (/** @type {SipPhone} */ (document.querySelector("sip-phone")).shadowRoot);
        const view = /** @type {HTMLElement & { updateComplete: Promise<unknown>, shadowRoot: ShadowRoot }} */ (
          root.querySelector("sip-history")
        );
        const input = /** @type {HTMLInputElement} */ (view.shadowRoot.querySelector('input[type="search"]'));
        /** @type {number[]} */
        const took = [];
        for (const text of ["4", "42", "421", "4213", "", "7", "77", "", "9", "90", "901"]) {
          const t0 = performance.now();
          input.value = text;
          input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
          await view.updateComplete;
          await new Promise((r) => requestAnimationFrame(() => r(undefined)));
          took.push(performance.now() - t0);
        }
        return took;
      });
      report("history (100 000 entries): a keystroke in the search -> matching rows painted", typed);
    }
    report(`history (100 000 entries, ${label}): open -> first rows on screen`, opens);
    report(`history (100 000 entries, ${label}): open -> all loaded (search/filter ready)`, full);
    report(`history (100 000 entries, ${label}): jump to the middle -> rows painted`, scrolls);
  }
  // The figures above are only worth something if nothing pruned the entries meanwhile.
  const kept = await p.evaluate(
    () =>
      new Promise((res, rej) => {
        const r = indexedDB.open("webphone-history");
        r.onsuccess = () => {
          const count = r.result.transaction("calls").objectStore("calls").count();
          count.onsuccess = () => res(count.result);
          count.onerror = () => rej(count.error);
        };
        r.onerror = () => rej(r.error);
      }),
  );
  report("history entries still stored after the runs", String(kept));
  await c.close();
}
