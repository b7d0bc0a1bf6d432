// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { SipTrace } from "../sip/core/sip-trace.js";
import "./sip-trace-view.js";
import type { SipTraceView } from "./sip-trace-view.js";
import { button, captureDownloads, choose, control } from "./test-support/dom.js";
import { FakeApp } from "./test-support/fake-app.js";
import { FakePhone, mountWith } from "./test-support/fake-phone.js";
import { loadViewWords } from "../i18n/languages.js";

afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

const sip = (...lines: string[]) => lines.join("\r\n") + "\r\n\r\n";

/** A line's traffic: a registration, an outgoing call (call-a) answered, an incoming call (call-b); and another line's OPTIONS. */
function traffic(phone: FakePhone) {
  phone.trace.add("l1", "out", sip("REGISTER sip:pbx.test SIP/2.0", "Call-ID: reg-1", "CSeq: 1 REGISTER"));
  phone.trace.add("l2", "in", sip("OPTIONS sip:2000@pbx.test SIP/2.0", "Call-ID: opt-1", "CSeq: 7 OPTIONS"));
  phone.trace.add("l1", "out", sip("INVITE sip:1002@pbx.test SIP/2.0", "Call-ID: call-a", "CSeq: 1 INVITE"));
  phone.trace.add("l1", "in", sip("SIP/2.0 200 OK", "Call-ID: call-a", "CSeq: 1 INVITE"));
  phone.trace.add("l1", "in", sip("INVITE sip:1001@pbx.test SIP/2.0", "Call-ID: call-b", "CSeq: 3 INVITE"));
}

async function mountTrace(lineId = "l1") {
  const phone = new FakePhone();
  traffic(phone);
  const app = new FakeApp();
  const el = await mountWith<SipTraceView>("sip-trace-view", { phone, app }, (e) => (e.lineId = lineId));
  await vi.waitFor(() => expect(messages(el).length).toBeGreaterThan(0));
  return { el, phone, app };
}

/** Each message as listed: direction and first line (the time in front depends on the locale). */
function messages(el: SipTraceView): string[] {
  return [...el.shadowRoot!.querySelectorAll("ol > li")].map(
    (li) => `${li.className} ${/[A-Z]+ sip:\S+|SIP\/2\.0 .*/.exec(li.querySelector("summary")!.textContent!)![0]}`,
  );
}

const status = (el: SipTraceView) => el.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim();

/** A FakePhone whose trace moves older messages into Blobs at once (plain Blobs, no gzip: the view's side of it, the same in happy-dom). */
function phoneWithCompressingTrace() {
  const phone = new FakePhone();
  const trace = new SipTrace({ compress: (text) => Promise.resolve(new Blob([text])), decompress: (blob) => blob.text() }, { quietMs: 0 });
  Object.assign(phone, { trace });
  return { phone, trace };
}
// This test renders a view's components without the phone: their words (src/i18n/en-views.ts)
// are loaded as phone-views.ts loads them with the view.
beforeAll(() => loadViewWords());

