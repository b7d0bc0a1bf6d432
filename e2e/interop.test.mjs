// Interop with the ways real peers behave (issue 13): early media and ringback, a 180 without
// Contact, offer/answer edge cases, the four hold forms, dead peers, as sipp scenarios on the
// trunk (3xxx through Kamailio and rtpengine; UAC scenarios call the browser).
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Sipp, USERS, writeToneWav } from "./bed/bed.mjs";
import { RtpSink } from "./bed/rtp.mjs";
import { accountFor, el, eventually, hangupAll, nextEnded, openPhone, stats, waitForCall, waitForPhone } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */
/** @typedef {import("./lib/sip-phone-api.mjs").CallSnapshot} CallSnapshot */

/** @type {import("./lib/session.mjs").Session} */
let s;
/** @type {PhonePage} */
let alice;
/** @type {PhonePage} */
let bob;
before(async () => {
  s = await startSession();
  alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }) });
  await watchTones(alice);
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
});
afterEach(async () => {
  await hangupAll(alice, bob);
});
after(async () => {
  await stopSession(s);
});

/**
 * Records the Web Audio tones the page plays (the phone's ringback, ringtone...: looped buffer
 * sources, see src/sip/platform/web/tones.ts), so a test can tell which play now.
 * @param {PhonePage} page
 */
async function watchTones(page) {
  await page.evaluate(() => {
    const w = /** @type {{ tonesOn?: Set<AudioBufferSourceNode> }} */ (/** @type {unknown} */ (window));
    const on = (w.tonesOn = new Set());
    const proto = AudioBufferSourceNode.prototype;
    const start = proto.start;
    const stop = proto.stop;
    proto.start = function (...args) {
      on.add(this);
      return start.apply(this, args);
    };
    proto.stop = function (...args) {
      on.delete(this);
      return stop.apply(this, args);
    };
  });
}

/**
 * Whether the ringback tone plays now (its pattern is one 6 s cycle: 2 s on, 4 s off).
 * @param {PhonePage} page
 */
function ringbackPlays(page) {
  return page.evaluate(() => {
    const w = /** @type {{ tonesOn?: Set<AudioBufferSourceNode> }} */ (/** @type {unknown} */ (window));
    return [...(w.tonesOn ?? [])].some((n) => Math.round(n.buffer?.duration ?? 0) === 6);
  });
}

/**
 * Waits until the call's received audio grows by `packets` with energy in it, and returns the stats.
 * @param {PhonePage} page
 * @param {string} callId
 * @param {{ packets?: number, message?: string, timeout?: number }} [options]
 */
async function hears(page, callId, { packets = 50, message = "audio heard", timeout = 10_000 } = {}) {
  const before = await stats(page, callId);
  return eventually(
    async () => {
      const x = await stats(page, callId);
      return x.packetsReceived >= before.packetsReceived + packets && x.totalAudioEnergy > before.totalAudioEnergy && x;
    },
    { message, timeout },
  );
}

/**
 * The call's snapshot now.
 * @param {PhonePage} page
 * @param {string} callId
 * @returns {Promise<CallSnapshot | undefined>}
 */
function callNow(page, callId) {
  return el(page, (e, id) => e.calls.find((c) => c.id === id), callId);
}

let sippRuns = 0;

/**
 * Runs one sipp scenario (in its own directory, with the tone files it plays) around `body`,
 * then checks that sipp completed it (exit code 0). On a failure the calls are hung up before
 * sipp stops, so that no BYE is left retransmitting to a port nobody listens on.
 * @param {string} scenario
 * @param {string[]} extraArgs
 * @param {(sipp: Sipp) => Promise<void>} body
 */
