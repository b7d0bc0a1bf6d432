// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { ARM_MS, type ConfirmQuestion } from "./confirm-request.js";
import "./confirm-request.js";
import { button } from "./test-support/dom.js";

afterEach(() => {
  document.body.replaceChildren();
  vi.useRealTimers();
});

const QUESTION: ConfirmQuestion = {
  heading: "Call this number?",
  note: "A link asked the phone to call.",
  rows: [["Number", "+4315056410"]],
  items: ["one change"],
  action: "Call",
};

async function mount(question = QUESTION) {
  vi.useFakeTimers();
  const el = document.createElement("sip-confirm-request");
  el.question = question;
  const answers: boolean[] = [];
  el.addEventListener("confirm-answer", (e) => answers.push(e.detail));
  document.body.append(el);
  await el.updateComplete;
  return { el, answers };
}

describe("<sip-confirm-request>", () => {
  it("shows the question as an alert dialog: heading, note, details and list", async () => {
    const { el } = await mount();
    const dialog = el.shadowRoot!.querySelector('[role="alertdialog"]')!;
    expect(dialog.querySelector("#heading")!.textContent).toBe("Call this number?");
    expect(dialog.getAttribute("aria-labelledby")).toBe("heading");
    expect(dialog.querySelector("#note")!.textContent).toBe("A link asked the phone to call.");
    expect(dialog.querySelector("dt")!.textContent).toBe("Number");
    expect(dialog.querySelector("dd")!.textContent).toBe("+4315056410");
    expect(dialog.querySelector("li")!.textContent).toBe("one change");
  });

  it("arms the yes button after a moment, then focuses it; a click says yes", async () => {
    const { el, answers } = await mount();
    expect(button(el, "Call").disabled).toBe(true);
    await vi.advanceTimersByTimeAsync(ARM_MS);
    await el.updateComplete;
    expect(button(el, "Call").disabled).toBe(false);
    expect(el.shadowRoot!.activeElement).toBe(button(el, "Call"));
    button(el, "Call").click();
    expect(answers).toEqual([true]);
  });

  it("Cancel and Esc (anywhere in the window) say no; Esc stops once it is gone", async () => {
    const { el, answers } = await mount();
    button(el, "Cancel").click();
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(answers).toEqual([false, false]);
    el.remove();
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(answers).toEqual([false, false]);
  });

  it("a new question is armed afresh", async () => {
    const { el } = await mount();
    await vi.advanceTimersByTimeAsync(ARM_MS);
    el.question = { ...QUESTION, heading: "Another?" };
    await el.updateComplete;
    expect(button(el, "Call").disabled).toBe(true);
  });
});
