// Call recording between two browser pages (both with Chromium's fake microphone, a short
// 400 Hz beep twice a second): the file is read back from the page's IndexedDB and decoded in
// the page (decodeAudioData), and its sound is measured in time windows. Both sides must be in
// the mix: the call goes through three phases (only bob heard, nobody, only alice heard), each
// side muted in turn, and the recording must sound where one side talks and be silent where
// nobody does; a recording of one side only fails one of the two talking phases.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { USERS } from "./bed/bed.mjs";
import { accountFor, el, eventually, hangupAll, openPhone, storedHistory, waitForCall, waitForLineState } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */
/** @typedef {import("./lib/sip-phone-api.mjs").CallSnapshot} CallSnapshot */
/**
 * @typedef {{ kept: true, bytes: number, mimeType: string, durationMs: number } | { kept: false, why: string }} RecordingSummary
 * @typedef {{ bytes: number, type: string, duration: number, windows: { at: number, peak: number, rms: number }[] } | null} DecodedRecording
 */

/** Decoded audio below this peak is silence (about -46 dBFS: Opus of digital silence is far below). */
const SILENT_PEAK = 0.005;
/** A talking phase peaks well above silence and far above the silent phase. */
const HEARD_PEAK = 0.02;
/** Seconds of each phase. */
const PHASE_S = 3;
/** Seconds left out at each phase's edges: a mute reaches the recording after the network and jitter buffer. */
const EDGE_S = 0.8;

/** @type {import("./lib/session.mjs").Session} */
let s;
/** @type {PhonePage} */
let alice;
/** @type {PhonePage} */
let bob;

before(async () => {
  s = await startSession();
  alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }) });
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
});
afterEach(async () => {
  await hangupAll(alice, bob);
});
after(async () => {
  await stopSession(s);
});

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * alice calls bob, bob answers; resolves with both call ids once both are established and bob's
 * beeps reach alice.
 */
async function connect() {
  const aliceCall = await el(alice, (e) => e.dial("1002"));
  const atBob = await waitForCall(bob, (c) => c.state === "incoming");
  await el(bob, (e, id) => e.answer(id), atBob.id);
  await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: aliceCall });
  await waitForCall(bob, (c, id) => c.id === id && c.state === "established", { arg: atBob.id });
  await eventually(async () => ((await el(alice, (e, id) => e.callStats(id), aliceCall))?.totalAudioEnergy ?? 0) > 0, {
    message: "bob's audio heard by alice",
  });
  return { aliceCall, bobCall: atBob.id };
}

/**
 * The page's stored history entry of a call once its recording is noted in it.
 * @param {PhonePage} page
 * @param {string} callId
 */
async function entryWithRecording(page, callId) {
  return eventually(
    async () => {
      const entry = /** @type {(import("./lib/browser.mjs").StoredCall & { recording?: RecordingSummary }) | undefined} */ (
        (await storedHistory(page)).find((h) => h.id === callId)
      );
      return entry?.recording && !entry.open && entry;
    },
    { timeout: 15_000, message: `the recording noted in ${callId}'s history entry on ${page.phoneName}` },
  );
}

/**
 * The stored recording of a call, read from the page's IndexedDB (storage/recording-store.ts,
 * under the history entry's key) and decoded there; null when there is none. Sound is measured
 * in 250 ms windows (peak and RMS of the mono mix).
 * @param {PhonePage} page
 * @param {string} callId
 * @returns {Promise<DecodedRecording>}
 */