async function withSipp(scenario, extraArgs, body) {
  const dir = join(s.dir, `sipp-${++sippRuns}-${scenario.replace(/\.xml$/, "")}`);
  mkdirSync(join(dir, "sipp"), { recursive: true });
  writeToneWav(join(dir, "sipp", "tone.wav"));
  writeToneWav(join(dir, "sipp", "tone-2s.wav"), { seconds: 2 });
  const sipp = new Sipp(dir, scenario, { extraArgs }).start();
  try {
    await body(sipp);
    const { code } = await sipp.exited;
    assert.equal(code, 0, `sipp completed ${scenario}:\n${sipp.messages.slice(-3000)}`);
  } catch (e) {
    for (const page of [alice, bob]) await el(page, (x) => Promise.all(x.calls.map((c) => x.hangup(c.id).catch(() => undefined))));
    await waitForPhone(alice, (x) => x.calls.length === 0, null, { timeout: 10_000 }).catch(() => undefined);
    const log = alice.consoleLines.slice(-25).join("\n");
    const wire = sipp.messages.slice(-2500);
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- alice's console:\n${log}\n--- sipp's last messages:\n${wire}`, {
      cause: e,
    });
  } finally {
    await sipp.stop();
  }
}

/**
 * The SDP lines that matter (m=, c=, codecs, direction) of the responses `code` the page got
 * since `mark`, one string per response.
 * @param {PhonePage} page
 * @param {number} mark
 * @param {number} code
 */
function sdpOf(page, mark, code) {
  return page.sipReceived
    .slice(mark)
    .filter((m) => m.startsWith(`SIP/2.0 ${code} `) && /^m=audio/m.test(m))
    .map((m) =>
      [...m.matchAll(/^(m=audio.*|c=IN.*|a=rtpmap:.*|a=(?:sendrecv|sendonly|recvonly|inactive)|a=ice-ufrag:.*)$/gm)]
        .map((x) => x[1].trim())
        .join(" / "),
    );
}

/** sipp calling alice: a UAC scenario. */
const toAlice = ["-s", USERS.alice.user, "127.0.0.1:5060"];

test("a 180 without SDP rings with our ringback; the answer stops it and the callee is heard", async () => {
  await withSipp("early-180-uas.xml", ["-key", "contact_180", "Contact: <sip:sipp@127.0.0.1:5080>"], async () => {
    const callId = await el(alice, (e) => e.dial("3101"));
    await waitForCall(alice, (c, id) => c.id === id && c.state === "ringing", { arg: callId });
    await eventually(() => ringbackPlays(alice), { message: "ringback plays" });
    assert.equal((await callNow(alice, callId))?.earlyMedia, undefined, "no early media");
    await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: callId });
    await eventually(async () => !(await ringbackPlays(alice)), { message: "ringback stopped" });
    await hears(alice, callId, { message: "the callee's tone" });
    await el(alice, (e, id) => e.hangup(id), callId);
  });
});

test("a 180 without Contact (linphone 5.1) still rings, with our ringback", async () => {
  await withSipp("early-180-uas.xml", ["-key", "contact_180", "X-Note: no Contact in this 180"], async () => {
    const mark = alice.sipReceived.length;
    const callId = await el(alice, (e) => e.dial("3102"));
    await waitForCall(alice, (c, id) => c.id === id && c.state === "ringing", { arg: callId });
    const ringing = alice.sipReceived.slice(mark).find((m) => m.startsWith("SIP/2.0 180"));
    assert.ok(ringing && !/^Contact:/im.test(ringing), "the 180 reached the browser without a Contact");
    await eventually(() => ringbackPlays(alice), { message: "ringback plays" });
    await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: callId });
    await hears(alice, callId, { message: "the callee's tone" });
    // The BYE goes to the 2xx's Contact: sipp gets it and its scenario completes.
    await el(alice, (e, id) => e.hangup(id), callId);
  });
});

test("183 with SDP plays the far end's media, no ringback; a 180 after it keeps it playing", async () => {
  await withSipp("early-183-180-uas.xml", [], async (sipp) => {
    const mark = alice.sipReceived.length;
    const callId = await el(alice, (e) => e.dial("3103"));
    await waitForCall(alice, (c, id) => c.id === id && c.state === "ringing" && c.earlyMedia === true, { arg: callId });
    const early = await hears(alice, callId, { message: "early media heard" });
    assert.equal(early.codec, "PCMU");
    assert.equal(await ringbackPlays(alice), false, "no ringback over early media");
    await eventually(() => alice.sipReceived.slice(mark).some((m) => m.startsWith("SIP/2.0 180")), { message: "the 180 after the 183" });
    await hears(alice, callId, { message: "early media still heard after the 180" });
    assert.equal((await callNow(alice, callId))?.state, "ringing");
    assert.equal(await ringbackPlays(alice), false, "still no ringback after the 180");
    await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: callId });
    await hears(alice, callId, { message: "the call's audio" });
    assert.match(sipp.messages, /^ACK sip:/m);
    await el(alice, (e, id) => e.hangup(id), callId);
  });
});

test("forked 183s: the latest branch's early media plays, and its 200 connects the call", async (t) => {
  await withSipp("early-fork-uas.xml", [], async () => {
    const mark = alice.sipReceived.length;
    const callId = await el(alice, (e) => e.dial("3104"));
    await waitForCall(alice, (c, id) => c.id === id && c.state === "ringing" && c.earlyMedia === true, { arg: callId });
    // Branch B's 183 (another To-tag, a tone) follows branch A's (silence: nothing is sent).
    const early = () => alice.sipReceived.slice(mark).filter((m) => m.startsWith("SIP/2.0 183"));
    await eventually(() => early().length >= 2, { message: "both 183s" });
    const tags = new Set(early().map((m) => /^To:.*tag=([^;\s]+)/im.exec(m)?.[1]));
    assert.equal(tags.size, 2, "two early dialogs");
    t.diagnostic(`183s as the browser got them: ${sdpOf(alice, mark, 183).join(" || ")}`);
    await hears(alice, callId, { message: "branch B's early media (branch A sends nothing)" });
    assert.equal((await callNow(alice, callId))?.state, "ringing");
    assert.equal(await ringbackPlays(alice), false);
    // Branch B answers: the call connects (SIP.js alone sent ACK and BYE 488 here).
    await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: callId });
    t.diagnostic(`200: ${sdpOf(alice, mark, 200).join(" || ")}`);
    await hears(alice, callId, { message: "the call's audio" });
    await el(alice, (e, id) => e.hangup(id), callId);
  });
});

test("a 200 whose SDP differs from the 183's: the call connects with the final answer's media", async (t) => {
  await withSipp("early-final-differs-uas.xml", [], async () => {
    const mark = alice.sipReceived.length;
    const callId = await el(alice, (e) => e.dial("3105"));
    await waitForCall(alice, (c, id) => c.id === id && c.state === "ringing" && c.earlyMedia === true, { arg: callId });
    await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: callId });
    // rtpengine answers the browser for the plain side: what differs reaches us as it rewrote it.
    t.diagnostic(`183: ${sdpOf(alice, mark, 183).join(" || ")}`);
    t.diagnostic(`200: ${sdpOf(alice, mark, 200).join(" || ")}`);
    await hears(alice, callId, { message: "the tone from the 200's address" });
    await el(alice, (e, id) => e.hangup(id), callId);
  });
});

test("an answer with no codec in common: ACK, BYE with Reason 488, and the reason in words", async () => {
  await withSipp("no-common-codec-uas.xml", [], async () => {
    const ending = nextEnded(alice, { timeout: 15_000 });
    await el(alice, (e) => e.dial("3806"));
    const ended = await ending;
    assert.equal(ended.reason, "failed");
    assert.equal(ended.failure?.kind, "answer-refused");
    assert.match(ended.message ?? "", /without an audio codec this phone can use \(488 Not Acceptable Here\)/);
  });
});

test("late offer: an INVITE without SDP gets our offer in the 200 and its answer in the ACK; so does a re-INVITE", async () => {
  await withSipp("late-offer-uac.xml", toAlice, async (sipp) => {
    const incoming = await waitForCall(alice, (c) => c.state === "incoming");
    await el(alice, (e) => e.answer());
    await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: incoming.id });
    await hears(alice, incoming.id, { message: "audio after the ACK's answer" });
    // The re-INVITE without SDP: our 200 offers again, sipp answers in its second ACK.
    await eventually(() => /^ACK sip:[\s\S]*?CSeq: 2 ACK/m.test(sipp.messages), { message: "the re-INVITE's ACK", timeout: 15_000 });
    assert.equal((await callNow(alice, incoming.id))?.state, "established");
    await hears(alice, incoming.id, { message: "audio after the re-INVITE" });
    // sipp hangs up at the end of its scenario.
    await waitForPhone(alice, (e) => e.calls.length === 0, null, { timeout: 15_000 });
  });
});

for (const { scenario, dial, audioPt, eventPt, clockRate, maxptime } of [
  // The 8 kHz event keeps the offer's payload number (see dtmf-8k-uas.xml): read from the INVITE.
  { scenario: "dtmf-8k-uas.xml", dial: "3107", audioPt: 0, eventPt: undefined, clockRate: 8000, maxptime: 40 },
  { scenario: "dtmf-48k-uas.xml", dial: "3108", audioPt: 111, eventPt: 110, clockRate: 48000, maxptime: 60 },
]) {
  test(`${scenario}: RFC 4733 DTMF with the answer's telephone-event, packets within its maxptime`, async (t) => {
    const sink = new RtpSink();
    const port = await sink.start();
    try {
      await withSipp(scenario, ["-key", "sink_port", String(port)], async (sipp) => {
        const callId = await el(alice, (e, n) => e.dial(n), dial);
        await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: callId });
        const offered = /^a=rtpmap:(\d+) telephone-event\/8000/m.exec(sipp.messages)?.[1];
        const pt = eventPt ?? Number(offered);
        assert.ok(Number.isInteger(pt), "the offer sipp received has telephone-event/8000");
        await eventually(() => sink.count(audioPt) > 25, { message: `audio with payload type ${audioPt} at the far end` });
        await el(alice, (e, id) => e.sendDtmf(id, "1#9"), callId);
        await eventually(() => sink.digits(pt) === "1#9", {
          message: `DTMF 1#9 as payload type ${pt} (got "${sink.digits(pt)}")`,
        });
        const frame = sink.frameMs(audioPt, clockRate);
        assert.ok(frame !== undefined && frame > 0 && frame <= maxptime, `packets of ${frame} ms, at most a=maxptime:${maxptime}`);
        t.diagnostic(`${scenario}: the browser sends ${frame} ms packets`);
        await el(alice, (e, id) => e.hangup(id), callId);
      });
    } finally {
      sink.stop();
    }
  });
}

