import { expect, vi } from "vitest";
import type { IncomingRequestMessage } from "sip.js/lib/core/index.js";
import type { CallSnapshot } from "../api/call-state.js";
import { Phone } from "../api/phone.js";
import type { PhonePlatform } from "../api/platform.js";
import { MemoryPeer, type MemorySocket } from "./memory-peer.js";
import { testPlatform } from "./test-platform.js";

/**
 * A Phone on the in-memory SIP peer, for unit tests of its policies: real SIP.js on our side,
 * SIP.js's parser on the peer's, the production WebSocket flow between them, fake media.
 * Tests use fake timers (vi.useFakeTimers) and assert on what the peer received (the wire).
 */
export const PEER_CONTACT = "Contact: <sip:1002@peer.test;transport=ws>";

/** `platformPatch`: what a test changes on the platform before the phone is made with it. */
export async function setup(account: Record<string, unknown> = {}, platformPatch: Partial<PhonePlatform> = {}) {
  const peer = new MemoryPeer();
  const platform = Object.assign(testPlatform(peer), platformPatch);
  const phone = new Phone({ platform, lineTiming: { keepAliveMs: 10 ** 9 }, preopenMicrophoneOnRing: false });
  const incoming: CallSnapshot[] = [];
  phone.on("incoming-call", (c) => incoming.push(c));
  // Requests the tests do not script: answered as a proxy and far end would.
  peer.onRequest = (req, socket) => {
    if (req.method === "NOTIFY" || req.method === "BYE") peer.reply(socket, req, 200);
  };
  phone.configure({
    version: 1,
    accounts: [{ id: "l1", sipUri: "sip:1001@pbx.test", password: "pw", servers: ["wss://pbx.test/ws"], ...account }],
  });
  await vi.advanceTimersByTimeAsync(100);
  expect(phone.lines[0]?.state).toBe("registered");
  return { peer, phone, platform, incoming };
}

/** dispose() waits (bounded) for the un-REGISTERs: let the fake clock run meanwhile. */
export async function stop(phone: Phone) {
  const done = phone.dispose();
  await vi.advanceTimersByTimeAsync(3000);
  await done;
}

/** Answers the phone's INVITEs with `answer` (and passes other methods to `rest`). */
export function onInvite(peer: MemoryPeer, answer: (req: IncomingRequestMessage, socket: MemorySocket) => void) {
  const rest = peer.onRequest;
  peer.onRequest = (req, socket) => (req.method === "INVITE" ? answer(req, socket) : rest?.(req, socket));
}

/** A call from the peer to the phone, answered by the phone and confirmed by the peer. */
export async function establishedIncoming(peer: MemoryPeer, phone: Phone) {
  const dialog = peer.invite("1001");
  await vi.advanceTimersByTimeAsync(50);
  const call = phone.calls[0]!;
  await phone.answer(call.id);
  await vi.advanceTimersByTimeAsync(50);
  dialog.confirm();
  await vi.advanceTimersByTimeAsync(50);
  expect(phone.calls[0]?.state).toBe("established");
  return { dialog, callId: call.id };
}
