// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import "./history-list.js";
import type { SipHistory } from "./history-list.js";
import { english, loadViewWords } from "../i18n/languages.js";
import { CallState } from "../sip/api/call-state.js";
import { LineState } from "../sip/api/line-state.js";
import type { HistoryEntry } from "../storage/history-store.js";
import { button, captureDownloads, choose, control, typeInto } from "./test-support/dom.js";
import { FakeApp, historyEntry } from "./test-support/fake-app.js";
import { FakePhone, mountWith, text } from "./test-support/fake-phone.js";

afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const hour = 3_600_000;
const missed = historyEntry({
  id: "h3",
  direction: "in",
  remote: "1002",
  remoteName: "Bob Builder",
  result: "missed",
  sipCode: 487,
  startedAt: Date.now() - hour,
});
const answered = historyEntry({
  id: "h2",
  remote: "+4315056410",
  result: "answered",
  sipCode: 200,
  durationMs: 65_400,
  startedAt: Date.now() - 2 * hour,
});
const busy = historyEntry({
  id: "h1",
  lineId: "l2",
  lineLabel: "Support",
  remote: "1003",
  result: "failed",
  sipCode: 486,
  startedAt: Date.now() - 50 * hour,
});

async function mountHistory(history: HistoryEntry[], phone = new FakePhone()) {
  const app = new FakeApp();
  app.history = history;
  const el = await mountWith<SipHistory>("sip-history", { phone, app });
  await vi.waitFor(() => expect(el.shadowRoot!.querySelector('[role="list"]')!.getAttribute("aria-busy")).toBe("false"));
  await el.updateComplete;
  return { el, app, phone };
}

/** The rows on screen: who, then the line and result part of the meta line (the time depends on the locale). */
function rows(el: SipHistory): string[] {
  return [...el.shadowRoot!.querySelectorAll('.row[role="listitem"]')].map((r) => {
    const who = r.querySelector(".who")!.textContent!.replace(/\s+/g, " ").trim();
    const meta = r.querySelector(".meta")!.textContent!.replace(/\s+/g, " ").trim();
    return `${who} | ${meta.slice(meta.indexOf(" · ") + 3)}`;
  });
}

const status = (el: SipHistory) => el.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim();

async function filterBy(el: SipHistory, label: string, value: string) {
  const c = control<HTMLInputElement & HTMLSelectElement>(el, label);
  if (c.tagName === "SELECT") choose(c, value);
  else typeInto(c, value);
  await el.updateComplete;
}

function twoLines(): FakePhone {
  const phone = new FakePhone();
  phone.lines = [
    ...phone.lines,
    { id: "l2", label: "Support", aor: "sip:2000@pbx.test", state: LineState.Registered, server: "wss://pbx.test" },
  ];
  return phone;
}

// This test renders a view's components without the phone: their words (src/i18n/en-views.ts)
// are loaded as phone-views.ts loads them with the view.
beforeAll(() => loadViewWords());

