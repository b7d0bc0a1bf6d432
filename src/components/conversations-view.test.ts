// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import "./conversations-view.js";
import type { SipConversations } from "./conversations-view.js";
import { PhoneError } from "../sip/api/phone-errors.js";
import type { StoredMessage } from "../storage/message-store.js";
import { button, control, typeInto } from "./test-support/dom.js";
import { FakeApp } from "./test-support/fake-app.js";
import { FakePhone, mountWith, text } from "./test-support/fake-phone.js";
import { loadViewWords } from "../i18n/languages.js";

afterEach(() => document.body.replaceChildren());

const MARKUP = '<img src=x onerror="alert(1)"> <b>hi</b>\nsecond line';
const fromBob = (at: number, text: string, read = false): StoredMessage => ({
  id: `in-${at}`,
  lineId: "l1",
  direction: "in",
  remote: "1002",
  remoteName: "Bob",
  text,
  at,
  status: "received",
  ...(read ? { read } : {}),
});

async function mountView(messages: StoredMessage[] = []) {
  const phone = new FakePhone();
  const app = new FakeApp();
  app.messages = [...messages].sort((a, b) => b.at - a.at);
  const el = await mountWith<SipConversations>("sip-conversations", { phone, app }, (e) => (e.lineId = "l1"));
  return { el, phone, app };
}

// This test renders a view's components without the phone: their words (src/i18n/en-views.ts)
// are loaded as phone-views.ts loads them with the view.
beforeAll(() => loadViewWords());

describe("<sip-conversations>", () => {
  it("lists one conversation per party, newest first, with unread counts", async () => {
    const { el } = await mountView([
      fromBob(1000, "first"),
      fromBob(2000, "second"),
      {
        ...fromBob(1500, "hello carol"),
        id: "out-1",
        direction: "out",
        remote: "1003",
        remoteName: undefined,
        status: "delivered",
        read: true,
      },
    ]);
    await vi.waitFor(() => expect(el.shadowRoot!.querySelectorAll("button.conv")).toHaveLength(2));
    const rows = [...el.shadowRoot!.querySelectorAll("button.conv")].map((b) => b.textContent!.replace(/\s+/g, " ").trim());
    expect(rows).toEqual(["Bob (1002) 2 second", "1003 You: hello carol"]);
    expect(el.shadowRoot!.querySelector('[aria-label="2 unread"]')).not.toBeNull();
  });

  it("shows message text as text, never as markup, and marks the conversation read when opened", async () => {
    const { el, app } = await mountView([fromBob(1000, MARKUP)]);
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector("button.conv")).not.toBeNull());
    (el.shadowRoot!.querySelector("button.conv") as HTMLButtonElement).click();
    await el.updateComplete;
    const shown = el.shadowRoot!.querySelector(".msg .text")!;
    expect(shown.textContent).toBe(MARKUP);
    expect(el.shadowRoot!.querySelector(".msg img, .msg b")).toBeNull();
    await vi.waitFor(() => expect(app.actions).toContainEqual(["markMessagesRead", "1002"]));
  });

  it("sends what is typed to the conversation's party on its line; a refused message shows its reason", async () => {
    const { el, phone, app } = await mountView([fromBob(1000, "hi", true)]);
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector("button.conv")).not.toBeNull());
    (el.shadowRoot!.querySelector("button.conv") as HTMLButtonElement).click();
    await el.updateComplete;
    typeInto(control<HTMLTextAreaElement>(el, "Message"), "<i>reply</i>");
    await el.updateComplete;
    button(el, "Send").click();
    await vi.waitFor(() => expect(phone.actions).toContain("message 1002 l1 <i>reply</i>"));
    app.storeMessage({
      id: "m1",
      lineId: "l1",
      direction: "out",
      remote: "1002",
      text: "<i>reply</i>",
      at: 3000,
      status: "failed",
      failure: { kind: "rejected", sipCode: 480, reasonPhrase: "Temporarily Unavailable" },
      read: true,
    });
    await vi.waitFor(() => expect(text(el)).toContain("Not sent: the other side is not reachable right now (480)"));
  });

  it("a new message goes to the number typed; an immediate refusal is shown", async () => {
    const { el, phone } = await mountView();
    button(el, "New message").click();
    await el.updateComplete;
    phone.messageError = new PhoneError("A message needs some text", "bad-text");
    typeInto(control(el, "To"), "1003");
    typeInto(control<HTMLTextAreaElement>(el, "Message"), "x");
    await el.updateComplete;
    button(el, "Send").click();
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector('[role="alert"]')?.textContent).toBe("A message needs some text"));
    expect(phone.actions).toContain("message 1003 l1 x");
  });
});
