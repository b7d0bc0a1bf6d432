// Standby legs and prepared answers (issue 17): a registered phone keeps a peer connection with
// its offer and ICE ready but no microphone; dial() sends that offer and opens the microphone
// meanwhile. A ringing call's answer is prepared (ICE and DTLS may start) with nothing sent
// before the user answers.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { USERS } from "./bed/bed.mjs";
import { accountFor, el, eventually, hangupAll, stats, waitForCall, waitForLineState } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").Page} Page */
/**
 * What observe() adds to a page.
 * @typedef {Window & { __media: () => { micTracks: number, standby: { ufrag: string | undefined }[] } }} ObservedWindow
 */

/** @type {import("./lib/session.mjs").Session} */
let s;
/** @type {Page & { sent: string[], received: string[] }} */
let alice;
/** @type {Page & { sent: string[], received: string[] }} */
let bob;

/**
 * Installed before the app: counts live microphone tracks (every getUserMedia) and lists the
 * peer connections that hold an offer of ours not yet answered (the standby legs).
 */
function observe() {
  const w = /** @type {ObservedWindow} */ (/** @type {unknown} */ (window));
  /** @type {Set<MediaStreamTrack>} */
  const tracks = new Set();
  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (c) => {
    const stream = await gum(c);
    for (const t of stream.getAudioTracks()) tracks.add(t);
    return stream;
  };
  /** @type {Set<RTCPeerConnection>} */
  const pcs = new Set();
  const PC = window.RTCPeerConnection;
  /** @param {ConstructorParameters<typeof RTCPeerConnection>} args */
  const counted = function (...args) {
    const pc = new PC(...args);
    pcs.add(pc);
    return pc;
  };
  counted.prototype = PC.prototype;
  window.RTCPeerConnection = /** @type {typeof RTCPeerConnection} */ (/** @type {unknown} */ (counted));
  w.__media = () => ({
    micTracks: [...tracks].filter((t) => t.readyState === "live").length,
    standby: [...pcs]
      .filter((pc) => pc.signalingState === "have-local-offer")
      .map((pc) => ({ ufrag: /^a=ice-ufrag:(\S+)/m.exec(pc.localDescription?.sdp ?? "")?.[1] })),
  });
}

/**
 * A registered phone page with observe() installed and its WebSocket frames kept.
 * @param {import("./bed/bed.mjs").BedUser} user
 */
async function open(user) {
  const context = await s.browser.newContext({ ignoreHTTPSErrors: true });
  // The user allowed the microphone for the site: a standby leg's INVITE need not wait for it.
  await context.grantPermissions(["microphone"]);
  await context.addInitScript(observe);
  const page = Object.assign(await context.newPage(), { sent: /** @type {string[]} */ ([]), received: /** @type {string[]} */ ([]) });
  page.on("websocket", (ws) => {
    ws.on("framesent", (f) => page.sent.push(String(f.payload)));
    ws.on("framereceived", (f) => page.received.push(String(f.payload)));
  });
  await page.goto(s.appUrl);
  await page.waitForFunction(() => customElements.get("sip-phone") !== undefined);
  await el(page, (e, c) => e.configure(c), accountFor(user, { server: s.wss }));
  await waitForLineState(page, "registered");
  return page;
}

/** @param {Page} page */
const media = (page) => page.evaluate(() => /** @type {ObservedWindow} */ (/** @type {unknown} */ (window)).__media());

before(async () => {
  s = await startSession();
  alice = await open(USERS.alice);
  bob = await open(USERS.bob);
});
afterEach(async () => {
  await hangupAll(alice, bob);
});
after(async () => {
  await stopSession(s);
});

test("a registered phone keeps a standby leg (offer and ICE ready) and no microphone open", async () => {
  const m = await eventually(
    async () => {
      const now = await media(alice);
      return now.standby.length === 1 && now;
    },
    { message: "one standby leg on alice" },
  );
  assert.equal(m.micTracks, 0, "no microphone open while idle");
});

