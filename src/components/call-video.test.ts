// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import "./call-video.js";
import type { SipCallVideo } from "./call-video.js";
import { CallState, type CallSnapshot } from "../sip/api/call-state.js";
import { PhoneError } from "../sip/api/phone-errors.js";
import { button, buttonNames } from "./test-support/dom.js";
import { FakePhone, mount } from "./test-support/fake-phone.js";
import { english } from "../i18n/languages.js";
import { videoError } from "./video-words.js";

afterEach(() => document.body.replaceChildren());

async function videoArea(patch: Partial<CallSnapshot>) {
  const phone = new FakePhone();
  phone.setCall({ state: CallState.Established, direction: "out", ...patch });
  const el = await mount<SipCallVideo>("sip-call-video", phone, (e) => (e.call = phone.calls[0]!));
  return { phone, el };
}

const settle = async (el: SipCallVideo) => {
  await new Promise((r) => setTimeout(r, 0));
  await el.updateComplete;
};

describe("<sip-call-video>", () => {
  it("a call ringing with video offers Answer with video, which answers with the camera", async () => {
    const { phone, el } = await videoArea({
      state: CallState.Incoming,
      direction: "in",
      video: { local: false, remote: false, screen: false, requested: true },
    });
    button(el, english.t("video.answer")).click();
    await settle(el);
    expect(phone.actions).toContain("answer c1 video");
  });

  it("an audio call that rings shows nothing of video", async () => {
    const { el } = await videoArea({ state: CallState.Incoming, direction: "in" });
    expect(buttonNames(el)).toEqual([]);
  });

  it("an audio call that is up offers Camera and Share screen only where the browser can share", async () => {
    const { phone, el } = await videoArea({});
    expect(buttonNames(el)[0]).toBe(english.t("video.cameraOn"));
    button(el, english.t("video.cameraOn")).click();
    await settle(el);
    expect(phone.actions).toContain("video c1 true");
    expect(el.shadowRoot!.querySelector("video")).toBeNull();
  });

  it("the other side's request is a question: yes turns the camera on, no declines; nothing happens by itself", async () => {
    const { phone, el } = await videoArea({ video: { local: false, remote: true, screen: false, requested: true } });
    expect(phone.actions.filter((a) => a.startsWith("video") || a.includes("accept"))).toEqual([]);
    expect(el.shadowRoot!.textContent).toContain(english.t("video.requested", { name: "1002" }));
    expect(el.shadowRoot!.querySelector("video.remote")).not.toBeNull();
    button(el, english.t("video.decline")).click();
    await settle(el);
    button(el, english.t("video.accept")).click();
    await settle(el);
    expect(phone.actions).toEqual(expect.arrayContaining(["decline-video c1", "accept-video c1"]));
  });

  it("video both ways: the remote picture large, ours small and mirrored; Stop video turns it off", async () => {
    const { phone, el } = await videoArea({ video: { local: true, remote: true, screen: false, requested: false } });
    const self = el.shadowRoot!.querySelector("video.self")!;
    expect(self.classList.contains("mirrored")).toBe(true);
    expect(el.shadowRoot!.querySelector("video.remote")).not.toBeNull();
    button(el, english.t("video.cameraOff")).click();
    await settle(el);
    expect(phone.actions).toContain("video c1 false");
  });

  it("a shared screen is shown as sent (not mirrored)", async () => {
    const { el } = await videoArea({ video: { local: true, remote: true, screen: true, requested: false } });
    expect(el.shadowRoot!.querySelector("video.self")!.classList.contains("mirrored")).toBe(false);
    expect(el.shadowRoot!.textContent).toContain(english.t("video.screenNote"));
  });

  it("a refused action says why", async () => {
    const { phone, el } = await videoArea({});
    phone.setVideo = async () => {
      throw new PhoneError("refused", "no-video");
    };
    button(el, english.t("video.cameraOn")).click();
    await settle(el);
    expect(el.shadowRoot!.querySelector("[role=alert]")?.textContent).toBe(videoError(english, new PhoneError("x", "no-video")));
  });
});