describe("<sip-history>", () => {
  it("lists calls newest first: who, line, result with the SIP code when not answered, duration", async () => {
    const { el, app } = await mountHistory([missed, answered, busy]);
    expect(rows(el)).toEqual([
      "↙ Bob Builder (1002) | Alice · missed (487)",
      `↗ +4315056410 | Alice · answered · ${english.duration(65)}`,
      "↗ 1003 | Support · failed (486)",
    ]);
    expect(el.shadowRoot!.querySelector('[data-result="missed"]')).not.toBeNull();
    expect(status(el)).toBe("3 calls");
    expect(app.actions).toEqual([["markHistoryViewed"]]);
  });

  it("shows how a call sounded, when it was kept, and all its figures in the row's title; older entries without it still show", async () => {
    const quality = { mosAvg: 4.36, mosWorst: 3.92, lossWorstPercent: 1.25, jitterAvgMs: 2.04, rttAvgMs: 8.5, codec: "opus", samples: 9 };
    // An entry from an older version, or one whose summary was damaged: shown without it.
    const damaged = historyEntry({ id: "h0", remote: "1004", startedAt: Date.now() - 3 * hour, quality: { codec: "x" } as never });
    const { el } = await mountHistory([{ ...answered, quality }, busy, damaged]);
    expect(rows(el)).toEqual([
      `↗ +4315056410 | Alice · answered · ${english.duration(65)} · Quality: good (MOS 4.4)`,
      "↗ 1003 | Support · failed (486)",
      "↗ 1004 | Alice · answered",
    ]);
    const titles = [...el.shadowRoot!.querySelectorAll('[role="listitem"]')].map((r) => r.getAttribute("title"));
    expect(titles).toEqual([
      "Quality: good (MOS 4.4), worst MOS 3.9; packet loss up to 1.3 %; jitter 2.0 ms on average; round trip 8.5 ms on average; opus",
      null,
      null,
    ]);
  });

  it("with no calls says so", async () => {
    const { el } = await mountHistory([]);
    expect(text(el)).toContain("No calls yet.");
    expect(status(el)).toBe("0 calls");
  });

  it("filters by name or number, by direction and missed calls", async () => {
    const { el } = await mountHistory([missed, answered, busy]);
    await filterBy(el, "Search history", "BOB");
    expect(rows(el)).toEqual(["↙ Bob Builder (1002) | Alice · missed (487)"]);
    expect(status(el)).toBe("1 call");
    await filterBy(el, "Search history", "100");
    expect(rows(el).map((r) => r.split(" | ")[0])).toEqual(["↙ Bob Builder (1002)", "↗ 1003"]);
    await filterBy(el, "Direction", "out");
    expect(rows(el).map((r) => r.split(" | ")[0])).toEqual(["↗ 1003"]);
    await filterBy(el, "Search history", "");
    await filterBy(el, "Direction", "missed");
    expect(rows(el).map((r) => r.split(" | ")[0])).toEqual(["↙ Bob Builder (1002)"]);
    await filterBy(el, "Search history", "9999");
    expect(rows(el)).toEqual([]);
    expect(text(el)).toContain("No call matches.");
  });

  it("offers a line filter only when there are several lines", async () => {
    const one = await mountHistory([missed, busy]);
    expect(() => control(one.el, "Line")).toThrow();
    const { el } = await mountHistory([missed, busy], twoLines());
    const lines = control<HTMLSelectElement>(el, "Line");
    expect([...lines.options].map((o) => o.textContent)).toEqual(["All lines", "Alice", "Support"]);
    await filterBy(el, "Line", "l2");
    expect(rows(el)).toEqual(["↗ 1003 | Support · failed (486)"]);
  });

  it("calls back on the call's line, or the default line when that line is gone", async () => {
    const { el, phone } = await mountHistory([missed, busy]);
    button(el, "Call Bob Builder (1002) back").click();
    button(el, "Call 1003 back").click();
    expect(phone.actions).toEqual(["dial 1002", "dial 1003"]);
    expect(phone.dialOptions).toEqual([{ lineId: "l1" }, { lineId: undefined }]);
  });

  it("a call back the phone refuses shows why", async () => {
    const { el, phone } = await mountHistory([missed]);
    phone.dialError = new Error('"1002" cannot be called: no line is registered');
    button(el, "Call Bob Builder (1002) back").click();
    await vi.waitFor(() =>
      expect(el.shadowRoot!.querySelector('[role="alert"]')?.textContent).toBe('"1002" cannot be called: no line is registered'),
    );
  });

  it("shows the newest page at once and the rest when it has been read", async () => {
    const history = Array.from({ length: 100 }, (_, i) =>
      historyEntry({ id: `h${i}`, remote: `${2000 + i}`, startedAt: Date.now() - i * 1000 }),
    );
    const app = new FakeApp();
    app.history = history;
    let readAll!: (entries: HistoryEntry[]) => void;
    vi.spyOn(app, "allHistory").mockReturnValue(new Promise((resolve) => (readAll = resolve)));
    const el = await mountWith<SipHistory>("sip-history", { phone: new FakePhone(), app });
    await vi.waitFor(() => expect(status(el)).toBe("60 calls (loading…)"));
    expect(el.shadowRoot!.querySelector('[role="list"]')!.getAttribute("aria-busy")).toBe("true");
    expect(rows(el)[0]).toMatch(/^↗ 2000 \|/);
    readAll(history);
    await vi.waitFor(() => expect(status(el)).toBe("100 calls"));
    expect(el.shadowRoot!.querySelector('[role="list"]')!.getAttribute("aria-busy")).toBe("false");
  });

  it("keeps only the rows in view in the page, and follows scrolling", async () => {
    const history = Array.from({ length: 2000 }, (_, i) =>
      historyEntry({ id: `h${i}`, remote: `${10_000 + i}`, startedAt: Date.now() - i * 1000 }),
    );
    const { el } = await mountHistory(history);
    expect(status(el)).toBe("2,000 calls");
    const shown = () => rows(el).map((r) => Number(/\d+/.exec(r)![0]) - 10_000);
    expect(shown()[0]).toBe(0);
    expect(shown().length).toBeLessThan(30);
    const viewport = el.shadowRoot!.querySelector<HTMLElement>('[role="list"]')!;
    viewport.scrollTop = 52 * 1000;
    viewport.dispatchEvent(new Event("scroll"));
    await el.updateComplete;
    expect(shown()).toContain(1000);
    expect(shown()).not.toContain(0);
    expect(shown().length).toBeLessThan(30);
    const row1000 = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="listitem"]')].find((r) => r.textContent!.includes("11000"))!;
    expect(row1000.style.top).toBe(`${52 * 1000}px`);
  });

  it("reloads when the history changes, and a slow earlier read does not overwrite a newer one", async () => {
    const { el, app } = await mountHistory([answered]);
    let finishOld!: (e: HistoryEntry[]) => void;
    const recent = vi.spyOn(app, "recentHistory");
    recent.mockReturnValueOnce(new Promise((resolve) => (finishOld = resolve)));
    app.fire("history-changed", undefined);
    recent.mockResolvedValueOnce([missed, answered]);
    app.fire("history-changed", undefined);
    await vi.waitFor(() => expect(rows(el)).toHaveLength(2));
    finishOld([answered]);
    // Let the old read's continuation run (microtasks), then any render it asked for.
    for (let i = 0; i < 3; i++) await Promise.resolve();
    await el.updateComplete;
    expect(rows(el)).toHaveLength(2);
  });

  it("says when the history cannot be read", async () => {
    const app = new FakeApp();
    app.fail("recentHistory", new Error("The database is blocked by another tab"));
    const el = await mountWith<SipHistory>("sip-history", { phone: new FakePhone(), app });
    await vi.waitFor(() =>
      expect(el.shadowRoot!.querySelector('[role="alert"]')?.textContent).toBe(
        "Could not read the call history: The database is blocked by another tab",
      ),
    );
  });

  it("clears the history only after the user confirms", async () => {
    const { el, app } = await mountHistory([missed, answered]);
    const confirm = vi.fn(() => false);
    vi.stubGlobal("confirm", confirm);
    button(el, "Clear").click();
    expect(confirm).toHaveBeenCalledWith("Delete the whole call history from this browser?");
    expect(app.actions).toEqual([["markHistoryViewed"]]);
    confirm.mockReturnValue(true);
    button(el, "Clear").click();
    await vi.waitFor(() => expect(text(el)).toContain("No calls yet."));
    expect(app.actions).toEqual([["markHistoryViewed"], ["clearHistory"]]);
  });

  it("exports the history as a CSV file named for today", async () => {
    const { el, app } = await mountHistory([missed]);
    vi.spyOn(app, "historyCsv").mockResolvedValue("remote,result\n1002,missed\n");
    const files = captureDownloads();
    button(el, "Export CSV").click();
    await vi.waitFor(() => expect(files).toHaveLength(1));
    expect(files[0]!.name).toBe(`call-history-${new Date().toISOString().slice(0, 10)}.csv`);
    expect(files[0]!.type).toBe("text/csv");
    expect(await files[0]!.text).toBe("remote,result\n1002,missed\n");
  });

  it("stops listening to the app and the phone when removed", async () => {
    const { el, app, phone } = await mountHistory([missed]);
    // The history and the settings (retention) of the app; the lines and calls of the phone.
    expect(app.listenerCount()).toBe(2);
    expect(phone.listenerCount()).toBe(2);
    el.remove();
    expect(app.listenerCount()).toBe(0);
    expect(phone.listenerCount()).toBe(0);
  });

  it("an old error goes once things work again: a failed read or call back, after the next successful reload", async () => {
    const app = new FakeApp();
    app.history = [missed];
    app.fail("recentHistory", new Error("The database is blocked by another tab"));
    const phone = new FakePhone();
    const el = await mountWith<SipHistory>("sip-history", { phone, app });
    const alertText = () => el.shadowRoot!.querySelector('[role="alert"]')?.textContent;
    await vi.waitFor(() => expect(alertText()).toBe("Could not read the call history: The database is blocked by another tab"));
    app.fire("history-changed", undefined);
    await vi.waitFor(() => expect(rows(el)).toHaveLength(1));
    expect(alertText()).toBeUndefined();

    phone.dialError = new Error('"1002" cannot be called: no line is registered');
    button(el, "Call Bob Builder (1002) back").click();
    await vi.waitFor(() => expect(alertText()).toBe('"1002" cannot be called: no line is registered'));
    app.fire("history-changed", undefined);
    await vi.waitFor(() => expect(alertText()).toBeUndefined());
  });

  it("an error that comes while a reload is under way stays after it", async () => {
    const { el, app, phone } = await mountHistory([missed]);
    let finishRead!: (e: HistoryEntry[]) => void;
    vi.spyOn(app, "recentHistory").mockReturnValueOnce(new Promise((resolve) => (finishRead = resolve)));
    app.fire("history-changed", undefined);
    phone.dialError = new Error('"1002" cannot be called: no line is registered');
    button(el, "Call Bob Builder (1002) back").click();
    const alertText = () => el.shadowRoot!.querySelector('[role="alert"]')?.textContent;
    await vi.waitFor(() => expect(alertText()).toBe('"1002" cannot be called: no line is registered'));
    finishRead([missed]);
    for (let i = 0; i < 3; i++) await Promise.resolve();
    await el.updateComplete;
    expect(alertText()).toBe('"1002" cannot be called: no line is registered');
  });

  it("says why when the history cannot be exported or cleared", async () => {
    const { el, app } = await mountHistory([missed, answered]);
    const alertText = () => el.shadowRoot!.querySelector('[role="alert"]')?.textContent;
    const files = captureDownloads();
    app.fail("historyCsv", new Error("The database is blocked by another tab"));
    button(el, "Export CSV").click();
    await vi.waitFor(() => expect(alertText()).toBe("Could not export the call history: The database is blocked by another tab"));
    expect(files).toEqual([]);

    vi.stubGlobal("confirm", () => true);
    app.fail("clearHistory", new DOMException("Database closed", "InvalidStateError"));
    button(el, "Clear").click();
    await vi.waitFor(() =>
      expect(alertText()).toBe(
        "Could not clear the call history: The browser refused to open its storage (private window or disk problem)",
      ),
    );
    expect(rows(el)).toHaveLength(2);

    // Trying again and succeeding takes the old sentence away.
    button(el, "Export CSV").click();
    await vi.waitFor(() => expect(files).toHaveLength(1));
    expect(alertText()).toBeUndefined();
  });

  it("a call still up shows as in progress; once it is gone, its entry reads as written", async () => {
    const ringing = historyEntry({ id: "live1", direction: "in", remote: "1004", result: "missed", open: true });
    const { el, phone } = await mountHistory([ringing, answered]);
    phone.ring({ id: "live1", remote: "1004" });
    await el.updateComplete;
    expect(rows(el)[0]).toBe("↙ 1004 | Alice · in progress");
    expect(el.shadowRoot!.querySelector('[data-result="ongoing"]')).not.toBeNull();
    phone.setCall({ state: CallState.Ended });
    await el.updateComplete;
    expect(rows(el)[0]).toBe("↙ 1004 | Alice · missed");
  });

  it("keeps a year of history by default; keeping more saves at once, keeping less asks first", async () => {
    const { el, app } = await mountHistory([missed]);
    const keep = control<HTMLSelectElement>(el, "Keep history");
    expect(keep.value).toBe("10000/365");
    expect(keep.options[keep.selectedIndex]!.textContent).toBe("Keep a year (10 000 calls at most)");
    choose(keep, "0/0");
    await vi.waitFor(() => expect(app.actions).toContainEqual(["updateSettings", { historyRetention: { maxEntries: 0, maxAgeDays: 0 } }]));
    await el.updateComplete;
    expect(control<HTMLSelectElement>(el, "Keep history").value).toBe("0/0");

    const asked: string[] = [];
    vi.stubGlobal("confirm", (q: string) => (asked.push(q), false));
    choose(control<HTMLSelectElement>(el, "Keep history"), "10000/30");
    expect(asked).toEqual(["Keep 30 days: older calls are deleted now. Go on?"]);
    expect(app.actions.filter(([a]) => a === "updateSettings")).toHaveLength(1);
    expect(control<HTMLSelectElement>(el, "Keep history").value).toBe("0/0");
    vi.stubGlobal("confirm", () => true);
    choose(control<HTMLSelectElement>(el, "Keep history"), "10000/30");
    await vi.waitFor(() =>
      expect(app.actions).toContainEqual(["updateSettings", { historyRetention: { maxEntries: 10_000, maxAgeDays: 30 } }]),
    );
  });

  it("shows a retention set elsewhere (a settings file) as it is", async () => {
    const app = new FakeApp();
    app.settings = { historyViewedAt: 0, historyRetention: { maxEntries: 500, maxAgeDays: 7 } };
    const el = await mountWith<SipHistory>("sip-history", { phone: new FakePhone(), app });
    await el.updateComplete;
    const keep = control<HTMLSelectElement>(el, "Keep history");
    expect(keep.value).toBe("500/7");
    expect(keep.options[keep.selectedIndex]!.textContent).toBe("Keep 500 calls, at most 7 days");
  });
});
