import { describe, expect, it } from "vitest";
import { phoneServiceFor } from "./app-service.js";
import type { PhoneService } from "./phone-service.js";
import { FakePhone } from "./test-support/fake-phone.js";

describe("phoneServiceFor", () => {
  it("passes the video area's pictures through (a component that asks the service gets the phone's)", () => {
    const media = { remote: undefined, local: undefined };
    const phone = Object.assign(new FakePhone(), { videoMedia: (id: string) => (id === "c1" ? media : undefined) });
    const service = phoneServiceFor(phone as unknown as PhoneService);
    expect(service.videoMedia?.("c1")).toBe(media);
    expect(service.videoMedia?.("other")).toBeUndefined();
  });

  it("a phone without video (a follower tab, unit tests) gives none, and nothing throws", () => {
    expect(phoneServiceFor(new FakePhone() as unknown as PhoneService).videoMedia?.("c1")).toBeUndefined();
  });
});
