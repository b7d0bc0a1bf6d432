// @vitest-environment happy-dom
import "fake-indexeddb/auto";
import { expect, it } from "vitest";

it("the library entry gives a <sip-phone> already in the page its app: the factory is set before the element is defined", async () => {
  document.body.innerHTML = "<sip-phone></sip-phone>";
  const el = document.querySelector("sip-phone")!;
  const { SipPhone } = await import("./lib.js");
  expect(el).toBeInstanceOf(SipPhone);
  await (el as InstanceType<typeof SipPhone>).ready;
  expect((el as InstanceType<typeof SipPhone>).lines).toEqual([]);
  el.remove();
});
