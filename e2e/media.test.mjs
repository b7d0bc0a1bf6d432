// Codecs and call quality: a line's codec order on the wire (G.722 to a desk phone that has it,
// Opus with in-band FEC between browsers), and the E-model estimate callStats() reports.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Baresip, USERS, wavRms } from "./bed/bed.mjs";
import { accountFor, el, eventually, hangupAll, openPhone, stats, waitForCall } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */

/** @type {import("./lib/session.mjs").Session} */
let s;
/** baresip 2001 with G.722 first, then G.711, and a SIP trace in its log. */
/** @type {Baresip} */
let desk;
/** Prefers G.722, then PCMU. @type {PhonePage} */
let alice;
/** Prefers Opus. @type {PhonePage} */
let bob;
/** The browser's own order. @type {PhonePage} */
let carol;

/**
 * A configuration for a bed user whose line has a codec order.
 * @param {import("./bed/bed.mjs").BedUser} user
 * @param {string[] | undefined} codecs
 */
function lineWith(user, codecs) {
  const config = accountFor(user, { server: s.wss });
  if (codecs) config.accounts[0].codecs = codecs;
  return config;
}

before(async () => {
  s = await startSession();
  const started = await new Baresip(s.dir, "desk", { codecs: ["G722", "PCMU", "PCMA"], sipTrace: true }).start();
  s.stops.push(() => started.stop());
  desk = started;
  alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: lineWith(USERS.alice, ["G722", "PCMU"]) });
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: lineWith(USERS.bob, ["opus", "PCMU"]) });
  carol = await openPhone(s.browser, s.appUrl, { name: "carol", config: lineWith(USERS.carol, undefined) });
});
afterEach(async () => {
  await hangupAll(alice, bob, carol);
  await desk.command("hangup").catch(() => undefined);
});
after(async () => {
  await stopSession(s);
});

/** RTP/AVP static payload types (RFC 3551) that an SDP may leave without a=rtpmap. */
const STATIC = /** @type {Record<string, string>} */ ({ 0: "PCMU/8000", 8: "PCMA/8000", 9: "G722/8000" });

/**
 * The audio formats of an SDP in its m= line's order, as `name/rate` ("G722/8000").
 * @param {string} sdp
 */
function audioFormats(sdp) {
  const m = /^m=audio \d+ \S+ ([\d ]+)/m.exec(sdp);
  if (!m) return [];
  return m[1]
    .trim()
    .split(/\s+/)
    .map((pt) => {
      const map = new RegExp(`^a=rtpmap:${pt} ([^\\s/]+/\\d+)`, "m").exec(sdp);
      return map?.[1] ?? STATIC[pt] ?? pt;
    });
}

/**
 * The fmtp parameters of a format of an SDP (by name), or undefined.
 * @param {string} sdp
 * @param {string} name e.g. "opus"
 */
function fmtpOf(sdp, name) {
  const pt = new RegExp(`^a=rtpmap:(\\d+) ${name}/`, "mi").exec(sdp)?.[1];
  return pt ? new RegExp(`^a=fmtp:${pt} (.*)$`, "m").exec(sdp)?.[1]?.trim() : undefined;
}

/**
 * The first message in `texts` that matches `re` and carries an SDP.
 * @param {string[]} texts
 * @param {RegExp} re
 */
function withSdp(texts, re) {
  return texts.find((t) => re.test(t) && /^m=audio /m.test(t));
}

/** baresip's decoded-audio dumps (one per call). */
function decodedDumps() {
  return readdirSync(desk.dumpDir)
    .filter((f) => f.endsWith("-dec.wav"))
    .map((f) => join(desk.dumpDir, f));
}

