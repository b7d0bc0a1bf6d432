// Video calls: between two browsers (WebSocket to WebSocket, no bridge), video added and removed
// by re-INVITE, the other side's request for our video (asked, never acted on by itself), a
// video offer to an audio-only desk phone (baresip through rtpengine), and the screen shared in
// place of the camera. Chromium's fake camera and fake screen capture (browser.mjs flags).
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { USERS, wavRms } from "./bed/bed.mjs";
import { accountFor, el, eventually, hangupAll, openPhone, stats, waitForCall } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */

/** @type {import("./lib/session.mjs").DeskSession} */
let s;
/** @type {PhonePage} */
let alice;
/** @type {PhonePage} */
let bob;

before(async () => {
  s = await startSession({ desk: true });
  alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }), init: watchMedia });
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }), init: watchMedia });
});
afterEach(async () => {
  await hangupAll(alice, bob);
  await s.desk.command("hangup").catch(() => undefined);
  // Whatever a test did, no camera or screen capture outlives its call.
  for (const page of [alice, bob])
    await eventually(async () => (await liveVideoTracks(page)) === 0, { message: `${page.phoneName}: no live video track after hang-up` });
});
after(async () => {
  await stopSession(s);
});

/**
 * Records, in the page, every track getUserMedia/getDisplayMedia gave and every peer connection
 * made (the app looks both up at call time): what is live, and the connections' statistics.
 * An init script (openPhone's `init`): there before the standby connection is made.
 */
function watchMedia() {
  const w = /** @type {any} */ (window);
  w.__tracks = [];
  w.__pcs = [];
  const md = navigator.mediaDevices;
  const gum = md.getUserMedia.bind(md);
  md.getUserMedia = async (c) => {
    const stream = await gum(c);
    w.__tracks.push(...stream.getTracks());
    return stream;
  };
  const gdm = md.getDisplayMedia.bind(md);
  md.getDisplayMedia = async (c) => {
    const stream = await gdm(c);
    w.__tracks.push(...stream.getTracks());
    return stream;
  };
  const Original = RTCPeerConnection;
  w.RTCPeerConnection = class extends Original {
    /** @param {RTCConfiguration} [config] */
    constructor(config) {
      super(config);
      w.__pcs.push(this);
    }
  };
}

/**
 * Camera or screen tracks the page opened that are still live.
 * @param {PhonePage} page
 * @returns {Promise<number>}
 */
function liveVideoTracks(page) {
  return page.evaluate(
    () =>
      /** @type {MediaStreamTrack[]} */ (/** @type {any} */ (window).__tracks).filter((t) => t.kind === "video" && t.readyState === "live")
        .length,
  );
}

/**
 * Video frames decoded so far from what the other side sends (inbound-rtp, kind video), over
 * the page's open connections.
 * @param {PhonePage} page
 * @returns {Promise<number>}
 */
function framesDecoded(page) {
  return page.evaluate(async () => {
    let frames = 0;
    for (const pc of /** @type {RTCPeerConnection[]} */ (/** @type {any} */ (window).__pcs)) {
      if (pc.connectionState === "closed") continue;
      (await pc.getStats()).forEach((r) => {
        if (r.type === "inbound-rtp" && r.kind === "video") frames += r.framesDecoded ?? 0;
      });
    }
    return frames;
  });
}

/**
 * Waits until the page decodes at least `more` video frames beyond what it had.
 * @param {PhonePage} page
 * @param {number} [more]
 */
async function framesGrow(page, more = 20) {
  const before = await framesDecoded(page);
  return eventually(async () => (await framesDecoded(page)) >= before + more, {
    timeout: 15_000,
    message: `${page.phoneName}: video frames decoded`,
  });
}

/**
 * Audio RTP packets received keep growing on the call (never stopped by a video change).
 * @param {PhonePage} page
 * @param {string} callId
 * @param {number} since
 */
async function audioGrows(page, callId, since) {
  const x = await eventually(
    async () => {
      const st = await stats(page, callId);
      return st.packetsReceived > since + 25 && st;
    },
    { message: `${page.phoneName}: audio packets keep arriving` },
  );
  return x.packetsReceived;
}

/**
 * The SDP bodies in SIP messages the page received from `from` on (its WebSocket frames), in
 * order: the other side's offers and answers as they reached it.
 * @param {PhonePage} page
 * @param {number} from
 */
function sdpReceived(page, from) {
  return page.sipReceived
    .slice(from)
    .filter((m) => /\r\n\r\nv=0/.test(m))
    .map((m) => ({ firstLine: m.slice(0, m.indexOf("\r\n")), sdp: m.slice(m.indexOf("\r\n\r\n") + 4) }));
}

/**
 * The m=video line of an SDP and its direction, or undefined without one.
 * @param {string} sdp
 */
