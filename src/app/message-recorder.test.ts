// IndexedDB in Node (fake-indexeddb): the real storage code, no mocks of it.
import "fake-indexeddb/auto";
import { beforeEach, describe, expect, it } from "vitest";
import type { WaitingMessage } from "../sip/api/messaging.js";
import { clearMessages, recentMessages, saveMessage, type StoredMessage } from "../storage/message-store.js";
import { MessageRecorder, storedMessage } from "./message-recorder.js";

const out = (id: string, at: number, status: string, patch: Partial<StoredMessage> = {}): StoredMessage => ({
  id,
  lineId: "l1",
  direction: "out",
  remote: "1002",
  remoteUri: "sip:1002@pbx.test",
  text: `text ${id}`,
  at,
  status,
  read: true,
  ...patch,
});

describe("MessageRecorder.settleLeftovers (a closed leader's outgoing messages)", () => {
  beforeEach(async () => clearMessages());

  it("queued ones are resumed oldest first; half-sent and address-less ones fail as interrupted", async () => {
    await saveMessage(out("q2", 20, "queued"));
    await saveMessage(out("q1", 10, "queued"));
    await saveMessage(out("s1", 15, "sending"));
    await saveMessage(out("old", 5, "queued", { remoteUri: undefined }));
    await saveMessage(out("done", 1, "delivered"));
    const resumed: WaitingMessage[][] = [];
    const recorder = new MessageRecorder({ saved: () => undefined, failed: (e) => expect.fail(e.message) });
    expect(await recorder.settleLeftovers((w) => resumed.push(w))).toBe(2);
    expect(resumed).toHaveLength(1);
    expect(resumed[0]!.map((m) => [m.id, m.at, m.remoteUri])).toEqual([
      ["q1", 10, "sip:1002@pbx.test"],
      ["q2", 20, "sip:1002@pbx.test"],
    ]);
    const byId = new Map((await recentMessages(10)).map((m) => [m.id, m]));
    expect(byId.get("s1")).toMatchObject({ status: "failed", failure: { kind: "interrupted" } });
    expect(byId.get("old")).toMatchObject({ status: "failed", failure: { kind: "interrupted" } });
    expect(byId.get("q1")?.status).toBe("queued");
    expect(byId.get("done")?.status).toBe("delivered");
  });

  it("nothing left: resume is not called", async () => {
    await saveMessage(out("done", 1, "delivered"));
    let called = false;
    const recorder = new MessageRecorder({ saved: () => undefined, failed: () => undefined });
    expect(await recorder.settleLeftovers(() => (called = true))).toBe(0);
    expect(called).toBe(false);
  });

  it("an outgoing record keeps the address it goes to; an incoming one does not need it", () => {
    const base = { id: "x", lineId: "l1", remote: "1002", remoteUri: "sip:1002@pbx.test", text: "t", at: 1 } as const;
    expect(storedMessage({ ...base, direction: "out", status: "queued" }).remoteUri).toBe("sip:1002@pbx.test");
    expect(storedMessage({ ...base, direction: "in", status: "received" }).remoteUri).toBeUndefined();
  });
});
