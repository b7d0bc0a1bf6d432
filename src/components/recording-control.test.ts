// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import "./recording-control.js";
import "./recording-player.js";
import type { SipRecordingControl } from "./recording-control.js";
import type { SipRecordingPlayer } from "./recording-player.js";
import { CallState, type CallSnapshot } from "../sip/api/call-state.js";
import { RecordingState } from "../sip/api/recording-media.js";
import { FakeApp, historyEntry } from "./test-support/fake-app.js";
import { FakePhone, mount, mountWith, text } from "./test-support/fake-phone.js";
import { button } from "./test-support/dom.js";
import { english, loadViewWords } from "../i18n/languages.js";
import { fileSize, recordingFailureText, recordingFileName, recordingRowText } from "./recording-words.js";

afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

async function control(patch: Partial<CallSnapshot> = {}) {
  const phone = new FakePhone();
  phone.setCall({ state: CallState.Established, answeredAt: Date.now(), ...patch });
  const el = await mount<SipRecordingControl>("sip-recording-control", phone, (e) => (e.call = phone.calls[0]!));
  return { phone, el };
}

describe("<sip-recording-control>", () => {
  it("offers Record; a click asks the phone to record the call", async () => {
    const { phone, el } = await control();
    button(el, "Record").click();
    await el.updateComplete;
    expect(phone.actions).toContain("record c1 true");
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim()).toBe("");
  });

  it("while recording: a red dot and 'Recording' in the status region, and Stop recording (pressed)", async () => {
    const { phone, el } = await control({ recording: RecordingState.On });
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim()).toBe("Recording");
    expect(el.shadowRoot!.querySelector(".dot")).not.toBeNull();
    const stop = button(el, "Stop recording");
    expect(stop.getAttribute("aria-pressed")).toBe("true");
    stop.click();
    expect(phone.actions).toContain("record c1 false");
  });

  it("a failure is said in words, specific to why", async () => {
    const { el } = await control({ recording: RecordingState.Failed, recordingFailure: "no-room" });
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).toBe(recordingFailureText(english, "no-room"));
    expect(recordingFailureText(english, "no-room")).toMatch(/storage/);
    expect(recordingFailureText(english, "unsupported")).toMatch(/cannot record/);
    expect(recordingFailureText(english, "blocked")).toMatch(/click/);
  });
});

describe("<sip-recording-player>", () => {
  // This test renders a view's components without the phone: their words (src/i18n/en-views.ts)
  // are loaded as phone-views.ts loads them with the view.
  beforeAll(() => loadViewWords());

  it("plays the stored file from a blob: URL, downloads it, and deletes the call with it", async () => {
    const app = new FakeApp();
    const e = historyEntry({
      id: "h1",
      remote: "1002",
      recording: { kept: true, bytes: 1_234_000, mimeType: "audio/ogg;codecs=opus", durationMs: 65_000 },
    });
    app.history = [e];
    app.recordings.set("h1", {
      blob: new Blob([new Uint8Array(10)], { type: "audio/ogg;codecs=opus" }),
      mimeType: "audio/ogg;codecs=opus",
      durationMs: 65_000,
    });
    vi.spyOn(URL, "createObjectURL").mockReturnValue("blob:test/1");
    const revoke = vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => undefined);
    const player = await mountWith<SipRecordingPlayer>("sip-recording-player", { app }, (p) => (p.entry = e));
    await vi.waitFor(() => expect(player.shadowRoot!.querySelector("audio")?.getAttribute("src")).toBe("blob:test/1"));
    expect(text(player)).toContain("1 min 5 s · 1.2 MB");
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(`${this.href} ${this.download}`);
    });
    button(player, "Download").click();
    expect(clicked).toEqual([`blob:test/1 ${recordingFileName("1002", e.startedAt, "audio/ogg;codecs=opus")}`]);
    expect(clicked[0]).toMatch(/\.ogg$/);
    vi.stubGlobal("confirm", () => true);
    let closed = 0;
    player.addEventListener("recording-close", () => closed++);
    button(player, "Delete call and recording").click();
    await vi.waitFor(() => expect(closed).toBe(1));
    expect(app.actions).toContainEqual(["deleteHistoryEntry", "h1"]);
    expect(app.recordings.size).toBe(0);
    player.remove();
    expect(revoke).toHaveBeenCalledWith("blob:test/1");
  });

  it("says so when the file is no longer stored", async () => {
    const app = new FakeApp();
    const e = historyEntry({ id: "h2", recording: { kept: true, bytes: 10, mimeType: "audio/webm;codecs=opus", durationMs: 1000 } });
    const player = await mountWith<SipRecordingPlayer>("sip-recording-player", { app }, (p) => (p.entry = e));
    await vi.waitFor(() => expect(player.shadowRoot!.querySelector('[role="alert"]')?.textContent).toMatch(/no longer stored/));
  });
});

describe("recording words", () => {
  it("sizes and history notes", () => {
    expect(fileSize(english, 840_000)).toBe("840 kB");
    expect(fileSize(english, 1_234_000)).toBe("1.2 MB");
    expect(fileSize(english, 25_793)).toBe("26 kB");
    expect(recordingRowText(english, { kept: true, bytes: 25_793, mimeType: "audio/webm", durationMs: 9000 })).toBe("recorded, 26 kB");
    expect(recordingRowText(english, { kept: false, why: "quota-exceeded" })).toBe("recording not saved: storage full");
  });
});
