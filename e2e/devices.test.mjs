// Audio devices with Chromium's fake devices (--use-fake-device-for-media-stream lists "Fake
// Audio Input 1" and "2" besides the default, and "Fake Audio Output 1" and "2"): the microphone
// switched mid-call (RTCRtpSender.replaceTrack: RTP goes on, the other side sees no re-INVITE),
// voice processing changed mid-call, the call's and the ringtone's outputs (setSinkId), a
// chosen device this browser does not have (the default, with a notice), and the choice kept.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { USERS } from "./bed/bed.mjs";
import { accountFor, el, eventually, hangupAll, openPhone, stats, waitForCall, waitForLineState } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */
/** @typedef {import("./lib/sip-phone-api.mjs").AudioDeviceList} AudioDeviceList */
/** @typedef {import("./lib/sip-phone-api.mjs").AudioDeviceNotice} AudioDeviceNotice */

/** @type {import("./lib/session.mjs").Session} */
let s;
/** @type {PhonePage} */
let alice;
/** @type {PhonePage} */
let bob;

/**
 * What the page's media objects are doing, seen from outside the phone: every peer connection,
 * media element, AudioContext and microphone track made from now on is noted (observed only: the
 * real objects, nothing replaced).
 * @typedef {{ pcs: RTCPeerConnection[], elements: Set<HTMLMediaElement>, contexts: (AudioContext & { sinkId?: unknown })[],
 *   mics: MediaStreamTrack[], notices: AudioDeviceNotice[] }} Seen
 */

/** An init script (openPhone's `init`): in every document, before the phone's code runs. */
function observe() {
  const w = /** @type {{ seen?: Seen } & typeof globalThis} */ (/** @type {unknown} */ (window));
  if (w.seen) return;
  /** @type {Seen} */
  const seen = (w.seen = { pcs: [], elements: new Set(), contexts: [], mics: [], notices: [] });
  const NativePc = RTCPeerConnection;
  w.RTCPeerConnection = class extends NativePc {
    /** @param {RTCConfiguration} [c] */
    constructor(c) {
      super(c);
      seen.pcs.push(this);
    }
  };
  const NativeCtx = AudioContext;
  w.AudioContext = class extends NativeCtx {
    /** @param {AudioContextOptions} [o] */
    constructor(o) {
      super(o);
      seen.contexts.push(this);
    }
  };
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    seen.elements.add(this);
    return play.call(this);
  };
  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (c) => {
    const stream = await gum(c);
    seen.mics.push(...stream.getAudioTracks());
    return stream;
  };
  // The element's events bubble out of it (composed): heard before it exists.
  window.addEventListener("audio-device", (e) => seen.notices.push(/** @type {CustomEvent} */ (e).detail));
}

/**
 * The microphone each open connection sends, with its voice processing, and the connections' signalling.
 * @param {PhonePage} page
 */
function sending(page) {
  return page.evaluate(() => {
    const seen = /** @type {{ seen: Seen }} */ (/** @type {unknown} */ (window)).seen;
    return seen.pcs
      .filter((pc) => pc.connectionState !== "closed" && pc.signalingState !== "closed")
      .flatMap((pc) => pc.getSenders().map((x) => ({ pc, track: x.track })))
      .filter(({ track }) => track?.kind === "audio")
      .map(({ pc, track }) => {
        const t = /** @type {MediaStreamTrack} */ (track);
        const { deviceId, echoCancellation, noiseSuppression, autoGainControl } = t.getSettings();
        return {
          label: t.label,
          deviceId,
          echoCancellation,
          noiseSuppression,
          autoGainControl,
          live: t.readyState === "live",
          signaling: pc.signalingState,
        };
      });
  });
}

/**
 * Output devices: of the elements playing a call, and of the tones' AudioContexts.
 * @param {PhonePage} page
 */
function outputs(page) {
  return page.evaluate(() => {
    const seen = /** @type {{ seen: Seen }} */ (/** @type {unknown} */ (window)).seen;
    return {
      elements: [...seen.elements].filter((e) => e.srcObject).map((e) => ({ sinkId: e.sinkId, volume: e.volume })),
      contexts: seen.contexts.filter((c) => c.state !== "closed").map((c) => String(c.sinkId ?? "")),
    };
  });
}

/** @param {PhonePage} page */
function notices(page) {
  return page.evaluate(() => /** @type {{ seen: Seen }} */ (/** @type {unknown} */ (window)).seen.notices);
}

/** @param {PhonePage} page @returns {Promise<AudioDeviceList>} */
function devices(page) {
  return el(page, (e) => e.audioDevices());
}

/**
 * A device by its fake name ("Fake Audio Input 2").
 * @param {AudioDeviceList} list
 * @param {string} label
 */
function idOf(list, label) {
  const found = list.devices.find((d) => d.label === label);
  assert.ok(found, `${label} in ${JSON.stringify(list.devices.map((d) => d.label))}`);
  return found.id;
}

/** INVITEs (initial or re-) the page has received. @param {PhonePage} page */
function invitesReceived(page) {
  return page.sipReceived.filter((m) => m.startsWith("INVITE ")).length;
}