function videoOf(sdp) {
  const at = sdp.search(/^m=video /m);
  if (at < 0) return undefined;
  const section = sdp.slice(at).split(/\r\n(?=m=)/)[0];
  const port = Number(/^m=video (\d+)/.exec(section)?.[1]);
  const direction = /^a=(sendrecv|sendonly|recvonly|inactive)$/m.exec(section)?.[1] ?? "sendrecv";
  return { port, direction };
}

/**
 * Alice calls bob (audio, or video with `video`); bob answers as told. Returns both call ids.
 * @param {{ video?: boolean, answerVideo?: boolean }} [options]
 */
async function connect({ video = false, answerVideo = false } = {}) {
  const aliceId = await el(alice, (e, a) => e.dial(a.target, { video: a.video }), { target: USERS.bob.user, video });
  const incoming = await waitForCall(bob, (c) => c.state === "incoming");
  await el(bob, (e, a) => e.answer(a.id, { video: a.video }), { id: incoming.id, video: answerVideo });
  await waitForCall(alice, (c) => c.state === "established");
  await waitForCall(bob, (c) => c.state === "established");
  return { aliceId, bobId: incoming.id };
}

test("a video call between two browsers: video frames decoded on both sides, audio flows too; cameras closed after hang-up", async () => {
  const aliceId = await el(alice, (e) => e.dial("1002", { video: true }));
  // The incoming call asks for video: the answer decides, nothing opened bob's camera meanwhile.
  const incoming = await waitForCall(bob, (c) => c.state === "incoming" && c.video?.requested === true);
  assert.equal(await liveVideoTracks(bob), 0, "bob's camera stays closed while the call rings");
  await el(bob, (e, id) => e.answer(id, { video: true }), incoming.id);
  await waitForCall(alice, (c) => c.state === "established" && c.video?.local === true && c.video?.remote === true);
  await waitForCall(bob, (c) => c.state === "established" && c.video?.local === true && c.video?.remote === true);
  await Promise.all([framesGrow(alice), framesGrow(bob)]);
  await Promise.all([audioGrows(alice, aliceId, 0), audioGrows(bob, incoming.id, 0)]);
  // And the pages show them: the call's video area plays the other side's picture and our own.
  for (const page of [alice, bob])
    await eventually(
      () =>
        page.evaluate(() => {
          const area = document
            .querySelector("sip-phone")
            ?.shadowRoot?.querySelector("sip-call-panel")
            ?.shadowRoot?.querySelector("sip-call-video");
          const shown = (/** @type {string} */ cls) =>
            /** @type {HTMLVideoElement | null | undefined} */ (area?.shadowRoot?.querySelector(`video.${cls}`))?.videoWidth ?? 0;
          return shown("remote") > 0 && shown("self") > 0;
        }),
      { message: `${page.phoneName}: the remote picture and the self-view are on screen` },
    );
  // The offer bob received had video both ways.
  const offer = sdpReceived(bob, 0).find((m) => m.firstLine.startsWith("INVITE"));
  assert.deepEqual(offer && videoOf(offer.sdp)?.direction, "sendrecv");
  await el(alice, (e, id) => e.hangup(id), aliceId);
  for (const page of [alice, bob])
    await eventually(async () => (await liveVideoTracks(page)) === 0, { message: `${page.phoneName}: camera closed at hang-up` });
});

