// @vitest-environment happy-dom
import { LitElement, html } from "lit";
import { afterEach, describe, expect, it } from "vitest";
import { LineState } from "../sip/api/line-state.js";
import { FrameGate } from "./frame-gate.js";
import { PhoneStateController } from "./phone-state-controller.js";
import { FakePhone, mount } from "./test-support/fake-phone.js";
import { ManualClock } from "./test-support/manual-clock.js";

const clock = new ManualClock();

/** A component that shows the lines and counts its renders. */
class LinesShown extends LitElement {
  readonly phone = new PhoneStateController(this, new FrameGate(clock));
  renders = 0;
  override render() {
    this.renders++;
    return html`${this.phone.lines.map((l) => html`<p>${l.label} ${l.state}</p>`)}${this.phone.calls.length} calls`;
  }
}
customElements.define("test-lines-shown", LinesShown);

/** Lets tasks queued so far run (each line event of the phone comes in a task of its own). */
const nextTask = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  document.body.replaceChildren();
  clock.isHidden = false;
  clock.frame();
});

describe("PhoneStateController", () => {
  it("renders the lines once a frame, however many line events came in their own tasks", async () => {
    const phone = new FakePhone();
    const el = await mount<LinesShown>("test-lines-shown", phone);
    const before = el.renders;
    for (const state of [LineState.Connecting, LineState.Registering, LineState.Registered, LineState.Registering, LineState.Registered]) {
      phone.setLine({ state });
      await nextTask();
    }
    expect(el.renders).toBe(before);
    const done = el.updateComplete;
    clock.frame();
    await done;
    expect(el.renders).toBe(before + 1);
    expect(el.shadowRoot!.textContent).toContain("Alice registered");
  });

  it("keeps updateComplete meaning rendered while the update waits for its frame", async () => {
    const phone = new FakePhone();
    const el = await mount<LinesShown>("test-lines-shown", phone);
    phone.setLine({ label: "Bob" });
    const done = el.updateComplete.then(() => el.shadowRoot!.textContent);
    await nextTask();
    expect(el.shadowRoot!.textContent).not.toContain("Bob");
    clock.frame();
    expect(await done).toContain("Bob");
  });

  it("does not hold back an update for a call", async () => {
    const phone = new FakePhone();
    const el = await mount<LinesShown>("test-lines-shown", phone);
    phone.setCall({});
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).toContain("1 calls");
    expect(clock.frames).toHaveLength(0);
  });

  it("renders at once on a hidden page, which gets no frames", async () => {
    const phone = new FakePhone();
    const el = await mount<LinesShown>("test-lines-shown", phone);
    clock.isHidden = true;
    phone.setLine({ label: "Carol" });
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).toContain("Carol");
  });
});