/** alice calls bob, bob answers: both calls' ids. */
async function connect() {
  const aliceCall = await el(alice, (e) => e.dial("1002"));
  const incoming = await waitForCall(bob, (c) => c.state === "incoming");
  await el(bob, (e, id) => e.answer(id), incoming.id);
  await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: aliceCall });
  await waitForCall(bob, (c, id) => c.id === id && c.state === "established", { arg: incoming.id });
  return { aliceCall, bobCall: incoming.id };
}

/**
 * RTP keeps going from alice to bob: alice sends and bob receives `n` more packets from now.
 * @param {{ aliceCall: string, bobCall: string }} call
 * @param {number} n
 */
async function rtpGoesOn({ aliceCall, bobCall }, n = 50) {
  const [sent, received] = [(await stats(alice, aliceCall)).packetsSent, (await stats(bob, bobCall)).packetsReceived];
  await eventually(
    async () => (await stats(alice, aliceCall)).packetsSent > sent + n && (await stats(bob, bobCall)).packetsReceived > received + n,
    { message: `${n} more packets sent by alice and received by bob` },
  );
}

before(async () => {
  s = await startSession();
  alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }), init: observe });
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }), init: observe });
});
afterEach(async () => {
  await hangupAll(alice, bob);
});
after(async () => {
  await stopSession(s);
});

test("the microphone switched mid-call: RTP goes on both ways, the other side gets no re-INVITE", async () => {
  const call = await connect();
  const list = await devices(alice);
  const inputs = list.devices.filter((d) => d.kind === "audioinput" && d.id !== "default");
  assert.ok(inputs.length >= 2, `two fake microphones besides the default: ${JSON.stringify(list.devices)}`);
  assert.deepEqual(list.outputs, { speaker: true, ringer: true }, "Chromium lets the phone choose both outputs");
  assert.deepEqual(
    (await sending(alice)).map((x) => x.deviceId),
    ["default"],
  );

  const second = idOf(list, "Fake Audio Input 2");
  const invitesBefore = invitesReceived(bob);
  await el(alice, (e, id) => e.setAudio({ microphone: id }), second);
  const now = await sending(alice);
  assert.deepEqual(
    now.map((x) => [x.label, x.deviceId, x.live, x.signaling]),
    [["Fake Audio Input 2", second, true, "stable"]],
    "the call's sender carries the new microphone; no offer was made",
  );
  await rtpGoesOn(call);
  const heard = (await stats(bob, call.bobCall)).totalAudioEnergy;
  await eventually(async () => (await stats(bob, call.bobCall)).totalAudioEnergy > heard, { message: "bob still hears alice" });
  assert.equal(invitesReceived(bob), invitesBefore, "no re-INVITE reached bob");
  // The old microphone is closed: only the call's own track is open.
  const open = await alice.evaluate(() =>
    /** @type {{ seen: Seen }} */ (/** @type {unknown} */ (window)).seen.mics.filter((t) => t.readyState === "live").map((t) => t.label),
  );
  assert.deepEqual(open, ["Fake Audio Input 2"]);
});

test("voice processing turned off mid-call shows in the track's settings, without a re-INVITE", async () => {
  const call = await connect();
  const invitesBefore = invitesReceived(bob);
  await el(alice, (e) => e.setAudio({ echoCancellation: false, noiseSuppression: false, autoGainControl: false }));
  const [now] = await sending(alice);
  assert.deepEqual(
    { ec: now?.echoCancellation, ns: now?.noiseSuppression, agc: now?.autoGainControl, live: now?.live },
    { ec: false, ns: false, agc: false, live: true },
  );
  // Still the microphone chosen in the test before: the choice is kept.
  assert.equal(now?.label, "Fake Audio Input 2");
  await rtpGoesOn(call);
  await el(alice, (e) => e.setAudio({ echoCancellation: true, noiseSuppression: true, autoGainControl: true }));
  const [back] = await sending(alice);
  assert.deepEqual([back?.echoCancellation, back?.noiseSuppression, back?.autoGainControl], [true, true, true]);
  await rtpGoesOn(call);
  assert.equal(invitesReceived(bob), invitesBefore, "no re-INVITE reached bob");
});

test("a later call, dialled from the dialpad on the standby leg, uses the chosen microphone; none stays open after", async () => {
  const first = idOf(await devices(alice), "Fake Audio Input 1");
  await el(alice, (e, id) => e.setAudio({ microphone: id }), first);
  await alice.getByLabel("Number to call").fill("1002");
  // The standby leg opened while typing has the chosen microphone.
  await eventually(async () => (await sending(alice)).some((x) => x.deviceId === first), {
    message: "the standby leg on Fake Audio Input 1",
  });
  await alice.getByRole("button", { name: "Call", exact: true }).click();
  const incoming = await waitForCall(bob, (c) => c.state === "incoming");
  await el(bob, (e, id) => e.answer(id), incoming.id);
  await waitForCall(alice, (c) => c.state === "established");
  assert.deepEqual(
    (await sending(alice)).map((x) => x.label),
    ["Fake Audio Input 1"],
  );
  await hangupAll(alice, bob);
  const open = await alice.evaluate(
    () => /** @type {{ seen: Seen }} */ (/** @type {unknown} */ (window)).seen.mics.filter((t) => t.readyState === "live").length,
  );
  assert.equal(open, 0, "no microphone open once the call is over");
});

