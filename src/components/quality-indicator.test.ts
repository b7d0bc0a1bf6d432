// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import "./call-panel.js";
import type { SipCallPanel } from "./call-panel.js";
import type { SipCallQuality } from "./quality-indicator.js";
import { POLL_MS } from "./quality-indicator.js";
import { CallState } from "../sip/api/call-state.js";
import type { CallStats } from "../sip/api/platform.js";
import type { PhoneService } from "./phone-service.js";
import { FakePhone, mount } from "./test-support/fake-phone.js";
import { english } from "../i18n/languages.js";
import { describeQualitySummary, qualitySummaryDetails } from "./quality-words.js";

const GOOD: CallStats = {
  packetsReceived: 900,
  packetsSent: 900,
  packetsLost: 0,
  bytesReceived: 70_000,
  audioLevel: 0.2,
  totalAudioEnergy: 3,
  jitterMs: 1.5,
  rttMs: 12.4,
  codec: "opus",
  lossPercent: 0,
  mos: 4.38,
  quality: "good",
};
const FAIR: CallStats = { ...GOOD, lossPercent: 7.25, mos: 3.52, quality: "fair" };

// Date too: the panel's clock repaints it only when Date.now() has moved.
beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] }));
afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

/** A panel on an established call whose readings are `next`; `reads` counts them. */
async function panelWith(next: { stats: CallStats | undefined }, patch = {}) {
  const phone = new FakePhone();
  const reads = vi.spyOn(phone as PhoneService, "callStats").mockImplementation(async () => next.stats);
  phone.setCall({ state: CallState.Established, answeredAt: Date.now(), direction: "out", ...patch });
  const panel = await mount<SipCallPanel>("sip-call-panel", phone, (e) => (e.call = phone.calls[0]!));
  return { phone, panel, reads, quality: () => panel.shadowRoot!.querySelector<SipCallQuality>("sip-call-quality") };
}

/** Lets a reading come back and the indicator paint it. */
async function settle(el: SipCallQuality | null) {
  await vi.advanceTimersByTimeAsync(0);
  await el?.updateComplete;
}

const gradeButton = (q: SipCallQuality) => q.shadowRoot!.querySelector<HTMLButtonElement>("button[data-grade]");
const liveText = (q: SipCallQuality) => q.shadowRoot!.querySelector("[aria-live]")!.textContent!.trim();
const shown = (q: SipCallQuality) => gradeButton(q)?.textContent!.replace(/\s+/g, " ").trim();

