import { afterEach, describe, expect, it, vi } from "vitest";
import { browserMediaPlatform } from "./media-platform.js";

afterEach(() => vi.unstubAllGlobals());

describe("browserMediaPlatform.microphoneAccess", () => {
  it("asks for the microphone's PermissionStatus once and reads its live state: one per call stayed in the heap", async () => {
    const status = Object.assign(new EventTarget(), { state: "prompt" as PermissionState });
    const query = vi.fn(async () => status);
    const enumerateDevices = vi.fn(async () => [{ kind: "audioinput" }, { kind: "videoinput" }]);
    vi.stubGlobal("navigator", { permissions: { query }, mediaDevices: { enumerateDevices, addEventListener: vi.fn() } });

    expect(await browserMediaPlatform.microphoneAccess!()).toEqual({ permission: "prompt", inputs: 1 });
    status.state = "granted";
    expect(await browserMediaPlatform.microphoneAccess!()).toEqual({ permission: "granted", inputs: 1 });
    const changed = vi.fn();
    browserMediaPlatform.onMicrophoneChange!(changed);
    await Promise.resolve();
    await Promise.resolve();
    status.dispatchEvent(new Event("change"));
    expect(changed).toHaveBeenCalledTimes(1);
    expect(query).toHaveBeenCalledTimes(1);
  });
});