test("a line with codecs [G722, PCMU] calls a desk phone that has G.722: G722/8000 on the wire, baresip decodes sound", async () => {
  const dumpsBefore = new Set(decodedDumps());
  const traceFrom = desk.log.length;
  const receivedFrom = alice.sipReceived.length;
  const callId = await el(alice, (e) => e.dial("2001"));
  await waitForCall(alice, (c) => c.state === "established");

  // The offer as baresip got it (through Kamailio and rtpengine, as plain RTP/AVP): the line's
  // order first, then the browser's other codecs, and telephone-event still offered (DTMF).
  const invite = await eventually(() => withSdp(desk.log.slice(traceFrom).split(/(?=\bINVITE sip:)/), /^INVITE sip:2001\b/), {
    message: "the INVITE in baresip's SIP trace",
  });
  const offered = audioFormats(invite);
  assert.deepEqual(offered.slice(0, 2), ["G722/8000", "PCMU/8000"], `offered ${offered.join(" ")}`);
  assert.ok(offered.includes("telephone-event/8000"), `telephone-event offered: ${offered.join(" ")}`);
  // baresip's answer as the browser got it: G.722 chosen.
  const answer = withSdp(alice.sipReceived.slice(receivedFrom), /^SIP\/2\.0 200 [\s\S]*CSeq: \d+ INVITE/);
  assert.ok(answer, "the 200 OK with the answer reached the page");
  assert.equal(audioFormats(answer)[0], "G722/8000", `answered ${audioFormats(answer).join(" ")}`);

  // What the browser decodes is G.722, with sound in it.
  const heard = await eventually(
    async () => {
      const x = await stats(alice, callId);
      return x.packetsReceived > 50 && x.totalAudioEnergy > 0.001 && x;
    },
    { message: "the desk phone's tone heard in the browser" },
  );
  assert.equal(heard.codec, "G722");
  assert.match(desk.log.slice(traceFrom), /audio: Set audio decoder: G722 16000Hz/, "baresip decodes G.722 from the wire");
  // RFC 4733 events still go with G.722 (telephone-event/8000 at its 8 kHz RTP clock).
  await el(alice, (e, id) => e.sendDtmf(id, "5#"), callId);
  await eventually(() => desk.receivedDtmf().includes("5#"), { message: `DTMF 5# at baresip (got "${desk.receivedDtmf()}")` });

  // What baresip decodes, at G.722's 16 kHz: the browser's fake microphone, clearly not silence.
  const dump = await eventually(() => decodedDumps().find((f) => !dumpsBefore.has(f)), { message: "baresip decoded-audio dump" });
  await eventually(() => wavRms(dump).samples > 16_000, { message: "a second of audio decoded at baresip" });
  await el(alice, (e, id) => e.hangup(id), callId);
  await eventually(() => /terminated|closed/i.test(desk.log.slice(-3000)), { message: "baresip hung up" });
  const { rms, samples, rate } = wavRms(dump);
  assert.equal(rate, 16000, "baresip decoded wideband audio");
  assert.ok(rms > 0.005, `decoded audio RMS ${rms.toFixed(4)} over ${samples} samples is above silence`);
});

/** @typedef {{ createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit> }} OfferMaker */
/** @typedef {{ offersAt?: number[], createOffer?: OfferMaker["createOffer"] }} OfferClock */

/**
 * Times every createOffer() of the page from now on (until untimeOffers()).
 * @param {PhonePage} page
 */
function timeOffers(page) {
  return page.evaluate(() => {
    const proto = /** @type {OfferMaker} */ (RTCPeerConnection.prototype);
    const w = /** @type {OfferClock} */ (/** @type {unknown} */ (window));
    const original = proto.createOffer;
    w.offersAt = [];
    w.createOffer = original;
    proto.createOffer = function (options) {
      w.offersAt?.push(performance.now());
      return original.call(this, options);
    };
  });
}

/**
 * When the page's offers were made (performance.now()), since timeOffers().
 * @param {PhonePage} page
 * @returns {Promise<number[]>}
 */
function offerTimes(page) {
  return page.evaluate(() => /** @type {OfferClock} */ (/** @type {unknown} */ (window)).offersAt ?? []);
}

