import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryPeer, PEER_SDP, PeerDialog } from "../test-support/memory-peer.js";
import { testPlatform } from "../test-support/test-platform.js";
import { ringtoneFor, tookRingtones } from "./alert-info-tone.js";
import { Phone } from "./phone.js";

describe("ringtoneFor: the tone a ringing call plays", () => {
  it("the line's ringtone, else the default", () => {
    expect(ringtoneFor({}, undefined, undefined)).toBe("classic");
    expect(ringtoneFor({ ringtone: "chime" }, undefined, false)).toBe("chime");
    expect(ringtoneFor({ ringtone: "file:abc" }, "external", undefined)).toBe("file:abc");
  });

  it("internal calls ring with the short double ring unless the line says otherwise", () => {
    expect(ringtoneFor({ ringtone: "chime" }, "internal", undefined)).toBe("internal");
    expect(ringtoneFor({ ringtone: "chime", alertTones: { internal: "european" } }, "internal", undefined)).toBe("european");
  });

  it("the caller being internal counts when there is no Alert-Info; Alert-Info wins when there is", () => {
    expect(ringtoneFor({}, undefined, true)).toBe("internal");
    expect(ringtoneFor({ alertTones: { external: "north-american" } }, "external", true)).toBe("north-american");
  });

  it("a PBX's patterns by name; unknown ones ring with the line's tone", () => {
    const line = { ringtone: "european", alertTones: { "bellcore-dr2": "north-american", sales: "file:f1" } };
    expect(ringtoneFor(line, "pattern:bellcore-dr2", undefined)).toBe("north-american");
    expect(ringtoneFor(line, "pattern:sales", undefined)).toBe("file:f1");
    expect(ringtoneFor(line, "pattern:bellcore-dr3", undefined)).toBe("european");
    // Names that are properties of every object are no tones.
    expect(ringtoneFor(line, "pattern:constructor", undefined)).toBe("european");
    expect(ringtoneFor(line, "pattern:__proto__", undefined)).toBe("european");
  });
});

describe("tookRingtones: a new ringtone applies without restarting the line", () => {
  it("only the ringing keys changed: copied onto the line's account", () => {
    const account = { id: "l1", sipUri: "sip:1001@pbx.test", ringtone: "chime", alertTones: { internal: "european" } };
    expect(tookRingtones(account, { ...account, ringtone: "file:f1" })).toBe(true);
    expect(account.ringtone).toBe("file:f1");
    const { alertTones: _gone, ...without } = account;
    expect(tookRingtones(account, without)).toBe(true);
    expect(account).not.toHaveProperty("alertTones");
  });

  it("anything else changed too: false, and the account untouched", () => {
    const account = { id: "l1", sipUri: "sip:1001@pbx.test", ringtone: "chime" };
    const moved = { ...account, sipUri: "sip:1002@pbx.test", ringtone: "european" };
    expect(tookRingtones(account, moved)).toBe(false);
    expect(account.ringtone).toBe("chime");
  });
});

describe("each line rings with its tone (Phone on the in-memory peer)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  async function twoLines() {
    const peer = new MemoryPeer();
    const platform = testPlatform(peer);
    const phone = new Phone({ platform, lineTiming: { keepAliveMs: 10 ** 9 }, preopenMicrophoneOnRing: false });
    peer.onRequest = (req, socket) => {
      if (req.method === "BYE" || req.method === "NOTIFY") peer.reply(socket, req, 200);
    };
    const server = ["wss://pbx.test/ws"];
    phone.configure({
      version: 1,
      accounts: [
        {
          id: "l1",
          sipUri: "sip:1001@pbx.test",
          password: "pw",
          servers: server,
          ringtone: "european",
          internalCallers: { extensionLength: 4 },
        },
        {
          id: "l2",
          sipUri: "sip:1004@pbx.test",
          password: "pw",
          servers: server,
          ringtone: "chime",
          alertTones: { "bellcore-dr2": "file:vip" },
        },
      ],
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(phone.lines.map((l) => l.state)).toEqual(["registered", "registered"]);
    return { peer, phone, played: platform.ringtonesPlayed, kinds: platform.tonesPlayed };
  }

  function call(peer: MemoryPeer, user: string, from: string, headers: string[] = []): PeerDialog {
    const contact = peer.contacts.get(user)!;
    const dialog = new PeerDialog(peer, contact.socket, contact.uri, `<sip:${from}@pbx.test>`, `<sip:${user}@pbx.test>`);
    dialog.invite = dialog.request("INVITE", headers, PEER_SDP);
    return dialog;
  }

  async function ringsWith(phone: Phone, played: (string | undefined)[], dialog: () => PeerDialog): Promise<string | undefined> {
    const before = played.length;
    dialog();
    await vi.advanceTimersByTimeAsync(100);
    const ringing = phone.calls.find((c) => c.state === "incoming");
    if (!ringing) throw new Error("no call rings");
    await phone.decline(ringing.id);
    await vi.advanceTimersByTimeAsync(100);
    expect(played.length).toBe(before + 1);
    return played[before];
  }

  it("line, Alert-Info and internal callers choose the tone; a second call during a call gets the call-waiting tone", async () => {
    const { peer, phone, played, kinds } = await twoLines();
    expect(await ringsWith(phone, played, () => call(peer, "1001", "+4930123456"))).toBe("european");
    expect(await ringsWith(phone, played, () => call(peer, "1004", "+4930123456"))).toBe("chime");
    // Internal by the line's internalCallers (4 digits), no Alert-Info.
    expect(await ringsWith(phone, played, () => call(peer, "1001", "2002"))).toBe("internal");
    // Alert-Info says external: the internal-callers rule does not apply.
    expect(await ringsWith(phone, played, () => call(peer, "1001", "2002", ["Alert-Info: <http://x>;info=alert-external"]))).toBe(
      "european",
    );
    expect(await ringsWith(phone, played, () => call(peer, "1004", "+4930123456", ["Alert-Info: <http://x>;info=alert-internal"]))).toBe(
      "internal",
    );
    expect(await ringsWith(phone, played, () => call(peer, "1004", "+4930123456", ["Alert-Info: <http://x>;info=Bellcore-dr2"]))).toBe(
      "file:vip",
    );

    // A call in progress: the next one gets the soft call-waiting tone, not a ringtone.
    const first = call(peer, "1001", "+4930123456");
    await vi.advanceTimersByTimeAsync(100);
    await phone.answer(phone.calls[0]!.id);
    await vi.advanceTimersByTimeAsync(50);
    first.confirm();
    await vi.advanceTimersByTimeAsync(50);
    const ringtones = played.length;
    call(peer, "1004", "+4930123456", ["Alert-Info: <http://x>;info=alert-internal"]);
    await vi.advanceTimersByTimeAsync(100);
    expect(kinds.at(-1)).toBe("callwaiting");
    expect(played.length).toBe(ringtones);
    const done = phone.dispose();
    await vi.advanceTimersByTimeAsync(3000);
    await done;
  });
});
