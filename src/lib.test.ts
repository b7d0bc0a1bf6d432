// @vitest-environment happy-dom
import "fake-indexeddb/auto";
import { expect, it } from "vitest";

it("the library entry defines <sip-phone> when the page has one, with its app (the factory set before the element is defined)", async () => {
  document.body.innerHTML = "<sip-phone></sip-phone>";
  const el = document.querySelector("sip-phone")!;
  const { definePhone } = await import("./lib.js");
  const SipPhone = await definePhone();
  expect(customElements.get("sip-phone")).toBe(SipPhone);
  expect(el).toBeInstanceOf(SipPhone);
  await (el as InstanceType<typeof SipPhone>).ready;
  expect((el as InstanceType<typeof SipPhone>).lines).toEqual([]);
  el.remove();
});

it("the entry itself defines only <sip-call-button>: the phone's code is a separate module", async () => {
  const entry = await import("./lib.js");
  expect(customElements.get("sip-call-button")).toBe(entry.SipCallButton);
  expect(Object.keys(entry).sort()).toEqual(["ConfigError", "SipCallButton", "definePhone"]);
});