test("the call's output and the ringer's: setSinkId on what plays them; a missing device falls back to the default with a notice", async () => {
  const list = await devices(bob);
  const [out1, out2] = [idOf(list, "Fake Audio Output 1"), idOf(list, "Fake Audio Output 2")];
  await el(bob, (e, ids) => e.setAudio({ speaker: ids[0], ringer: ids[1], callVolume: 0.8 }), [out1, out2]);
  const aliceCall = await el(alice, (e) => e.dial("1002"));
  const incoming = await waitForCall(bob, (c) => c.state === "incoming");
  // The ringtone's AudioContext rings on the ringer.
  await eventually(async () => (await outputs(bob)).contexts.includes(out2), { message: "a tone context on Fake Audio Output 2" });
  await el(bob, (e, id) => e.answer(id), incoming.id);
  await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: aliceCall });
  await eventually(async () => JSON.stringify((await outputs(bob)).elements) === JSON.stringify([{ sinkId: out1, volume: 0.8 }]), {
    message: "the call plays on Fake Audio Output 1 at 80 %",
  });

  // Mid-call to the other output.
  await el(bob, (e, id) => e.setAudio({ speaker: id }), out2);
  assert.deepEqual((await outputs(bob)).elements, [{ sinkId: out2, volume: 0.8 }]);

  // An id this browser does not have (another machine's, a device gone): the default, and said so.
  const gone = "f".repeat(64);
  await el(bob, (e, id) => e.setAudio({ speaker: id }), gone);
  assert.deepEqual((await outputs(bob)).elements, [{ sinkId: "", volume: 0.8 }]);
  const said = await eventually(async () => (await notices(bob)).find((n) => n.role === "speaker" && n.deviceId === gone), {
    message: "an audio-device notice",
  });
  assert.equal(said.state, "unavailable");
  assert.match(said.message, /call output is not available: calls play on the default output/);
  assert.deepEqual((await devices(bob)).unavailable, ["speaker"]);
  await el(bob, (e) => e.setAudio({ speaker: "", ringer: "", callVolume: 1 }));
});

test("a chosen microphone this browser does not have: the call starts on the default one and RTP flows; the choice is kept across a reload", async () => {
  const gone = "e".repeat(64);
  await el(alice, (e, id) => e.setAudio({ microphone: id }), gone);
  const said = await eventually(async () => (await notices(alice)).find((n) => n.role === "microphone" && n.deviceId === gone), {
    message: "an audio-device notice for the microphone",
  });
  assert.equal(said.state, "unavailable");
  const call = await connect();
  assert.deepEqual(
    (await sending(alice)).map((x) => x.deviceId),
    ["default"],
  );
  await rtpGoesOn(call);
  await hangupAll(alice, bob);

  const kept = idOf(await devices(alice), "Fake Audio Input 2");
  await el(alice, (e, id) => e.setAudio({ microphone: id, ringVolume: 0.3 }), kept);
  await alice.reload();
  await waitForLineState(alice, "registered");
  const after = await devices(alice);
  assert.equal(after.settings.microphone, kept);
  assert.equal(after.settings.ringVolume, 0.3);
  // The new document has its observers again (an init script of alice's context).
});

test("Settings → Audio in the page: the fake devices by name, a choice kept, the microphone's level moving while tested", async () => {
  await alice.getByRole("tab", { name: "Settings" }).click();
  const mic = alice.getByLabel("Microphone", { exact: true });
  await eventually(async () => (await mic.locator("option").allTextContents()).includes("Fake Audio Input 1"), {
    message: "the fake microphones listed by name",
  });
  await mic.selectOption({ label: "Fake Audio Input 1" });
  const first = idOf(await devices(alice), "Fake Audio Input 1");
  await eventually(async () => (await devices(alice)).settings.microphone === first, { message: "the choice applied" });
  assert.equal(await alice.getByLabel("Call audio").isDisabled(), false, "Chromium lets the page choose the call's output");

  await alice.getByRole("button", { name: "Test microphone" }).click();
  const meter = alice.getByLabel("Microphone level");
  await eventually(async () => Number(await meter.evaluate((m) => /** @type {HTMLMeterElement} */ (m).value)) > 0.01, {
    message: "the fake microphone's beep on the meter",
  });
  await alice.getByRole("button", { name: "Stop test" }).click();
  const open = await alice.evaluate(
    () => /** @type {{ seen: Seen }} */ (/** @type {unknown} */ (window)).seen.mics.filter((t) => t.readyState === "live").length,
  );
  assert.equal(open, 0, "the test's microphone is closed when it stops");
  await alice.getByRole("button", { name: "Test ringer" }).click();
  await el(alice, (e) => e.showView("phone"));
});