test("video added by re-INVITE, the other side asked (camera closed until it accepts), then removed; audio never stops", async () => {
  const sipAlice = alice.sipReceived.length;
  const sipBob = bob.sipReceived.length;
  const { aliceId, bobId } = await connect();
  // An audio call offers no video at all.
  const first = sdpReceived(bob, sipBob).find((m) => m.firstLine.startsWith("INVITE"));
  assert.ok(first && !videoOf(first.sdp), "an audio call's INVITE has no m=video");
  let audioA = await audioGrows(alice, aliceId, 0);
  let audioB = await audioGrows(bob, bobId, 0);

  // Alice turns her camera on: a re-INVITE with a video stream.
  const beforeAdd = { a: alice.sipReceived.length, b: bob.sipReceived.length };
  await el(alice, (e, id) => e.setVideo(id, true), aliceId);
  const asked = await waitForCall(bob, (c, id) => c.id === id && c.video?.requested === true && c.video.remote === true, { arg: bobId });
  assert.equal(asked.video?.local, false);
  // Until bob says yes his camera is not opened, and his answer did not send video.
  assert.equal(await liveVideoTracks(bob), 0, "bob's camera not opened by alice's request");
  const reinvite = sdpReceived(bob, beforeAdd.b).find((m) => m.firstLine.startsWith("INVITE"));
  assert.ok(reinvite, "bob received alice's re-INVITE");
  assert.ok((videoOf(reinvite.sdp)?.port ?? 0) > 0, "the re-INVITE offers video with a port");
  assert.equal(videoOf(reinvite.sdp)?.direction, "sendrecv");
  const answer = sdpReceived(alice, beforeAdd.a).find((m) => m.firstLine.startsWith("SIP/2.0 200"));
  assert.ok(answer, "alice received the 200 with bob's answer");
  assert.equal(videoOf(answer.sdp)?.direction, "recvonly", "bob answers receive-only: nothing of his sent without his yes");
  await framesGrow(bob);
  audioB = await audioGrows(bob, bobId, audioB);

  // Bob accepts: his camera opens, his re-INVITE sends it.
  await el(bob, (e, id) => e.acceptVideo(id), bobId);
  await waitForCall(bob, (c, id) => c.id === id && c.video?.local === true && c.video.remote === true && !c.video.requested, {
    arg: bobId,
  });
  await waitForCall(alice, (c, id) => c.id === id && c.video?.local === true && c.video.remote === true, { arg: aliceId });
  assert.equal(await liveVideoTracks(bob), 1, "bob's camera is open now");
  await Promise.all([framesGrow(alice), framesGrow(bob)]);
  audioA = await audioGrows(alice, aliceId, audioA);

  // Alice removes video: port 0 both ways, both cameras closed, the call and its audio go on.
  const beforeRemove = { a: alice.sipReceived.length, b: bob.sipReceived.length };
  await el(alice, (e, id) => e.setVideo(id, false), aliceId);
  await waitForCall(alice, (c, id) => c.id === id && c.state === "established" && !c.video?.local && !c.video?.remote, { arg: aliceId });
  await waitForCall(bob, (c, id) => c.id === id && c.state === "established" && !c.video?.local && !c.video?.remote, { arg: bobId });
  const removal = sdpReceived(bob, beforeRemove.b).find((m) => m.firstLine.startsWith("INVITE"));
  assert.equal(removal && videoOf(removal.sdp)?.port, 0, "bob received m=video with port 0");
  const removalAnswer = sdpReceived(alice, beforeRemove.a).find((m) => m.firstLine.startsWith("SIP/2.0 200"));
  assert.equal(removalAnswer && videoOf(removalAnswer.sdp)?.port, 0, "alice received m=video with port 0 in the answer");
  for (const page of [alice, bob])
    await eventually(async () => (await liveVideoTracks(page)) === 0, {
      message: `${page.phoneName}: camera closed when video was removed`,
    });
  await audioGrows(alice, aliceId, audioA);
  await audioGrows(bob, bobId, audioB);
  assert.ok(sipAlice <= alice.sipReceived.length);
});

test("bob declines alice's request for his video: alice's video still shows, bob's camera stays closed", async () => {
  const { aliceId, bobId } = await connect();
  await el(alice, (e, id) => e.setVideo(id, true), aliceId);
  await waitForCall(bob, (c, id) => c.id === id && c.video?.requested === true, { arg: bobId });
  await el(bob, (e, id) => e.declineVideo(id), bobId);
  await waitForCall(bob, (c, id) => c.id === id && c.video?.requested === false && c.video.remote === true, { arg: bobId });
  await framesGrow(bob);
  assert.equal(await liveVideoTracks(bob), 0);
});

test("a video offer to an audio-only desk phone: an audio call, audio both ways, the answer's m=video port 0, camera closed", async () => {
  const sipBefore = alice.sipReceived.length;
  const dumps = () => readdirSync(s.desk.dumpDir).filter((f) => f.endsWith("-dec.wav"));
  const dumpsBefore = new Set(dumps());
  const callId = await el(alice, (e) => e.dial("2001", { video: true }));
  await waitForCall(alice, (c) => c.state === "established");
  await eventually(() => /Call established|call established/i.test(s.desk.log), { message: "baresip established" });
  const ok = sdpReceived(alice, sipBefore).find((m) => m.firstLine.startsWith("SIP/2.0 200"));
  assert.ok(ok, "alice received the 200 with an answer");
  assert.equal(videoOf(ok.sdp)?.port, 0, "the desk phone refused the video stream (port 0)");
  const first = await audioGrows(alice, callId, 0);
  await audioGrows(alice, callId, first);
  const st = await stats(alice, callId);
  assert.ok(st.packetsSent > 0 && st.totalAudioEnergy > 0, "the desk phone's audio heard in the browser");
  // And ours at the desk phone: baresip decoded a second of it, not silence.
  const dump = await eventually(() => dumps().find((f) => !dumpsBefore.has(f)), { message: "baresip decoded-audio dump" });
  const heard = await eventually(
    () => {
      const r = wavRms(join(s.desk.dumpDir, dump));
      return r.samples > 8000 && r;
    },
    { message: "a second of audio decoded at baresip" },
  );
  assert.ok(heard.rms > 0.005, `baresip decoded the browser's audio (RMS ${heard.rms.toFixed(4)})`);
  const call = await waitForCall(alice, (c, id) => c.id === id, { arg: callId });
  assert.equal(call.video?.local, false);
  assert.equal(call.video?.remote, false);
  const transceivers = await alice.evaluate(() =>
    /** @type {RTCPeerConnection[]} */ (/** @type {any} */ (window).__pcs)
      .filter((pc) => pc.connectionState !== "closed")
      .flatMap((pc) => pc.getTransceivers().map((t) => `${t.mid} ${t.direction}/${t.currentDirection} ${t.sender.track?.readyState}`)),
  );
  const seen = sdpReceived(alice, sipBefore).map((m) => `${m.firstLine} video ${JSON.stringify(videoOf(m.sdp))}`);
  await eventually(async () => (await liveVideoTracks(alice)) === 0, {
    message: `alice's camera closed once the desk phone refused video (transceivers ${transceivers.join("; ")}; SDP received: ${seen.join("; ")})`,
  });
});

