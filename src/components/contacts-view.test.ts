// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import "./contacts-view.js";
import type { SipContacts } from "./contacts-view.js";
import type { Contact } from "../storage/contacts-store.js";
import { button, buttonNames, control, typeInto } from "./test-support/dom.js";
import { FakeApp } from "./test-support/fake-app.js";
import { FakePhone, mountWith, text } from "./test-support/fake-phone.js";
import { loadViewWords } from "../i18n/languages.js";

afterEach(() => document.body.replaceChildren());

const bob: Contact = {
  id: "ct-bob",
  name: "Bob Builder",
  numbers: [
    { label: "work", number: "1002" },
    { label: "mobile", number: "+43 660 1234567" },
  ],
  notes: "Ask for the site office",
};
const ann: Contact = { id: "ct-ann", name: "Ann", numbers: [{ label: "home", number: "1003" }] };

async function mountContacts(contacts: Contact[] = []) {
  const phone = new FakePhone();
  const app = new FakeApp();
  app.contacts = contacts;
  const el = await mountWith<SipContacts>("sip-contacts", { phone, app });
  if (contacts.length) await vi.waitFor(() => expect(el.shadowRoot!.querySelectorAll("li")).toHaveLength(contacts.length));
  return { el, phone, app };
}

/** The contacts as listed: name, what each button says, notes. */
function listed(el: SipContacts): string[] {
  return [...el.shadowRoot!.querySelectorAll("li")].map((li) =>
    [
      li.querySelector(".name")!.textContent,
      ...[...li.querySelectorAll("button")].map((b) => b.textContent),
      li.querySelector(".notes")?.textContent,
    ]
      .filter((t) => t !== undefined)
      .map((t) => t!.replace(/\s+/g, " ").trim())
      .join(" | "),
  );
}

const form = (el: SipContacts) => el.shadowRoot!.querySelector("form")!;

/** Types into a field and lets the form re-render, as between two keystrokes of a user. */
async function fill(el: SipContacts, label: string, value: string) {
  typeInto(control<HTMLInputElement | HTMLTextAreaElement>(el, label), value);
  await el.updateComplete;
}

async function submit(el: SipContacts) {
  await el.updateComplete;
  form(el).requestSubmit();
  await el.updateComplete;
}

// This test renders a view's components without the phone: their words (src/i18n/en-views.ts)
// are loaded as phone-views.ts loads them with the view.
beforeAll(() => loadViewWords());