test("dial() sends the standby leg's offer; the microphone opens for the call; audio both ways; after hangup no microphone, a new leg", async () => {
  const before = await eventually(
    async () => {
      const now = await media(alice);
      return now.standby.length === 1 && now.standby[0].ufrag && now;
    },
    { message: "a standby leg with its offer" },
  );
  const ufrag = before.standby[0].ufrag;
  alice.sent.length = 0;
  const id = await el(alice, (e) => e.dial("1002"));
  const invite = await eventually(() => alice.sent.find((f) => f.startsWith("INVITE ")), { message: "the INVITE" });
  assert.match(invite, new RegExp(`^a=ice-ufrag:${ufrag}\\r?$`, "m"), "the INVITE carries the standby leg's offer");
  assert.match(invite, /^a=sendrecv\r?$/m);
  const incoming = await waitForCall(bob, (c) => c.state === "incoming");
  await el(bob, (e, callId) => e.answer(callId), incoming.id);
  await waitForCall(alice, (c, callId) => c.id === callId && c.state === "established", { arg: id });
  // Audio both ways: packets and sound (the fake microphone's tone) at each end.
  await eventually(
    async () => {
      const [a, b] = [await stats(alice, id), await stats(bob, incoming.id)];
      return a.packetsReceived > 20 && b.packetsReceived > 20 && a.totalAudioEnergy > 0 && b.totalAudioEnergy > 0;
    },
    { message: "audio both ways" },
  );
  assert.ok((await media(alice)).micTracks >= 1, "the call's microphone, opened after the INVITE");
  await hangupAll(alice, bob);
  const idle = await eventually(
    async () => {
      const now = await media(alice);
      return now.micTracks === 0 && now.standby.length === 1 && now;
    },
    { message: "microphone closed and a new standby leg" },
  );
  assert.notEqual(idle.standby[0].ufrag, ufrag, "a new leg, not the one the call took");
});

test("a prepared answer sends nothing before the 200 OK; audio both ways after", async () => {
  alice.received.length = 0;
  const id = await el(alice, (e) => e.dial("1002"));
  const incoming = await waitForCall(bob, (c) => c.state === "incoming");
  // The answer is prepared while it rings: bob's connection for the call holds our answer.
  await eventually(async () => (await stats(bob, incoming.id)) !== undefined, { message: "bob's connection for the ringing call" });
  // Rings a while, long enough for ICE and DTLS to finish if they started.
  await new Promise((r) => setTimeout(r, 1500));
  const ringingAtBob = await stats(bob, incoming.id);
  const ringingAtAlice = await stats(alice, id);
  assert.equal(ringingAtBob.packetsSent, 0, "bob sent no RTP before answering");
  assert.equal(ringingAtAlice.packetsReceived, 0, "alice received no RTP before the 200 OK");
  assert.ok(!alice.received.some((f) => /^SIP\/2\.0 200 /.test(f) && /^CSeq: \d+ INVITE/m.test(f)), "no 200 to the INVITE yet");
  await el(bob, (e, callId) => e.answer(callId), incoming.id);
  await waitForCall(alice, (c, callId) => c.id === callId && c.state === "established", { arg: id });
  const ok = alice.received.find((f) => /^SIP\/2\.0 200 /.test(f) && /^CSeq: \d+ INVITE/m.test(f));
  assert.ok(ok, "the 200 OK reached alice");
  assert.match(ok, /^a=sendrecv\r?$/m, "the prepared answer sends and receives");
  assert.match(ok, /^a=setup:passive\r?$/m, "DTLS waits for the caller's hello (forking: docs/performance.md)");
  await eventually(
    async () => {
      const [a, b] = [await stats(alice, id), await stats(bob, incoming.id)];
      return a.packetsReceived > 20 && b.packetsReceived > 20 && a.totalAudioEnergy > 0 && b.totalAudioEnergy > 0;
    },
    { message: "audio both ways after the answer" },
  );
});

test("a ringing call declined: its prepared connection and microphone are gone, nothing was sent", async () => {
  const id = await el(alice, (e) => e.dial("1002"));
  const incoming = await waitForCall(bob, (c) => c.state === "incoming");
  await eventually(async () => (await stats(bob, incoming.id)) !== undefined, { message: "bob's connection for the ringing call" });
  assert.equal((await stats(alice, id)).packetsReceived, 0);
  await el(bob, (e, callId) => e.decline(callId), incoming.id);
  await eventually(async () => (await media(bob)).micTracks === 0, { message: "bob's microphone closed" });
  await eventually(async () => (await media(alice)).micTracks === 0, { message: "alice's microphone closed" });
});
