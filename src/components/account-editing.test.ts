import { describe, expect, it, vi } from "vitest";
import { AccountEditing } from "./account-editing.js";

// The form's module cannot be loaded (a deployment replaced its chunk, the network is down).
vi.mock("./account-form.js", () => {
  throw new Error("chunk gone");
});

/** A host that renders (calls load(), as SipPhone.willUpdate does) whenever it is asked to repaint. */
function host() {
  const notices: string[] = [];
  let renders = 0;
  const h = {
    language: "en",
    editing: undefined as AccountEditing | undefined,
    requestUpdate() {
      renders++;
      if (renders < 1000) queueMicrotask(() => h.editing?.load());
    },
    showNotice(text: string) {
      notices.push(text);
      h.requestUpdate();
    },
  };
  return { h, notices, renders: () => renders };
}

describe("AccountEditing", () => {
  it("a form module that fails to load is said once, not tried again at every render; opening the form again retries", async () => {
    const { h, notices, renders } = host();
    const editing = new AccountEditing(h, async () => undefined);
    h.editing = editing;
    editing.editing = true;
    await vi.waitFor(() => expect(notices).toHaveLength(1));
    // That nothing more comes can only be watched for a while: the loop it guards against made
    // hundreds of notices within a few milliseconds.
    await new Promise((r) => setTimeout(r, 50));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^Could not load the account form: /);
    expect(renders()).toBeLessThan(10);

    editing.editing = false;
    editing.editing = true;
    await vi.waitFor(() => expect(notices).toHaveLength(2));
    await new Promise((r) => setTimeout(r, 50));
    expect(notices).toHaveLength(2);
  });
});
