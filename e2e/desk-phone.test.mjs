// Browser <-> baresip (a plain-RTP desk phone on UDP) through Kamailio and rtpengine.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Sipp, USERS, wavRms, writeToneWav } from "./bed/bed.mjs";
import { accountFor, el, eventually, hangupAll, openPhone, stats, waitForCall, waitForPhone } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @type {import("./lib/session.mjs").DeskSession} */
let s;
/** @type {import("./lib/browser.mjs").PhonePage} */
let alice;
/** @type {import("./lib/browser.mjs").PhonePage} */
let bob;
before(async () => {
  s = await startSession({ desk: true });
  alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }) });
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss, dtmf: "info" }) });
});
afterEach(async () => {
  await hangupAll(alice, bob);
  await s.desk.command("hangup").catch(() => undefined);
});
after(async () => {
  await stopSession(s);
});

function decodedDumps() {
  return readdirSync(s.desk.dumpDir)
    .filter((f) => f.endsWith("-dec.wav"))
    .map((f) => join(s.desk.dumpDir, f));
}

test("alice calls the desk phone: audio both ways through rtpengine, and RFC 4733 DTMF reaches it", async () => {
  const dumpsBefore = new Set(decodedDumps());
  const callId = await el(alice, (e) => e.dial("2001"));
  await waitForCall(alice, (c) => c.state === "established");
  // Kamailio bridged the media: the INVITE to the desk phone left as plain RTP/AVP.
  await eventually(() => /Call established|call established/i.test(s.desk.log), { message: "baresip established" });
  const a1 = await eventually(
    async () => {
      const x = await stats(alice, callId);
      return x.packetsReceived > 0 && x;
    },
    { message: "RTP from desk phone" },
  );
  const a2 = await eventually(
    async () => {
      const x = await stats(alice, callId);
      return x.packetsReceived > a1.packetsReceived + 50 && x.totalAudioEnergy > 0.01 && x;
    },
    { message: "desk phone's tone heard in the browser" },
  );
  assert.ok(a2.audioLevel > 0, "remote audio level above zero");

  await el(alice, (e, id) => e.sendDtmf(id, "19#*"), callId);
  await eventually(() => s.desk.receivedDtmf().includes("19#*"), { message: `DTMF 19#* at baresip (got "${s.desk.receivedDtmf()}")` });

  // The call goes on until baresip has decoded a second of it (what its RMS is taken over).
  const dump = await eventually(() => decodedDumps().find((f) => !dumpsBefore.has(f)), { message: "baresip decoded-audio dump" });
  await eventually(() => wavRms(dump).samples > 8000, { message: "a second of audio decoded at baresip" });
  await el(alice, (e, id) => e.hangup(id), callId);
  await eventually(() => /terminated|closed/i.test(s.desk.log.slice(-3000)), { message: "baresip hung up" });
  // baresip decoded what the browser's fake microphone sent: clearly not silence.
  const { rms, samples } = await eventually(
    () => {
      const r = wavRms(dump);
      return r.samples > 8000 && r;
    },
    { message: "decoded samples" },
  );
  assert.ok(rms > 0.005, `decoded audio RMS ${rms.toFixed(4)} over ${samples} samples is above silence`);
});

test("the desk phone calls bob: bob answers, audio both ways; SIP INFO DTMF reaches the wire", async () => {
  await s.desk.command("dial", "sip:1002@127.0.0.1");
  const incoming = await waitForCall(bob, (c) => c.state === "incoming");
  assert.equal(incoming.remote, "2001");
  await el(bob, (e) => e.answer());
  await waitForCall(bob, (c) => c.state === "established");
  const b1 = await eventually(
    async () => {
      const x = await stats(bob, incoming.id);
      return x.packetsReceived > 50 && x.totalAudioEnergy > 0.01 && x;
    },
    { message: "desk phone audio at bob" },
  );
  assert.ok(b1.packetsSent > 0);
  await el(bob, (e, id) => e.sendDtmf(id, "42"), incoming.id);
  await eventually(
    () =>
      /INFO body \[application\/dtmf-relay\] Signal=4/.test(s.kamailio.log) &&
      /INFO body \[application\/dtmf-relay\] Signal=2/.test(s.kamailio.log),
    { message: "INFO DTMF at Kamailio" },
  );
  await eventually(() => s.desk.receivedInfoDtmf().endsWith("42"), {
    message: `INFO DTMF 42 at baresip (got "${s.desk.receivedInfoDtmf()}")`,
  });
});

