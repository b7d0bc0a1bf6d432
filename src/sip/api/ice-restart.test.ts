import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PEER_SDP } from "../test-support/memory-peer.js";
import { establishedIncoming, onInvite, PEER_CONTACT, setup, stop } from "../test-support/phone-harness.js";
import { FakeMediaHandler } from "../test-support/test-platform.js";

/** What the phone asked the platform to watch: one entry per established call. */
interface Watched {
  restart: (stillNeeded: () => boolean) => Promise<void>;
  first: boolean | undefined;
  stopped: boolean;
}

/** The phone with a platform that watches calls' connections (recorded, never restarting by itself). */
async function watchedPhone() {
  const watched: Watched[] = [];
  const harness = await setup(
    {},
    {
      // A connection to watch: the fake handler has none, and the phone watches only a real one.
      sdhFactory: () => () => Object.assign(new FakeMediaHandler(), { peerConnection: {} as RTCPeerConnection }),
      watchConnection: (_pc, restart, options) => {
        const entry: Watched = { restart, first: options?.first, stopped: false };
        watched.push(entry);
        return () => void (entry.stopped = true);
      },
    },
  );
  return { ...harness, watched };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("ICE restart wiring", () => {
  it("the call we placed restarts first, a call we answered second; the watch stops when the call ends", async () => {
    const { peer, phone, watched } = await watchedPhone();
    onInvite(peer, (req, socket) => peer.reply(socket, req, 200, [PEER_CONTACT], PEER_SDP));
    const out = await phone.dial("1002");
    await vi.advanceTimersByTimeAsync(100);
    expect(watched.map((w) => w.first)).toEqual([true]);
    await phone.hangup(out);
    await vi.advanceTimersByTimeAsync(100);
    expect(watched.map((w) => w.stopped)).toEqual([true]);
    const { callId } = await establishedIncoming(peer, phone);
    expect(watched.map((w) => w.first)).toEqual([true, false]);
    await phone.hangup(callId);
    await vi.advanceTimersByTimeAsync(100);
    expect(watched.map((w) => w.stopped)).toEqual([true, true]);
    await stop(phone);
  });

  it("a restart that crossed the other side's (491) is not retried once the path is back", async () => {
    const { peer, phone, watched } = await watchedPhone();
    const reinvites: number[] = [];
    onInvite(peer, (req, socket) => {
      if (!req.toTag) return peer.reply(socket, req, 200, [PEER_CONTACT], PEER_SDP);
      reinvites.push(Date.now());
      peer.reply(socket, req, 491);
    });
    await phone.dial("1002");
    await vi.advanceTimersByTimeAsync(100);
    let needed = true;
    const restarting = watched[0]!.restart(() => needed);
    await vi.advanceTimersByTimeAsync(50);
    expect(reinvites).toHaveLength(1);
    // The other side's own restart renewed the path meanwhile.
    needed = false;
    await vi.advanceTimersByTimeAsync(5000);
    await restarting;
    expect(reinvites).toHaveLength(1);
    expect(phone.calls[0]?.state).toBe("established");

    // Still needed: the 491 is retried after the RFC 3261 14.1 delay (2.1-4 s each), as for any re-INVITE.
    needed = true;
    const again = watched[0]!.restart(() => needed);
    await vi.advanceTimersByTimeAsync(10_000);
    await again;
    expect(reinvites).toHaveLength(3);
    await stop(phone);
  });
});
