import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { IncomingRequestMessage } from "sip.js/lib/core/index.js";
import type { MemorySocket } from "../test-support/memory-peer.js";
import { sendOutOfDialog } from "../test-support/peer-requests.js";
import { setup, stop } from "../test-support/phone-harness.js";
import type { LineSnapshot } from "./line-state.js";
import { parseMessageSummary } from "./message-summary.js";

const SUMMARY = "application/simple-message-summary";

describe("parseMessageSummary (RFC 3842 5.2)", () => {
  it("reads the lamp and the voice counts, tolerantly", () => {
    expect(parseMessageSummary("Messages-Waiting: yes\r\nMessage-Account: sip:*97@pbx\r\nVoice-Message: 2/8 (1/0)\r\n")).toEqual({
      ok: true,
      state: { waiting: true, new: 2, old: 8 },
    });
    expect(parseMessageSummary("messages-waiting:NO\nvoice-message :  0 / 3\n")).toEqual({
      ok: true,
      state: { waiting: false, new: 0, old: 3 },
    });
    expect(parseMessageSummary("Messages-Waiting: no\r\n")).toEqual({ ok: true, state: { waiting: false, new: 0, old: 0 } });
    // Other classes are not voice; optional message headers after the blank line are not ours.
    expect(
      parseMessageSummary("Messages-Waiting: yes\r\nFax-Message: 4/4\r\nVoice-Message: 1/0\r\n\r\nTo: <sip:x@y>\r\nSubject: hi\r\n"),
    ).toEqual({
      ok: true,
      state: { waiting: true, new: 1, old: 0 },
    });
    // Counts without the (mandatory) lamp still mean what they say.
    expect(parseMessageSummary("Voice-Message: 3/1\r\n")).toEqual({ ok: true, state: { waiting: true, new: 3, old: 1 } });
  });

  it("refuses what is not a summary, and bounds the input", () => {
    for (const body of [
      "Messages-Waiting: perhaps\r\n",
      "Messages-Waiting: yes\r\nVoice-Message: lots\r\n",
      "Voice-Message: 2/99999999\r\n",
      "<b>hello</b>",
      "Subject: nothing\r\n",
      `Messages-Waiting: yes\r\nX-Pad: ${"a".repeat(5000)}\r\n`,
    ]) {
      expect(parseMessageSummary(body).ok, body.slice(0, 30)).toBe(false);
    }
  });
});