describe("<sip-contacts>", () => {
  it("shows the busy lamp of a watched number beside it, as text", async () => {
    const { el, phone } = await mountContacts([bob]);
    expect(el.shadowRoot!.querySelector(".lamp")).toBeNull();
    phone.lamp({ target: "1002", lineId: "l1", state: "busy" });
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector(".lamp.busy")?.textContent).toBe("Busy"));
  });

  it("with no contacts says so", async () => {
    const { el } = await mountContacts();
    await vi.waitFor(() => expect(text(el)).toContain("No contacts yet."));
  });

  it("lists each contact with its numbers and notes, and calls a number when clicked", async () => {
    const { el, phone } = await mountContacts([bob, ann]);
    expect(listed(el)).toEqual([
      "Ann | home: 1003 | Edit",
      "Bob Builder | work: 1002 | mobile: +43 660 1234567 | Edit | Ask for the site office",
    ]);
    expect(text(el)).not.toContain("No contacts yet.");
    button(el, "Call Bob Builder mobile +43 660 1234567").click();
    expect(phone.actions).toEqual(["dial +43 660 1234567"]);
  });

  it("a call the phone refuses shows why", async () => {
    const { el, phone } = await mountContacts([ann]);
    phone.dialError = new Error("No line is registered");
    button(el, "Call Ann home 1003").click();
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector('[role="alert"]')?.textContent).toBe("No line is registered"));
  });

  it("a new contact needs a name and a number, and is saved trimmed", async () => {
    const { el, app } = await mountContacts();
    button(el, "Add contact").click();
    await el.updateComplete;
    await submit(el);
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).toBe("Enter a name");
    await fill(el, "Name", "  Carol  ");
    await submit(el);
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).toBe("Enter at least one number");
    await fill(el, "Number 1", " 1004 ");
    await fill(el, "Label of number 1", " ");
    button(el, "Add number").click();
    await el.updateComplete;
    expect(control(el, "Label of number 2").value).toBe("mobile");
    await fill(el, "Notes", "  front desk  ");
    await submit(el);
    await vi.waitFor(() => expect(listed(el)).toEqual(["Carol | phone: 1004 | Edit | front desk"]));
    expect(app.actions).toHaveLength(1);
    const [method, saved] = app.actions[0]!;
    expect(method).toBe("saveContact");
    expect(saved).toEqual({
      id: expect.stringMatching(/^ct-/),
      name: "Carol",
      numbers: [{ label: "phone", number: "1004" }],
      notes: "front desk",
    });
    expect(form(el)).toBeNull();
  });

  it("edits a contact: remove a number, change the name; the list is not touched until saved", async () => {
    const { el, app } = await mountContacts([bob]);
    button(el, "Edit Bob Builder").click();
    await el.updateComplete;
    expect(control(el, "Name").value).toBe("Bob Builder");
    expect(control(el, "Number 2").value).toBe("+43 660 1234567");
    button(el, "Remove number 1").click();
    await el.updateComplete;
    await fill(el, "Name", "Robert");
    button(el, "Cancel").click();
    await el.updateComplete;
    expect(listed(el)[0]).toMatch(/^Bob Builder \| work: 1002 \| mobile/);
    expect(app.actions).toEqual([]);

    button(el, "Edit Bob Builder").click();
    await el.updateComplete;
    button(el, "Remove number 1").click();
    await el.updateComplete;
    await fill(el, "Name", "Robert");
    await submit(el);
    await vi.waitFor(() => expect(listed(el)).toEqual(["Robert | mobile: +43 660 1234567 | Edit | Ask for the site office"]));
    expect(app.actions).toEqual([["saveContact", { ...bob, name: "Robert", numbers: [{ label: "mobile", number: "+43 660 1234567" }] }]]);
  });

  it("deletes a saved contact; a new one has nothing to delete", async () => {
    const { el, app } = await mountContacts([bob, ann]);
    button(el, "Add contact").click();
    await el.updateComplete;
    expect(buttonNames(el)).not.toContain("Delete");
    button(el, "Cancel").click();
    await el.updateComplete;
    button(el, "Edit Ann").click();
    await el.updateComplete;
    button(el, "Delete").click();
    await vi.waitFor(() => expect(listed(el)).toHaveLength(1));
    expect(listed(el)[0]).toMatch(/^Bob Builder/);
    expect(app.actions).toEqual([["deleteContact", "ct-ann"]]);
  });

  it("a contact that cannot be stored keeps the form open and says why", async () => {
    const { el, app } = await mountContacts([ann]);
    app.fail("saveContact", new Error("The browser's storage is full"));
    button(el, "Edit Ann").click();
    await el.updateComplete;
    await submit(el);
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector('[role="alert"]')?.textContent).toBe("The browser's storage is full"));
    expect(form(el)).not.toBeNull();
  });

  it("follows changes made elsewhere (another tab) and stops listening when removed", async () => {
    const { el, app } = await mountContacts([ann]);
    app.contacts = [ann, bob];
    app.fire("contacts-changed", undefined);
    await vi.waitFor(() => expect(listed(el)).toHaveLength(2));
    expect(app.listenerCount()).toBe(1);
    el.remove();
    expect(app.listenerCount()).toBe(0);
  });

  it("a validation message does not stay after the form closes (Cancel, or Delete)", async () => {
    const { el } = await mountContacts([ann]);
    const alertText = () => el.shadowRoot!.querySelector('[role="alert"]')?.textContent;
    button(el, "Add contact").click();
    await el.updateComplete;
    await submit(el);
    expect(alertText()).toBe("Enter a name");
    button(el, "Cancel").click();
    await el.updateComplete;
    expect(form(el)).toBeNull();
    expect(alertText()).toBeUndefined();

    button(el, "Edit Ann").click();
    await el.updateComplete;
    expect(alertText()).toBeUndefined();
    await fill(el, "Name", " ");
    await submit(el);
    expect(alertText()).toBe("Enter a name");
    button(el, "Delete").click();
    await vi.waitFor(() => expect(form(el)).toBeNull());
    await el.updateComplete;
    expect(alertText()).toBeUndefined();
  });

  it("a contact list that cannot be read, or a contact that cannot be deleted, says why", async () => {
    const app = new FakeApp();
    app.contacts = [ann];
    app.fail("listContacts", new DOMException("The operation failed for reasons unrelated to the database itself", "UnknownError"));
    const el = await mountWith<SipContacts>("sip-contacts", { phone: new FakePhone(), app });
    const alertText = () => el.shadowRoot!.querySelector('[role="alert"]')?.textContent;
    await vi.waitFor(() =>
      expect(alertText()).toBe("Could not read the contacts: The browser refused to open its storage (private window or disk problem)"),
    );
    // Not read is not empty.
    expect(text(el)).not.toContain("No contacts yet.");

    // The next read that works lists them, and the sentence goes.
    app.fire("contacts-changed", undefined);
    await vi.waitFor(() => expect(listed(el)).toEqual(["Ann | home: 1003 | Edit"]));
    expect(alertText()).toBeUndefined();

    app.fail("deleteContact", new Error("The database connection is closing."));
    button(el, "Edit Ann").click();
    await el.updateComplete;
    await fill(el, "Name", "Annie");
    button(el, "Delete").click();
    // Named as saved, not as half-edited.
    await vi.waitFor(() => expect(alertText()).toBe("Could not delete Ann: The database connection is closing."));
    expect(form(el)).not.toBeNull();
    expect(app.contacts).toEqual([ann]);
  });
});