function decodedRecording(page, callId) {
  return page.evaluate(async (id) => {
    /** @param {string} name @returns {Promise<IDBDatabase>} */
    const open = (name) =>
      new Promise((resolve, reject) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    /** @param {IDBRequest} r @returns {Promise<any>} */
    const done = (r) =>
      new Promise((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    // Opening a database that does not exist would create it empty: look first.
    if (!(await indexedDB.databases()).some((d) => d.name === "webphone-recordings")) return null;
    const history = await open("webphone-history");
    const entries = /** @type {{ id: string, startedAt: number }[]} */ (
      await done(history.transaction("calls").objectStore("calls").getAll())
    );
    history.close();
    const entry = entries.find((e) => e.id === id);
    const db = await open("webphone-recordings");
    // Looked up by the entry's key when the entry is there, else by the call id at the key's end.
    const keys = /** @type {string[]} */ (await done(db.transaction("audio").objectStore("audio").getAllKeys()));
    const key = entry ? `${String(entry.startedAt).padStart(15, "0")}-${entry.id}` : keys.find((k) => k.endsWith(`-${id}`));
    const stored = key && keys.includes(key) ? await done(db.transaction("audio").objectStore("audio").get(key)) : undefined;
    db.close();
    if (!stored) return null;
    const blob = /** @type {Blob} */ (stored.blob);
    const audio = await new OfflineAudioContext(1, 1, 48_000).decodeAudioData(await blob.arrayBuffer());
    const channels = Array.from({ length: audio.numberOfChannels }, (_, c) => audio.getChannelData(c));
    const step = Math.round(audio.sampleRate / 4);
    const windows = [];
    for (let start = 0; start + step <= audio.length; start += step) {
      let peak = 0;
      let sum = 0;
      for (let i = start; i < start + step; i++) {
        let v = 0;
        for (const ch of channels) v += ch[i] / channels.length;
        peak = Math.max(peak, Math.abs(v));
        sum += v * v;
      }
      windows.push({ at: start / audio.sampleRate, peak, rms: Math.sqrt(sum / step) });
    }
    return { bytes: blob.size, type: blob.type, duration: audio.duration, windows };
  }, callId);
}

/**
 * The loudest window between `from` and `to` seconds of the recording.
 * @param {NonNullable<DecodedRecording>} rec
 * @param {number} from
 * @param {number} to
 */
function peakBetween(rec, from, to) {
  const inside = rec.windows.filter((w) => w.at >= from && w.at + 0.25 <= to);
  assert.ok(inside.length >= 2, `windows between ${from.toFixed(1)} s and ${to.toFixed(1)} s of ${rec.duration.toFixed(1)} s`);
  return Math.max(...inside.map((w) => w.peak));
}

test("a recorded call holds both sides, plays back with sound, is the size its entry says, and goes with its history entry", async (t) => {
  const { aliceCall, bobCall } = await connect();
  // Only bob heard first.
  await el(alice, (e, id) => e.mute(id, true), aliceCall);
  // The Record button, as a user would: the indicator says "Recording" in a status region.
  await alice.getByRole("button", { name: "Record", exact: true }).click();
  await waitForCall(alice, (c, id) => c.id === id && c.recording === "on", { arg: aliceCall });
  const startedAt = Date.now();
  await alice
    .getByRole("status")
    .filter({ hasText: /^Recording$/ })
    .waitFor();
  await sleep(PHASE_S * 1000);
  // Nobody heard.
  await el(bob, (e, id) => e.mute(id, true), bobCall);
  const silentFrom = (Date.now() - startedAt) / 1000;
  await sleep(PHASE_S * 1000);
  // Only alice heard.
  await el(alice, (e, id) => e.mute(id, false), aliceCall);
  const aliceFrom = (Date.now() - startedAt) / 1000;
  await sleep(PHASE_S * 1000);
  const ended = Date.now();
  await el(alice, (e, id) => e.hangup(id), aliceCall);
  const recordedS = (ended - startedAt) / 1000;

  const entry = await entryWithRecording(alice, aliceCall);
  const summary = /** @type {RecordingSummary} */ (entry.recording);
  assert.ok(summary.kept, `alice's recording kept: ${JSON.stringify(summary)}`);
  const rec = await decodedRecording(alice, aliceCall);
  assert.ok(rec, "the recording is in alice's IndexedDB");
  t.diagnostic(`recording: ${rec.bytes} bytes, ${rec.type}, ${rec.duration.toFixed(2)} s decoded, ${recordedS.toFixed(2)} s recorded`);
  console.log(`recording size: ${rec.bytes} bytes (${summary.mimeType}, ${(summary.durationMs / 1000).toFixed(1)} s)`);
  assert.equal(summary.bytes, rec.bytes, "the entry's size is the stored file's");
  assert.match(rec.type, /^audio\/(webm|ogg);codecs=opus$/);
  // Its length is the call's recorded time: decoded from the file, and as the phone counted it.
  assert.ok(Math.abs(rec.duration - recordedS) < 1.5, `decoded ${rec.duration.toFixed(2)} s, recorded ${recordedS.toFixed(2)} s`);
  assert.ok(
    Math.abs(summary.durationMs / 1000 - rec.duration) < 1.5,
    `entry ${summary.durationMs} ms, decoded ${rec.duration.toFixed(2)} s`,
  );

  const bobOnly = peakBetween(rec, EDGE_S, silentFrom - EDGE_S / 2);
  const nobody = peakBetween(rec, silentFrom + EDGE_S, aliceFrom - EDGE_S / 2);
  const aliceOnly = peakBetween(rec, aliceFrom + EDGE_S, rec.duration - 0.3);
  t.diagnostic(`peaks: bob only ${bobOnly.toFixed(4)}, nobody ${nobody.toFixed(4)}, alice only ${aliceOnly.toFixed(4)}`);
  assert.ok(bobOnly > HEARD_PEAK, `the other side (bob) is in the recording: peak ${bobOnly}`);
  assert.ok(aliceOnly > HEARD_PEAK, `our side (alice's microphone) is in the recording: peak ${aliceOnly}`);
  assert.ok(nobody < SILENT_PEAK && nobody * 4 < Math.min(bobOnly, aliceOnly), `silent while both were muted: peak ${nobody}`);

  // The history view: the entry says it was recorded and how big the file is; its player plays
  // the stored file (a blob: URL under the app's CSP), downloads it, and deletes it with the entry.
  await el(alice, (e) => e.showView("history"));
  const kB = `${Math.max(1, Math.round(rec.bytes / 1000))} kB`;
  const row = alice
    .getByRole("list", { name: "Call history" })
    .getByRole("listitem")
    .filter({ hasText: `recorded, ${kB}` });
  await row.waitFor();
  await row.getByRole("button", { name: /^Play the recording of the call with / }).click();
  const audio = alice.locator("sip-recording-player audio");
  await audio.waitFor();
  const playable = await eventually(
    () =>
      audio.evaluate((node) => {
        const a = /** @type {HTMLAudioElement} */ (node);
        return a.readyState >= 1 && { src: a.getAttribute("src"), error: a.error?.code ?? 0 };
      }),
    { message: "the player's audio has loaded the recording" },
  );
  assert.match(String(playable.src), /^blob:/);
  assert.equal(playable.error, 0);
  const [download] = await Promise.all([alice.waitForEvent("download"), alice.getByRole("button", { name: "Download" }).click()]);
  assert.match(download.suggestedFilename(), /^call-1002-.*\.(webm|ogg)$/);
  assert.equal(statSync(await download.path()).size, rec.bytes, "the downloaded file is the stored one");

  alice.once("dialog", (d) => void d.accept());
  await alice.getByRole("button", { name: "Delete call and recording" }).click();
  await eventually(async () => !(await storedHistory(alice)).some((h) => h.id === aliceCall), { message: "the entry deleted" });
  assert.equal(await decodedRecording(alice, aliceCall), null, "the recording is no longer in IndexedDB");
  await el(alice, (e) => e.showView("phone"));
});

test("recording goes on across hold, resume and a microphone switch; what the held party cannot hear is left out", async (t) => {
  const { aliceCall, bobCall } = await connect();
  // Only alice's side sounds in this call.
  await el(bob, (e, id) => e.mute(id, true), bobCall);
  assert.equal(await el(alice, (e, id) => e.record(id, true), aliceCall), "on");
  const startedAt = Date.now();
  const at = () => (Date.now() - startedAt) / 1000;
  await sleep(PHASE_S * 1000);
  const heldFrom = at();
  await el(alice, (e, id) => e.hold(id), aliceCall);
  await waitForCall(alice, (c, id) => c.id === id && c.held, { arg: aliceCall });
  await sleep(PHASE_S * 1000);
  const resumedAt = at();
  await el(alice, (e, id) => e.unhold(id), aliceCall);
  await waitForCall(alice, (c, id) => c.id === id && !c.held, { arg: aliceCall });
  // Another microphone: the call's track is replaced (and the old one stopped), the mix follows.
  const list = await el(alice, (e) => e.audioDevices());
  const second = list.devices.find((d) => d.kind === "audioinput" && d.label === "Fake Audio Input 2");
  assert.ok(second, JSON.stringify(list.devices));
  await el(alice, (e, id) => e.setAudio({ microphone: id }), second.id);
  const switchedAt = at();
  await sleep(PHASE_S * 1000);
  assert.equal((await el(alice, (e) => e.calls)).find((c) => c.id === aliceCall)?.recording, "on");
  await el(alice, (e, id) => e.hangup(id), aliceCall);
  await el(alice, (e) => e.setAudio({ microphone: "" }));

  const entry = await entryWithRecording(alice, aliceCall);
  assert.ok(entry.recording?.kept, JSON.stringify(entry.recording));
  const rec = await decodedRecording(alice, aliceCall);
  assert.ok(rec, "the recording is in alice's IndexedDB");
  const before = peakBetween(rec, EDGE_S, heldFrom - EDGE_S / 2);
  const held = peakBetween(rec, heldFrom + EDGE_S, resumedAt - EDGE_S / 2);
  const switched = peakBetween(rec, switchedAt + EDGE_S, rec.duration - 0.3);
  t.diagnostic(
    `${rec.duration.toFixed(2)} s; peaks: before the hold ${before.toFixed(4)}, held ${held.toFixed(4)}, new microphone ${switched.toFixed(4)}`,
  );
  assert.ok(before > HEARD_PEAK, `alice heard before the hold: peak ${before}`);
  assert.ok(held < SILENT_PEAK, `nothing of alice while the call was held: peak ${held}`);
  assert.ok(switched > HEARD_PEAK, `alice's new microphone is in the recording: peak ${switched}`);
});

test("a line with autoRecord records its calls without a click", async (t) => {
  await el(bob, (e, user) => e.configure({ version: 1, accounts: [{ ...user, autoRecord: true }] }), {
    ...accountFor(USERS.bob, { server: s.wss }).accounts[0],
  });
  await waitForLineState(bob, "registered");
  const { aliceCall, bobCall } = await connect();
  await waitForCall(bob, (c, id) => c.id === id && c.recording === "on", { arg: bobCall });
  const alices = await el(alice, (e) => e.calls);
  assert.equal(alices.find((c) => c.id === aliceCall)?.recording, undefined, "alice's line does not record");
  await sleep(PHASE_S * 1000);
  await el(bob, (e, id) => e.hangup(id), bobCall);
  const entry = await entryWithRecording(bob, bobCall);
  assert.ok(entry.recording?.kept, JSON.stringify(entry.recording));
  const rec = await decodedRecording(bob, bobCall);
  assert.ok(rec, "the recording is in bob's IndexedDB");
  const peak = Math.max(...rec.windows.map((w) => w.peak));
  t.diagnostic(`auto-recorded: ${rec.bytes} bytes, ${rec.duration.toFixed(2)} s, peak ${peak.toFixed(4)}`);
  console.log(`auto-recording size: ${rec.bytes} bytes`);
  assert.ok(rec.duration > PHASE_S - 1, `${rec.duration} s decoded`);
  assert.ok(peak > HEARD_PEAK, `not silent: peak ${peak}`);
});