test("early media: a 183 with SDP is played while the call still rings; CANCEL ends it", async () => {
  mkdirSync(join(s.dir, "sipp"), { recursive: true });
  writeToneWav(join(s.dir, "sipp", "tone.wav"));
  const sipp = new Sipp(s.dir, "early-media-uas.xml").start();
  try {
    const callId = await el(alice, (e) => e.dial("3001"));
    await waitForCall(alice, (c) => c.state === "ringing");
    const early = await eventually(
      async () => {
        const x = await stats(alice, callId);
        return x.packetsReceived > 25 && x.totalAudioEnergy > 0.001 && x;
      },
      { message: "early media heard" },
    );
    const call = await el(alice, (e, id) => e.calls.find((c) => c.id === id), callId);
    assert.equal(call?.state, "ringing", "still ringing while early media plays");
    assert.equal(early.codec, "PCMU");
    await el(alice, (e, id) => e.hangup(id), callId);
    await eventually(() => /CANCEL sip:3001@/.test(sipp.messages), { message: "sipp received the CANCEL" });
    // The 487 that answers the CANCEL ends the call at alice.
    await waitForPhone(alice, (e) => e.calls.length === 0, null, { timeout: 10_000 });
    assert.equal((await sipp.exited).code, 0, "sipp's scenario completed");
  } finally {
    await sipp.stop();
  }
});

test("blind transfer with the desk phone as the transferred party: baresip follows the REFER to bob", async () => {
  const callId = await el(alice, (e) => e.dial("2001"));
  await waitForCall(alice, (c) => c.state === "established");
  await el(alice, (e, id) => e.transfer(id, "1002"), callId);
  const atBob = await waitForCall(bob, (c) => c.state === "incoming");
  assert.equal(atBob.remote, "2001", "bob sees the desk phone calling");
  await el(bob, (e) => e.answer());
  await waitForPhone(alice, (e) => e.calls.length === 0, null, { timeout: 10_000 });
  await eventually(
    async () => {
      const x = await stats(bob, atBob.id);
      return x.packetsReceived > 50 && x.totalAudioEnergy > 0.001;
    },
    { message: "bob hears the desk phone" },
  );
});

test("a re-INVITE answered 491 Request Pending is retried after the RFC 3261 random delay", async () => {
  const sipp = new Sipp(s.dir, "glare-uas.xml").start();
  try {
    const callId = await el(alice, (e) => e.dial("3002"));
    await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: callId });
    const holding = el(alice, (e, id) => e.hold(id), callId);
    await holding;
    await waitForCall(alice, (c, id) => c.id === id && c.held, { arg: callId });
    // sipp's message trace: each entry starts with a timestamp line.
    const entries = sipp.messages.split(/^-{10,} (\S+ \S+)\s*$/m).slice(1);
    /** @type {{ time: number, text: string }[]} */
    const at = [];
    for (let i = 0; i < entries.length; i += 2) at.push({ time: Date.parse(entries[i].replace(" ", "T")), text: entries[i + 1] });
    const sent491 = at.find((e) => /^SIP\/2\.0 491/m.test(e.text));
    const invites = at.filter((e) => /^INVITE sip:/m.test(e.text) && /received/.test(e.text));
    assert.ok(sent491, "sipp answered 491");
    assert.equal(invites.length, 3, "the initial INVITE, the refused re-INVITE and its retry");
    assert.match(invites[2].text, /^a=sendonly/m, "the retry offers hold again");
    const delay = invites[2].time - sent491.time;
    // We placed the call (own the Call-ID): 2.1-4 s. A wall-clock bound because RFC 3261 14.1
    // sets the timing; the margin above 4 s is for the trace's timestamps.
    assert.ok(delay >= 2000 && delay <= 4500, `retried ${delay} ms after the 491`);
    await el(alice, (e, id) => e.hangup(id), callId);
    assert.equal((await sipp.exited).code, 0, "sipp's scenario completed");
  } finally {
    await sipp.stop();
  }
});