describe("voicemail on a line (message-summary NOTIFY, RFC 3842)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("an unsolicited NOTIFY sets the counts (200), a second clears them, a malformed one changes nothing", async () => {
    const { peer, phone } = await setup({ voicemailNumber: "*97" });
    const states: LineSnapshot[] = [];
    phone.on("line-state", (l) => states.push(l));
    const notify = (body: string) =>
      sendOutOfDialog(peer, "1001", "NOTIFY", {
        headers: ["Event: message-summary", "Subscription-State: active"],
        body,
        contentType: SUMMARY,
      });
    const first = notify("Messages-Waiting: yes\r\nVoice-Message: 2/8 (0/0)\r\n");
    await vi.advanceTimersByTimeAsync(50);
    expect(first.responses().map((r) => r.statusCode)).toEqual([200]);
    expect(phone.lines[0]).toMatchObject({ voicemail: { waiting: true, new: 2, old: 8 }, voicemailNumber: "*97" });
    expect(states.at(-1)?.voicemail).toEqual({ waiting: true, new: 2, old: 8 });

    const bad = notify("Messages-Waiting: yes\r\nVoice-Message: <script>alert(1)</script>\r\n");
    await vi.advanceTimersByTimeAsync(50);
    expect(bad.responses().map((r) => r.statusCode)).toEqual([200]);
    expect(phone.lines[0]?.voicemail).toEqual({ waiting: true, new: 2, old: 8 });
    const emitted = states.length;

    notify("Messages-Waiting: no\r\n");
    await vi.advanceTimersByTimeAsync(50);
    expect(phone.lines[0]?.voicemail).toEqual({ waiting: false, new: 0, old: 0 });
    expect(states.length).toBe(emitted + 1);
    // The same state again is no change: no event.
    notify("Messages-Waiting: no\r\nVoice-Message: 0/0\r\n");
    await vi.advanceTimersByTimeAsync(50);
    expect(states.length).toBe(emitted + 1);
    await stop(phone);
  });

  it("an out-of-dialog NOTIFY of another event package gets 489 Bad Event", async () => {
    const { peer, phone } = await setup();
    const other = sendOutOfDialog(peer, "1001", "NOTIFY", { headers: ["Event: presence"], body: "x", contentType: "application/pidf+xml" });
    await vi.advanceTimersByTimeAsync(50);
    expect(other.responses().map((r) => r.statusCode)).toEqual([489]);
    expect(phone.lines[0]?.voicemail).toBeUndefined();
    await stop(phone);
  });

  it("SUBSCRIBEs to its own AoR once registered; the NOTIFYs of the subscription set the counts", async () => {
    const { peer, phone } = await setup();
    const subscribes = peer.requests("SUBSCRIBE");
    expect(subscribes).toHaveLength(1);
    const sub = subscribes[0]!;
    expect(sub.ruri?.toString()).toBe("sip:1001@pbx.test");
    expect(sub.getHeader("event")).toBe("message-summary");
    expect(sub.getHeader("accept")).toBe(SUMMARY);
    const socket = [...peer.sockets][0]!;
    peer.reply(socket, sub, 200, ["Expires: 3600", "Contact: <sip:mwi@peer.test;transport=ws>"]);
    const notify = inDialogNotify(peer, socket, sub);
    notify(1, "active;expires=3600", "Messages-Waiting: yes\r\nVoice-Message: 1/4\r\n");
    await vi.advanceTimersByTimeAsync(50);
    expect(phone.lines[0]?.voicemail).toEqual({ waiting: true, new: 1, old: 4 });
    notify(2, "active;expires=3600", "Messages-Waiting: yes\r\nVoice-Message: 3/4\r\n");
    await vi.advanceTimersByTimeAsync(50);
    expect(phone.lines[0]?.voicemail).toEqual({ waiting: true, new: 3, old: 4 });
    const answers = peer.received.filter((m) => m.callId === sub.callId && "statusCode" in m && m.statusCode !== undefined);
    expect(answers.map((m) => (m as { statusCode: number }).statusCode)).toEqual([200, 200]);
    await stop(phone);
    // Stopping the line ends the subscription (Expires: 0) before the un-REGISTER goes.
    expect(peer.requests("SUBSCRIBE").at(-1)?.getHeader("expires")).toBe("0");
  });

  it("a phone starting many lines registers them all before it asks for their mailboxes", async () => {
    const { peer, phone } = await setup();
    const account = (id: string, user: string) => ({ id, sipUri: `sip:${user}@pbx.test`, password: "pw", servers: ["wss://pbx.test/ws"] });
    // Each SUBSCRIBE the peer gets, and whether every line was registered when it was sent.
    const subscribes: string[] = [];
    const rest = peer.onRequest;
    peer.onRequest = (req, socket) => {
      if (req.method === "SUBSCRIBE") subscribes.push(`${req.ruri?.user} ${phone.lines.every((l) => l.state === "registered")}`);
      rest?.(req, socket);
    };
    const users = ["1002", "1003", "1004", "1005"];
    phone.configure({ version: 1, accounts: [account("l1", "1001"), ...users.map((u, i) => account(`n${i}`, u))] });
    await vi.advanceTimersByTimeAsync(100);
    expect(phone.lines.map((l) => l.state)).toEqual(["registered", "registered", "registered", "registered", "registered"]);
    expect(subscribes.sort()).toEqual(users.map((u) => `${u} true`));
    await stop(phone);
  });

  it("sends the held SUBSCRIBEs of more lines than go in one task in the tasks after", async () => {
    const { peer, phone } = await setup();
    const users = Array.from({ length: 120 }, (_, i) => String(3000 + i));
    phone.configure({
      version: 1,
      accounts: users.map((u, i) => ({ id: `n${i}`, sipUri: `sip:${u}@pbx.test`, password: "pw", servers: ["wss://pbx.test/ws"] })),
    });
    await vi.advanceTimersByTimeAsync(200);
    expect(phone.lines.every((l) => l.state === "registered")).toBe(true);
    const asked = peer.requests("SUBSCRIBE").map((r) => r.ruri?.user);
    expect(asked.filter((u) => u !== "1001").sort()).toEqual(users);
    await stop(phone);
  });

  it("a server without MWI (489) is not asked again until the line registers anew", async () => {
    const { peer, phone } = await setup();
    const socket = [...peer.sockets][0]!;
    peer.reply(socket, peer.requests("SUBSCRIBE")[0]!, 489);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(peer.count("SUBSCRIBE")).toBe(1);
    // A new registration (server restart): one new attempt.
    peer.dropAll();
    await vi.advanceTimersByTimeAsync(5000);
    expect(phone.lines[0]?.state).toBe("registered");
    expect(peer.count("SUBSCRIBE")).toBe(2);
    await stop(phone);
  });

  it("an unanswered or failing SUBSCRIBE is retried a bounded number of times", async () => {
    const { peer, phone } = await setup();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(peer.count("SUBSCRIBE")).toBe(5);
    await stop(phone);
  });
});

/** NOTIFYs of the subscription `sub` from the peer (its To-tag is the 200's, ours the From-tag). */
function inDialogNotify(peer: Parameters<typeof sendOutOfDialog>[0], socket: MemorySocket, sub: IncomingRequestMessage) {
  const contact = /<([^>]+)>/.exec(sub.getHeader("contact") ?? "")?.[1] ?? "";
  return (cseq: number, state: string, body: string) => {
    const lines = [
      `NOTIFY ${contact} SIP/2.0`,
      `Via: SIP/2.0/WSS peer.test;branch=z9hG4bKn${cseq}${sub.callId}`,
      "Max-Forwards: 70",
      `From: <sip:1001@pbx.test>;tag=${peer.toTag(sub)}`,
      `To: ${sub.getHeader("from")}`,
      `Call-ID: ${sub.callId}`,
      `CSeq: ${cseq} NOTIFY`,
      "Contact: <sip:mwi@peer.test;transport=ws>",
      "Event: message-summary",
      `Subscription-State: ${state}`,
      `Content-Type: ${SUMMARY}`,
    ];
    peer.send(socket, `${lines.join("\r\n")}\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  };
}