describe("<sip-call-quality> in the call panel", () => {
  it("shows the grade as shape, word and colour once read, outside any live region, with the figures on demand", async () => {
    const { panel, reads, quality } = await panelWith({ stats: GOOD });
    const q = quality()!;
    await settle(q);
    expect(reads).toHaveBeenCalledWith("c1");
    expect(shown(q)).toBe("▮▮▮Quality: good");
    expect(gradeButton(q)!.dataset.grade).toBe("good");
    expect(gradeButton(q)!.querySelector(".icon")!.getAttribute("aria-hidden")).toBe("true");
    // Not in the panel's status region, nor in its own live region: no reading is read out.
    expect(q.closest("[role=status]")).toBeNull();
    expect(gradeButton(q)!.closest("[aria-live]")).toBeNull();
    expect(panel.shadowRoot!.querySelector("[role=status] sip-call-quality")).toBeNull();
    expect(liveText(q)).toBe("");

    expect(q.shadowRoot!.querySelector("dl")).toBeNull();
    gradeButton(q)!.click();
    await q.updateComplete;
    expect(gradeButton(q)!.getAttribute("aria-expanded")).toBe("true");
    const figures = [...q.shadowRoot!.querySelectorAll("dt")].map((dt) => `${dt.textContent}: ${dt.nextElementSibling!.textContent}`);
    expect(figures).toEqual(["MOS: 4.38", "Packet loss: 0 %", "Jitter: 1.5 ms", "Round trip: 12 ms", "Codec: opus"]);
    gradeButton(q)!.click();
    await q.updateComplete;
    expect(q.shadowRoot!.querySelector("dl")).toBeNull();
  });

  it(`reads every ${POLL_MS / 1000} s, announces a change of grade once (politely), and repaints only itself`, async () => {
    const next = { stats: GOOD as CallStats | undefined };
    const { panel, reads, quality } = await panelWith(next);
    const q = quality()!;
    await settle(q);
    expect(q.shadowRoot!.querySelector("[aria-live]")!.getAttribute("aria-live")).toBe("polite");

    next.stats = FAIR;
    const panelRenders = vi.spyOn(panel, "render");
    await vi.advanceTimersByTimeAsync(POLL_MS - 1);
    expect(reads).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await settle(q);
    expect(reads).toHaveBeenCalledTimes(2);
    expect(shown(q)).toBe("▮▮▯Quality: fair");
    expect(liveText(q)).toBe("Call quality is fair now");
    // The panel repainted once a second for its timer, not for the reading.
    expect(panelRenders).toHaveBeenCalledTimes(POLL_MS / 1000);

    // The same grade again: the live region keeps its words, nothing new is said.
    await vi.advanceTimersByTimeAsync(POLL_MS);
    await settle(q);
    expect(reads).toHaveBeenCalledTimes(3);
    expect(liveText(q)).toBe("Call quality is fair now");
    next.stats = { ...GOOD, mos: 2.5, quality: "poor" };
    await vi.advanceTimersByTimeAsync(POLL_MS);
    await settle(q);
    expect(shown(q)).toBe("▮▯▯Quality: poor");
    expect(liveText(q)).toBe("Call quality is poor now");
  });

  it("shows nothing while there is no grade (no media yet), and never before the call is connected", async () => {
    const next = { stats: { ...GOOD, mos: undefined, quality: undefined, lossPercent: undefined } as CallStats };
    const { reads, quality, phone, panel } = await panelWith(next, { state: CallState.Ringing, answeredAt: undefined });
    expect(quality()).toBeNull();
    await vi.advanceTimersByTimeAsync(3 * POLL_MS);
    expect(reads).not.toHaveBeenCalled();
    phone.setCall({ state: CallState.Established, answeredAt: Date.now() });
    panel.call = phone.calls[0]!;
    await panel.updateComplete;
    await settle(quality());
    expect(reads).toHaveBeenCalledTimes(1);
    expect(gradeButton(quality()!)).toBeNull();
  });

  it("stops reading while either side holds, and when the panel leaves the page", async () => {
    const { phone, panel, reads, quality } = await panelWith({ stats: GOOD });
    await settle(quality());
    expect(reads).toHaveBeenCalledTimes(1);
    for (const hold of [{ held: true }, { held: false, heldByRemote: true }]) {
      phone.setCall(hold);
      panel.call = phone.calls[0]!;
      await panel.updateComplete;
      await quality()!.updateComplete;
      expect(gradeButton(quality()!)).toBeNull();
      await vi.advanceTimersByTimeAsync(3 * POLL_MS);
      expect(reads).toHaveBeenCalledTimes(1);
    }
    phone.setCall({ heldByRemote: false });
    panel.call = phone.calls[0]!;
    await panel.updateComplete;
    await settle(quality());
    expect(reads).toHaveBeenCalledTimes(2);
    expect(shown(quality()!)).toBe("▮▮▮Quality: good");

    panel.remove();
    await vi.advanceTimersByTimeAsync(5 * POLL_MS);
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it("a reading under way when the call is held is not shown", async () => {
    let answer!: (s: CallStats) => void;
    const phone = new FakePhone();
    vi.spyOn(phone as PhoneService, "callStats").mockImplementation(() => new Promise((r) => (answer = r)));
    phone.setCall({ state: CallState.Established, answeredAt: Date.now() });
    const panel = await mount<SipCallPanel>("sip-call-panel", phone, (e) => (e.call = phone.calls[0]!));
    phone.setCall({ held: true });
    panel.call = phone.calls[0]!;
    await panel.updateComplete;
    answer(GOOD);
    const q = panel.shadowRoot!.querySelector<SipCallQuality>("sip-call-quality")!;
    await settle(q);
    expect(gradeButton(q)).toBeNull();
  });

  it("an ended call has no indicator", async () => {
    const { phone, panel, quality } = await panelWith({ stats: GOOD });
    phone.setCall({ state: CallState.Terminating });
    panel.call = phone.calls[0]!;
    await panel.updateComplete;
    expect(quality()).toBeNull();
  });
});

describe("a kept call's quality in words", () => {
  const summary = { mosAvg: 4.31, mosWorst: 3.86, lossWorstPercent: 2.345, jitterAvgMs: 3.21, rttAvgMs: 41.6, codec: "opus", samples: 12 };
  it("grades the average MOS and names the rest", () => {
    expect(describeQualitySummary(english, summary)).toBe("Quality: good (MOS 4.3)");
    expect(describeQualitySummary(english, { ...summary, mosAvg: 3.5 })).toBe("Quality: fair (MOS 3.5)");
    expect(qualitySummaryDetails(english, summary)).toBe(
      "Quality: good (MOS 4.3), worst MOS 3.9; packet loss up to 2.3 %; jitter 3.2 ms on average; round trip 42 ms on average; opus",
    );
    const { rttAvgMs: _r, codec: _c, ...bare } = summary;
    expect(qualitySummaryDetails(english, { ...bare, lossWorstPercent: 12.7 })).toBe(
      "Quality: good (MOS 4.3), worst MOS 3.9; packet loss up to 13 %; jitter 3.2 ms on average",
    );
  });
});