test("the four hold forms over the wire: heldByRemote true on each, false after each resume", async (t) => {
  // Every heldByRemote the page saw, in order (recorded in the page from call-state events).
  await alice.evaluate(() => {
    const w = /** @type {{ heldSeen?: boolean[] }} */ (/** @type {unknown} */ (window));
    /** @type {boolean[]} */
    const seen = [];
    w.heldSeen = seen;
    document.querySelector("sip-phone")?.addEventListener("call-state", (e) => {
      const c = /** @type {CustomEvent<CallSnapshot>} */ (e).detail;
      if (c.state === "established" && seen.at(-1) !== c.heldByRemote) seen.push(c.heldByRemote);
    });
  });
  const heldSeen = () => alice.evaluate(() => /** @type {{ heldSeen: boolean[] }} */ (/** @type {unknown} */ (window)).heldSeen);
  // sipp sends no media here: with a media stream of its own (rtp_stream), sipp reads the RTP
  // address of every SDP it receives and aborts on our answer to its port-0 offer
  // ("extract_rtp_remote_addr: no m=audio ... line found"), so its media address is a sink.
  const sink = new RtpSink();
  const port = await sink.start();
  t.after(() => sink.stop());
  const mark = alice.sipReceived.length;
  await withSipp("hold-forms-uac.xml", [...toAlice, "-key", "sink_port", String(port)], async () => {
    const incoming = await waitForCall(alice, (c) => c.state === "incoming");
    await el(alice, (e) => e.answer());
    await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: incoming.id });
    // After the third resume (c=0.0.0.0) the browser's audio reaches sipp's address again.
    await eventually(async () => (await heldSeen()).length === 7, { message: "the third resume", timeout: 30_000 });
    const before = sink.count(0);
    await eventually(() => sink.count(0) > before + 10, { message: "PCMU from the browser after the third resume" });
    await waitForPhone(alice, (e) => e.calls.length === 0, null, { timeout: 40_000 });
  });
  assert.deepEqual(await heldSeen(), [false, true, false, true, false, true, false, true, false]);
  // What reached the browser through rtpengine: each re-INVITE's offer, in order.
  const offers = alice.sipReceived
    .slice(mark)
    .filter((m) => m.startsWith("INVITE ") && /^To:.*tag=/im.test(m))
    .map(holdForm);
  t.diagnostic(`re-INVITE offers as the browser received them: ${offers.join(" | ")}`);
  // After port 0 the stream is a new one in the same m= slot (RFC 3264 8.2): the browser makes a
  // new transceiver for it, which gets our microphone (phone-sdh.ts, unit-tested in
  // recycled-audio.test.ts). Audio on it through rtpengine 10.5 is not checked here: rtpengine
  // re-offers the old ICE pair (a=remote-candidates) for the new transport, and the checks do not
  // complete before sipp's BYE; the other three forms are checked above.
  assert.equal(offers.length, 8);
  assert.deepEqual(
    offers.filter((_, i) => i % 2 === 1),
    ["sendrecv", "sendrecv", "sendrecv", "sendrecv"],
  );
});

