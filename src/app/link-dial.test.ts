import { describe, expect, it } from "vitest";
import type { AccountConfig } from "../config/phone-config.js";
import { LineState } from "../sip/api/line-state.js";
import { planLinkDial } from "./link-dial.js";

const vienna: AccountConfig = {
  id: "v",
  label: "Vienna",
  sipUri: "sip:1001@pbx.test",
  password: "pw",
  servers: ["wss://pbx.test"],
  location: { countryCode: "43", areaCode: "1", extensionLength: 4, outsideLine: "0", dialFormat: "prefixed" },
};
const off: AccountConfig = { ...vienna, id: "off", enabled: false };
const line = { id: "v", label: "Vienna office", aor: "sip:1001@pbx.test", state: LineState.Registered, server: "wss://pbx.test" };

describe("planLinkDial", () => {
  it("normalises the number with the line's rules, as dialling there will", async () => {
    expect(await planLinkDial("tel:+4315056410", [vienna], [line], [])).toEqual({
      lineId: "v",
      line: "Vienna office",
      aor: "sip:1001@pbx.test",
      display: expect.any(String),
      uri: "sip:0015056410@pbx.test",
      confirm: true,
    });
  });

  it("takes the first preferred line that is enabled, else the first enabled line; none: undefined", async () => {
    const other = { ...vienna, id: "o", location: undefined };
    expect((await planLinkDial("1002", [off, vienna, other], [], [undefined, "off", "o"]))?.lineId).toBe("o");
    expect((await planLinkDial("1002", [off, vienna, other], [], ["nope"]))?.lineId).toBe("v");
    expect(await planLinkDial("1002", [off], [], [])).toBeUndefined();
  });

  it("asks unless the line says links dial without confirmation", async () => {
    expect((await planLinkDial("1002", [{ ...vienna, dialLinksWithoutConfirm: true }], [], []))?.confirm).toBe(false);
  });
});