/** @param {PhonePage} page */
function untimeOffers(page) {
  return page.evaluate(() => {
    const w = /** @type {OfferClock} */ (/** @type {unknown} */ (window));
    if (w.createOffer) /** @type {OfferMaker} */ (RTCPeerConnection.prototype).createOffer = w.createOffer;
  });
}

test("dialled from the dialpad, the off-hook leg's offer (made while typing) has the line's order too", async () => {
  // The off-hook leg's offer comes while typing; SIP.js's own (had the leg not been used) would
  // come after the click.
  await timeOffers(alice);
  try {
    const traceFrom = desk.log.length;
    await alice.getByLabel("Number to call").fill("2001");
    await eventually(async () => (await offerTimes(alice)).length > 0, { message: "the off-hook leg's offer" });
    const clickedAt = await alice.evaluate(() => performance.now());
    await alice.getByRole("button", { name: "Call", exact: true }).click();
    await waitForCall(alice, (c) => c.state === "established");
    const invite = await eventually(() => withSdp(desk.log.slice(traceFrom).split(/(?=\bINVITE sip:)/), /^INVITE sip:2001\b/), {
      message: "the INVITE in baresip's SIP trace",
    });
    assert.deepEqual(audioFormats(invite).slice(0, 2), ["G722/8000", "PCMU/8000"], `offered ${audioFormats(invite).join(" ")}`);
    const offersAt = await offerTimes(alice);
    assert.ok(
      offersAt.every((t) => t < clickedAt),
      "no offer was made after the click: the off-hook leg's was sent",
    );
  } finally {
    await untimeOffers(alice);
  }
});

test("an answer follows the line's order too: a line with [opus, PCMU] answers the desk phone's G.722-first offer with PCMU", async () => {
  const traceFrom = desk.log.length;
  await desk.command("dial", "sip:1002@127.0.0.1");
  const incoming = await waitForCall(bob, (c) => c.state === "incoming");
  await el(bob, (e) => e.answer());
  await waitForCall(bob, (c) => c.state === "established");
  const chunks = () => desk.log.slice(traceFrom).split(/(?=\b(?:INVITE sip:|SIP\/2\.0 \d{3} ))/);
  const offer = withSdp(chunks(), /^INVITE sip:1002\b/);
  assert.equal(offer && audioFormats(offer)[0], "G722/8000", "baresip offers G.722 first");
  // The browser's own order would answer G.722 (it ranks G.722 above PCMU); the line's puts PCMU first.
  const answer = await eventually(() => withSdp(chunks(), /^SIP\/2\.0 200 [\s\S]*CSeq: \d+ INVITE/), {
    message: "bob's 200 OK in baresip's SIP trace",
  });
  assert.equal(audioFormats(answer)[0], "PCMU/8000", `answered ${audioFormats(answer).join(" ")}`);
  const heard = await eventually(
    async () => {
      const x = await stats(bob, incoming.id);
      return x.packetsReceived > 50 && x;
    },
    { message: "the desk phone's audio at bob" },
  );
  assert.equal(heard.codec, "PCMU");
});

test("an Opus-first line offers Opus first with in-band FEC asked for (useinbandfec=1)", async () => {
  const receivedFrom = carol.sipReceived.length;
  await el(bob, (e) => e.dial("1003"));
  const invite = await eventually(() => withSdp(carol.sipReceived.slice(receivedFrom), /^INVITE sip:/), {
    message: "bob's INVITE at carol",
  });
  assert.equal(audioFormats(invite)[0], "opus/48000", `offered ${audioFormats(invite).join(" ")}`);
  assert.match(fmtpOf(invite, "opus") ?? "", /(^|;)useinbandfec=1(;|$)/);
});

