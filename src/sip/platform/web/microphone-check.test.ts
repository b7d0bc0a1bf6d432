import { describe, expect, it } from "vitest";
import { MicrophoneCheck, type MicrophoneAccess } from "./microphone-check.js";

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("MicrophoneCheck: whether a standby leg's INVITE may leave before the microphone is open", () => {
  it("only with the permission granted and a device present", async () => {
    let access: MicrophoneAccess = { permission: "prompt", inputs: 1 };
    let changed = (): void => undefined;
    const check = new MicrophoneCheck(
      () => Promise.resolve(access),
      (c) => (changed = c),
    );
    await settle();
    expect(check.likely).toBe(false);
    access = { permission: "granted", inputs: 1 };
    changed();
    await settle();
    expect(check.likely).toBe(true);
    access = { permission: "granted", inputs: 0 };
    changed();
    await settle();
    expect(check.likely).toBe(false);
  });

  it("where the browser does not say, a microphone opened before in the page counts; a refusal never does", async () => {
    const check = new MicrophoneCheck(() => Promise.resolve({ permission: undefined, inputs: 1 }));
    await settle();
    expect(check.likely).toBe(false);
    check.noted(true);
    await settle();
    expect(check.likely).toBe(true);
    check.noted(false);
    expect(check.likely).toBe(false);
    await settle();
    expect(check.likely).toBe(false);
  });

  it("an error reading the state counts as not known", async () => {
    const check = new MicrophoneCheck(() => Promise.reject(new Error("no mediaDevices")));
    await settle();
    expect(check.likely).toBe(false);
  });
});