test("the screen shared in place of the camera: replaceTrack, no re-INVITE, frames keep arriving; back to the camera", async () => {
  const aliceId = await el(alice, (e) => e.dial("1002", { video: true }));
  const incoming = await waitForCall(bob, (c) => c.state === "incoming");
  await el(bob, (e, id) => e.answer(id, { video: true }), incoming.id);
  await waitForCall(bob, (c) => c.state === "established" && c.video?.remote === true);
  await framesGrow(bob);
  const invitesBefore = bob.sipReceived.filter((m) => m.startsWith("INVITE ")).length;
  await el(alice, (e, id) => e.shareScreen(id, true), aliceId);
  await waitForCall(alice, (c, id) => c.id === id && c.video?.screen === true && c.video.local === true, { arg: aliceId });
  const sent = await alice.evaluate(() => {
    const tracks = /** @type {MediaStreamTrack[]} */ (/** @type {any} */ (window).__tracks);
    return tracks.filter((t) => t.kind === "video" && t.readyState === "live").map((t) => t.label);
  });
  assert.equal(sent.length, 1, "only the screen capture is live (the camera closed)");
  assert.match(sent[0] ?? "", /screen/i);
  await framesGrow(bob);
  assert.equal(bob.sipReceived.filter((m) => m.startsWith("INVITE ")).length, invitesBefore, "no re-INVITE: the track was replaced");
  await el(alice, (e, id) => e.shareScreen(id, false), aliceId);
  await waitForCall(alice, (c, id) => c.id === id && c.video?.screen === false && c.video.local === true, { arg: aliceId });
  await framesGrow(bob);
});

/**
 * Video RTP packets received so far (inbound-rtp, kind video) over the page's open connections.
 * @param {PhonePage} page
 * @returns {Promise<number>}
 */
function videoPacketsIn(page) {
  return page.evaluate(async () => {
    let packets = 0;
    for (const pc of /** @type {RTCPeerConnection[]} */ (/** @type {any} */ (window).__pcs)) {
      if (pc.connectionState === "closed") continue;
      (await pc.getStats()).forEach((r) => {
        if (r.type === "inbound-rtp" && r.kind === "video") packets += r.packetsReceived ?? 0;
      });
    }
    return packets;
  });
}

test("a video call on hold: our picture stops reaching the held party, the camera stays ours; resumed, it flows again", async () => {
  const { aliceId } = await connect({ video: true, answerVideo: true });
  await Promise.all([framesGrow(alice), framesGrow(bob)]);
  const mark = bob.sipReceived.length;
  await el(alice, (e, id) => e.hold(id), aliceId);
  await waitForCall(alice, (c, id) => c.id === id && c.held === true, { arg: aliceId });
  const offer = sdpReceived(bob, mark).find((m) => m.firstLine.startsWith("INVITE"));
  assert.equal(offer && videoOf(offer.sdp)?.direction, "sendonly", "the hold's re-INVITE says sendonly for video");
  // The offer alone would let alice's camera flow on (sendonly): nothing of it reaches bob.
  // Packets already on their way may still land: the count must stand still once they have.
  const still = await eventually(
    async () => {
      const a = await videoPacketsIn(bob);
      await new Promise((r) => setTimeout(r, 1000));
      return (await videoPacketsIn(bob)) === a && a;
    },
    { timeout: 8000, message: "bob receives no video from alice while she holds" },
  );
  assert.ok(still > 0);
  assert.ok((await liveVideoTracks(alice)) > 0, "alice's camera stays hers while held (self-view)");
  await el(alice, (e, id) => e.unhold(id), aliceId);
  await waitForCall(alice, (c, id) => c.id === id && c.held === false, { arg: aliceId });
  await eventually(async () => (await videoPacketsIn(bob)) > still + 20, { timeout: 10_000, message: "alice's video reaches bob again" });
  await framesGrow(bob);
});