describe("<sip-trace-view>", () => {
  it("lists its line's messages in order, with direction, first line and the whole text", async () => {
    const { el } = await mountTrace();
    expect(messages(el)).toEqual([
      "out REGISTER sip:pbx.test",
      "out INVITE sip:1002@pbx.test",
      "in SIP/2.0 200 OK",
      "in INVITE sip:1001@pbx.test",
    ]);
    expect(el.shadowRoot!.querySelector("ol > li pre")!.textContent).toBe(
      sip("REGISTER sip:pbx.test SIP/2.0", "Call-ID: reg-1", "CSeq: 1 REGISTER"),
    );
  });

  it("shows new messages of its line as they come, not those of other lines", async () => {
    const { el, phone } = await mountTrace();
    phone.trace.add("l1", "out", sip("BYE sip:1002@pbx.test SIP/2.0", "Call-ID: call-a", "CSeq: 2 BYE"));
    phone.trace.add("l2", "out", sip("BYE sip:9@pbx.test SIP/2.0", "Call-ID: other", "CSeq: 2 BYE"));
    await el.updateComplete;
    expect(messages(el).slice(-2)).toEqual(["in INVITE sip:1001@pbx.test", "out BYE sip:1002@pbx.test"]);
  });

  it("filters by call: the calls offered are the INVITE dialogs", async () => {
    const { el, phone } = await mountTrace();
    const filter = control<HTMLSelectElement>(el, "Filter by call");
    expect([...filter.options].map((o) => [o.value, o.textContent])).toEqual([
      ["", "All messages"],
      ["call-a", "Call call-a"],
      ["call-b", "Call call-b"],
    ]);
    choose(filter, "call-a");
    await el.updateComplete;
    expect(messages(el)).toEqual(["out INVITE sip:1002@pbx.test", "in SIP/2.0 200 OK"]);
    phone.trace.add("l1", "out", sip("BYE sip:1002@pbx.test SIP/2.0", "Call-ID: call-a", "CSeq: 2 BYE"));
    phone.trace.add("l1", "out", sip("REGISTER sip:pbx.test SIP/2.0", "Call-ID: reg-1", "CSeq: 2 REGISTER"));
    await el.updateComplete;
    expect(messages(el)).toEqual(["out INVITE sip:1002@pbx.test", "in SIP/2.0 200 OK", "out BYE sip:1002@pbx.test"]);
  });

  it("copies the shown messages as text for a support desk", async () => {
    const { el } = await mountTrace();
    const write = vi.spyOn(navigator.clipboard, "writeText").mockResolvedValue(undefined);
    choose(control<HTMLSelectElement>(el, "Filter by call"), "call-b");
    await el.updateComplete;
    button(el, "Copy").click();
    await vi.waitFor(() => expect(status(el)).toBe("Copied"));
    expect(write).toHaveBeenCalledOnce();
    const copied = write.mock.calls[0]![0];
    expect(copied).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z RECEIVED from server \(line l1\)\nINVITE sip:1001@pbx.test SIP\/2.0\nCall-ID: call-b\nCSeq: 3 INVITE\n$/,
    );
  });

  it("says why it could not copy", async () => {
    const { el } = await mountTrace();
    vi.spyOn(navigator.clipboard, "writeText").mockRejectedValue(new DOMException("Document is not focused.", "NotAllowedError"));
    button(el, "Copy").click();
    await vi.waitFor(() => expect(status(el)).toBe("Could not copy: Document is not focused."));
  });

  it("saves the line's messages as a text file named for the line and the time", async () => {
    const { el } = await mountTrace();
    const files = captureDownloads();
    button(el, "Save as file").click();
    await vi.waitFor(() => expect(files).toHaveLength(1));
    expect(files[0]!.name).toMatch(/^sip-trace-l1-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.txt$/);
    expect(files[0]!.type).toBe("text/plain");
    const saved = await files[0]!.text;
    expect(saved.match(/^\S+ (SENT to|RECEIVED from) server \(line l1\)$/gm)).toHaveLength(4);
    expect(saved).toContain("INVITE sip:1002@pbx.test SIP/2.0\nCall-ID: call-a");
    expect(saved).not.toContain("OPTIONS");
  });

  it("sets the log level through the app settings", async () => {
    const { el, app } = await mountTrace();
    choose(control<HTMLSelectElement>(el, "Log level"), "debug");
    expect(app.actions).toEqual([["updateSettings", { logLevel: "debug" }]]);
  });

  it("stops following the trace when removed", async () => {
    const { el, phone } = await mountTrace();
    expect(phone.trace.listenerCount()).toBe(1);
    el.remove();
    expect(phone.trace.listenerCount()).toBe(0);
  });

  it("the log level select shows the current level: the one set, else the default warn", async () => {
    const { el } = await mountTrace();
    const level = control<HTMLSelectElement>(el, "Log level");
    expect(level.value).toBe("warn");
    expect(level.options[level.selectedIndex]!.textContent).toBe("warn");

    const app = new FakeApp();
    app.settings = { historyViewedAt: 0, logLevel: "debug" };
    const debug = await mountWith<SipTraceView>("sip-trace-view", { phone: new FakePhone(), app }, (e) => (e.lineId = "l1"));
    expect(control<HTMLSelectElement>(debug, "Log level").value).toBe("debug");
  });

  it("a view removed in the same task it was added does not stay subscribed", async () => {
    const { el, phone } = await mountTrace();
    const host = el.parentElement!;
    el.remove();
    const other = document.createElement("sip-trace-view");
    other.lineId = "l1";
    host.append(other);
    other.remove();
    host.append(el);
    el.remove();
    for (let i = 0; i < 3; i++) await Promise.resolve();
    expect(phone.trace.listenerCount()).toBe(0);

    // Put back for good (and moved within the same task), it follows the trace again, once.
    host.append(el);
    el.remove();
    host.append(el);
    await vi.waitFor(() => expect(phone.trace.listenerCount()).toBe(1));
    for (let i = 0; i < 3; i++) await Promise.resolve();
    expect(phone.trace.listenerCount()).toBe(1);
    phone.trace.add("l1", "out", sip("BYE sip:1002@pbx.test SIP/2.0", "Call-ID: call-a", "CSeq: 2 BYE"));
    await el.updateComplete;
    expect(messages(el).at(-1)).toBe("out BYE sip:1002@pbx.test");
  });

  it("shows and saves the older messages the trace keeps compressed, and follows it as it compresses more", async () => {
    const { phone, trace } = phoneWithCompressingTrace();
    const invite = (i: number) => sip(`INVITE sip:${i}@pbx.test SIP/2.0`, `Call-ID: c${i}`, "CSeq: 1 INVITE", `X-Pad: ${"p".repeat(1000)}`);
    for (let i = 0; i < 150; i++) trace.add("l1", "out", invite(i));
    expect(trace.list("l1").length).toBeLessThan(150);
    const el = await mountWith<SipTraceView>("sip-trace-view", { phone, app: new FakeApp() }, (e) => (e.lineId = "l1"));
    await vi.waitFor(() => expect(messages(el)).toHaveLength(150));
    expect(messages(el)[0]).toBe("out INVITE sip:0@pbx.test");

    // More messages: the trace compresses those the view shows as entries, the view keeps them.
    for (let i = 150; i < 200; i++) trace.add("l1", "out", invite(i));
    await Promise.resolve();
    await el.updateComplete;
    expect(messages(el)).toEqual(Array.from({ length: 200 }, (_, i) => `out INVITE sip:${i}@pbx.test`));

    const files = captureDownloads();
    button(el, "Save as file").click();
    await vi.waitFor(() => expect(files).toHaveLength(1));
    const saved = await files[0]!.text;
    expect(saved.match(/^\S+ SENT to server \(line l1\)$/gm)).toHaveLength(200);
    expect(saved.indexOf("INVITE sip:0@")).toBeLessThan(saved.indexOf("INVITE sip:199@"));
  });

  it("drops what the trace drops", async () => {
    const { phone, trace } = phoneWithCompressingTrace();
    const big = (i: number) => sip(`MESSAGE sip:${i}@pbx.test SIP/2.0`, `Call-ID: m${i}`, `X-Pad: ${"p".repeat(16 * 1024)}`);
    trace.add("l1", "in", big(0));
    const el = await mountWith<SipTraceView>("sip-trace-view", { phone, app: new FakeApp() }, (e) => (e.lineId = "l1"));
    await vi.waitFor(() => expect(messages(el)).toHaveLength(1));
    for (let i = 1; i < 300; i++) trace.add("l1", "in", big(i));
    await el.updateComplete;
    const kept = (await trace.all("l1")).map((e) => `in MESSAGE sip:${e.callId.slice(1)}@pbx.test`);
    expect(kept.length).toBeLessThan(300);
    expect(messages(el)).toEqual(kept);
  });
});