test("callStats of an established call has a MOS, a grade and the media round trip", async (t) => {
  const callId = await el(carol, (e) => e.dial("1002"));
  await waitForCall(bob, (c) => c.state === "incoming");
  await el(bob, (e) => e.answer());
  await waitForCall(carol, (c) => c.state === "established");
  const figures = await eventually(
    async () => {
      const x = await stats(carol, callId);
      return x.packetsReceived > 100 && x.mos !== undefined && x.rttMs !== undefined && x;
    },
    { message: "a MOS from two seconds of audio", timeout: 15_000 },
  );
  assert.equal(figures.codec, "opus");
  t.diagnostic(`MOS ${figures.mos} (${figures.quality}), RTT ${figures.rttMs} ms, jitter ${figures.jitterMs} ms`);
  assert.ok(figures.mos !== undefined && figures.mos >= 1 && figures.mos <= 4.5, `MOS ${figures.mos}`);
  // Loopback, nothing lost: the E-model's best for a codec without impairment.
  assert.equal(figures.quality, "good", `MOS ${figures.mos}, loss ${figures.lossPercent} %, RTT ${figures.rttMs} ms`);
  assert.ok(figures.mos >= 4.0);
  assert.equal(figures.lossPercent, 0);
  assert.equal(typeof figures.roundTripMs, "number", "roundTripMs kept for compatibility");
});

/** The bed's UDP signalling (SIP, rtpengine's control): never dropped, only media is. */
const SIGNALLING_PORTS = "{ 2223, 5060, 5070, 5080 }";

/**
 * Drops `percent` % of the UDP packets this namespace receives, at random (nftables; the kernel
 * here has no netem), or stops dropping (`undefined`). Only inside the private namespace
 * (run-in-netns.sh), where nothing but the bed runs: never on a real machine.
 * @param {number | undefined} percent
 */
function randomLoss(percent) {
  if (process.env.WEBPHONE_NETNS !== "1") throw new Error("packet loss only inside the e2e network namespace");
  const nft = (/** @type {string} */ cmd) => execFileSync("nft", [cmd], { stdio: "pipe" });
  if (percent === undefined) {
    nft("delete table inet e2e_loss");
    return;
  }
  nft("add table inet e2e_loss");
  nft("add chain inet e2e_loss in { type filter hook input priority 0; }");
  nft(
    `add rule inet e2e_loss in meta l4proto udp udp sport != ${SIGNALLING_PORTS} udp dport != ${SIGNALLING_PORTS} ` +
      `numgen random mod 100 < ${percent} drop`,
  );
}

test("the grade follows the call: random loss on the path makes it worse within seconds, and it recovers", async (t) => {
  const callId = await el(carol, (e) => e.dial("1002"));
  await waitForCall(bob, (c) => c.state === "incoming");
  await el(bob, (e) => e.answer());
  await waitForCall(carol, (c) => c.state === "established");
  const clean = await eventually(
    async () => {
      const x = await stats(carol, callId);
      return x.packetsReceived > 100 && x.quality === "good" && x;
    },
    { message: "a good grade before the loss", timeout: 15_000 },
  );
  randomLoss(15);
  let lossy;
  try {
    // Quality is judged over the last 5-10 s, not since the start: the drop shows within that.
    lossy = await eventually(
      async () => {
        const x = await stats(carol, callId);
        return x.quality !== "good" && x;
      },
      { message: "a worse grade under 15 % loss", timeout: 20_000, interval: 1000 },
    );
  } finally {
    randomLoss(undefined);
  }
  t.diagnostic(`MOS ${clean.mos} (${clean.quality}) -> ${lossy.mos} (${lossy.quality}) at ${lossy.lossPercent?.toFixed(1)} % loss`);
  assert.ok((lossy.lossPercent ?? 0) > 5, `loss ${lossy.lossPercent} % measured`);
  assert.ok((lossy.mos ?? 5) < (clean.mos ?? 0) - 0.3, `MOS ${clean.mos} -> ${lossy.mos}`);
  await eventually(
    async () => {
      const x = await stats(carol, callId);
      return x.quality === "good" && x.lossPercent === 0;
    },
    { message: "good again once the loss is gone", timeout: 20_000, interval: 1000 },
  );
});