/**
 * How an offer says hold: its direction attribute, a null connection address, a zero port.
 * @param {string} invite
 */
function holdForm(invite) {
  const sdp = invite.slice(invite.indexOf("\r\n\r\n") + 4);
  const dir = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(sdp)?.[1];
  const zeroAddress = /^c=IN IP4 0\.0\.0\.0\s*$/m.test(sdp);
  const zeroPort = /^m=audio 0 /m.test(sdp);
  return [zeroPort ? "port 0" : "", zeroAddress ? "c=0.0.0.0" : "", dir ?? ""].filter(Boolean).join(" ");
}

test("a peer that goes silent mid-call and answers nothing more: the call ends by the RTP timeout", async () => {
  const carol = await openPhone(s.browser, s.appUrl, {
    name: "carol",
    config: { version: 1, accounts: [{ ...accountFor(USERS.carol, { server: s.wss }).accounts[0], rtpTimeout: 10 }] },
  });
  try {
    await withSipp("dead-peer-uas.xml", [], async (sipp) => {
      // Bounded: the watch reads every 5 s, so 10 s of silence ends the call within 20 s of the
      // last packet; the failure below says it was the RTP timeout, not another end.
      const ending = nextEnded(carol, { timeout: 40_000 });
      const callId = await el(carol, (e) => e.dial("3109"));
      await waitForCall(carol, (c, id) => c.id === id && c.state === "established", { arg: callId });
      await hears(carol, callId, { message: "the tone before the silence" });
      const ended = await ending;
      assert.equal(ended.failure?.kind, "rtp-timeout");
      assert.equal(ended.failure?.seconds, 10);
      assert.match(ended.message ?? "", /No sound from the other side for 10 s/);
      await eventually(() => /^BYE sip:/m.test(sipp.messages), { message: "our BYE reached the silent peer" });
    });
  } finally {
    await carol.context().close();
  }
});

test("session timers asked for by the caller: our 200 carries Session-Expires and Require: timer", async () => {
  await withSipp("session-timer-uac.xml", toAlice, async (sipp) => {
    const incoming = await waitForCall(alice, (c) => c.state === "incoming");
    await el(alice, (e) => e.answer());
    await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: incoming.id });
    const ok = await eventually(() => /^SIP\/2\.0 200[\s\S]*?(?=^-{10,}|$(?![\s\S]))/m.exec(sipp.messages)?.[0], {
      message: "the 200 at sipp",
    });
    assert.match(ok, /^Session-Expires: *90;refresher=uac/im);
    assert.match(ok, /^Require:.*\btimer\b/im);
    await el(alice, (e, id) => e.hangup(id), incoming.id);
  });
});
