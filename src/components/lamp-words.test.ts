import { describe, expect, it } from "vitest";
import { english } from "../i18n/languages.js";
import { PhoneError } from "../sip/api/phone-errors.js";
import { describeLamp, describePickupError } from "./messages.js";

describe("busy lamps in words", () => {
  it.each([
    [{ state: "idle" }, "Free"],
    [{ state: "ringing", remote: "Carol" }, "Ringing (Carol)"],
    [{ state: "busy" }, "Busy"],
    [{ state: "offline" }, "Offline"],
    [{ state: "unknown" }, "Unknown"],
    [{ state: "unknown", code: 403 }, "Unknown: not allowed to watch (403)"],
    [{ state: "unknown", code: 489 }, "Unknown: the server offers no busy lamps (489)"],
    [{ state: "unknown", reason: "noresource" }, "Unknown: the server ended the watch (noresource)"],
  ] as const)("%j", (lamp, words) => {
    expect(describeLamp(english, lamp)).toBe(words);
  });

  it("says why a pickup or park was refused", () => {
    expect(describePickupError(english, new PhoneError("x", "no-pickup"))).toMatch(/Nothing to pick up/);
    expect(describePickupError(english, new PhoneError("x", "no-park"))).toMatch(/park extension/);
  });
});
