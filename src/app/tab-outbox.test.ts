import { describe, expect, it } from "vitest";
import { LineState, type LineSnapshot } from "../sip/api/line-state.js";
import { TabOutbox, withLines, type LinesMessage } from "./tab-outbox.js";

const line = (id: string, state: LineState): LineSnapshot => ({ id, label: id, aor: `sip:${id}@x`, state, server: "wss://x" });

type Other = { t: "event"; name: string };

/** An outbox whose "next task" runs when the test says. */
function outbox() {
  const sent: Array<Other | LinesMessage> = [];
  const soon: Array<() => void> = [];
  const box = new TabOutbox<Other>(
    (m) => sent.push(m),
    (cb) => soon.push(cb),
  );
  const nextTask = () => soon.splice(0).forEach((cb) => cb());
  return { box, sent, soon, nextTask };
}

describe("TabOutbox", () => {
  it("sends the line events of a task together, in order, in the next task", () => {
    const { box, sent, soon, nextTask } = outbox();
    box.line(line("a", LineState.Registering));
    box.line(line("b", LineState.Connecting));
    box.line(line("a", LineState.Registered));
    expect(sent).toEqual([]);
    expect(soon).toHaveLength(1);
    nextTask();
    expect(sent).toEqual([
      { t: "lines", lines: [line("a", LineState.Registering), line("b", LineState.Connecting), line("a", LineState.Registered)] },
    ]);
    nextTask();
    expect(sent).toHaveLength(1);
  });

  it("sends waiting line events before any other message, which goes at once", () => {
    const { box, sent, nextTask } = outbox();
    box.line(line("a", LineState.Registered));
    box.post({ t: "event", name: "call-state" });
    expect(sent).toEqual([
      { t: "lines", lines: [line("a", LineState.Registered)] },
      { t: "event", name: "call-state" },
    ]);
    // Line events after it still go, with the task already asked for.
    box.line(line("b", LineState.Registered));
    nextTask();
    expect(sent.at(-1)).toEqual({ t: "lines", lines: [line("b", LineState.Registered)] });
  });
});

describe("withLines", () => {
  it("replaces each line by its latest snapshot in place and adds new lines at the end", () => {
    const before = [line("a", LineState.Connecting), line("b", LineState.Connecting)];
    const after = withLines(before, [line("c", LineState.Connecting), line("b", LineState.Registered), line("c", LineState.Registered)]);
    expect(after).toEqual([line("a", LineState.Connecting), line("b", LineState.Registered), line("c", LineState.Registered)]);
    expect(before.map((l) => l.state)).toEqual([LineState.Connecting, LineState.Connecting]);
  });
});
