// Ringing that tells calls apart, and headset buttons, on the bed: each line rings with its own
// tone, an INVITE with `Alert-Info: <http://x>;info=alert-internal` rings with the internal tone,
// a ringtone file the user added is kept across a reload and rings, and the Media Session
// handlers answer and hang up (the 200 OK and the BYE on the caller's side).
//
// What rings is judged by the sound itself: an init script (observation only, the app's graph
// is not changed) puts an AnalyserNode beside every Web Audio connection into a destination, and
// the test reads the dominant frequency of what the ringer plays. Each built-in tone has its own
// frequencies (src/sip/platform/web/ringtone-sounds.ts; docs/media.md).
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { LINE_USERS, Sipp, USERS } from "./bed/bed.mjs";
import {
  accountFor,
  el,
  eventually,
  hangupAll,
  openPhone,
  PHONE_VIEWPORT,
  waitForCall,
  waitForLineState,
  waitForPhone,
} from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */
/** @typedef {import("./lib/sip-phone-api.mjs").PhoneConfig} PhoneConfig */
/** @typedef {{ analysers: Set<AnalyserNode>, handlers: Map<string, (d: { action: string }) => void> }} Observed */

/** @type {import("./lib/session.mjs").Session} */
let s;
/** @type {PhonePage} */
let alice;
/** @type {PhonePage} */
let bob;

/** The frequencies each tone is made of (Hz). */
const TONES = {
  classic: [400, 450],
  european: [425],
  chime: [1318.5, 1046.5],
  internal: [660],
  file: [1500],
};

/** Runs in the page before its scripts: observes Web Audio outputs and Media Session handlers. */
function observeRinging() {
  const w = /** @type {{ observedRinging?: Observed } & typeof globalThis} */ (/** @type {unknown} */ (window));
  /** @type {Observed} */
  const seen = (w.observedRinging = { analysers: new Set(), handlers: new Map() });
  /** @type {WeakMap<BaseAudioContext, AnalyserNode>} */
  const byContext = new WeakMap();
  const connect = AudioNode.prototype.connect;
  /** @this {AudioNode} @param {any[]} args */
  AudioNode.prototype.connect = /** @type {any} */ (
    function (/** @type {any[]} */ ...args) {
      const result = /** @type {any} */ (connect).apply(this, args);
      const to = args[0];
      if (to instanceof AudioDestinationNode) {
        let analyser = byContext.get(to.context);
        if (!analyser) {
          analyser = to.context.createAnalyser();
          analyser.fftSize = 16384;
          analyser.smoothingTimeConstant = 0;
          byContext.set(to.context, analyser);
          seen.analysers.add(analyser);
        }
        /** @type {any} */ (connect).call(this, analyser);
      }
      return result;
    }
  );
  const session = navigator.mediaSession;
  const set = session.setActionHandler.bind(session);
  session.setActionHandler = (action, handler) => {
    set(action, handler);
    if (handler) seen.handlers.set(action, /** @type {any} */ (handler));
    else seen.handlers.delete(action);
  };
}

/**
 * The dominant frequency of what the page's audio outputs play now, when loud enough to be a
 * tone (undefined in silence, e.g. between two rings). An analyser whose samples did not change
 * since the last reading is not playing (Chromium stops processing a silent graph and keeps the
 * last samples: the previous ring would be heard again).
 * @param {PhonePage} page
 */
function dominant(page) {
  return page.evaluate(() => {
    const w = /** @type {{ observedRinging: Observed, lastSamples?: WeakMap<AnalyserNode, string> }} */ (/** @type {unknown} */ (window));
    const seen = w.observedRinging;
    const last = (w.lastSamples ??= new WeakMap());
    let best = { db: -Infinity, hz: 0 };
    for (const a of seen.analysers) {
      const samples = new Float32Array(a.fftSize);
      a.getFloatTimeDomainData(samples);
      const mark = samples.slice(0, 64).join(",");
      const stale = last.get(a) === mark;
      last.set(a, mark);
      if (stale) continue;
      const bins = new Float32Array(a.frequencyBinCount);
      a.getFloatFrequencyData(bins);
      for (let i = 2; i < bins.length; i++) if (bins[i] > best.db) best = { db: bins[i], hz: (i * a.context.sampleRate) / a.fftSize };
    }
    return best.db > -45 ? best.hz : undefined;
  });
}

/**
 * Waits until the ringer is quiet: the last ring's decay must not be heard as the next call's tone.
 * @param {PhonePage} page
 */
async function silence(page) {
  await eventually(async () => (await dominant(page)) === undefined, {
    interval: 120,
    timeout: 15_000,
    message: "the ringer to fall quiet",
  });
}

/**
 * Which of TONES is ringing: the tone whose frequencies the dominant frequency of 6 loud
 * readings matches (within 8 Hz); fails when readings match none, or more than one tone.
 * @param {PhonePage} page
 */
async function ringingTone(page) {
  /** @type {number[]} */
  const heard = [];
  await eventually(
    async () => {
      const hz = await dominant(page);
      if (hz !== undefined) heard.push(hz);
      return heard.length >= 6;
    },
    { interval: 120, timeout: 15_000, message: "a tone to ring" },
  );
  const names = new Set(
    heard.map(
      (hz) => Object.entries(TONES).find(([, freqs]) => freqs.some((f) => Math.abs(f - hz) < 8))?.[0] ?? `unknown ${hz.toFixed(0)} Hz`,
    ),
  );
  assert.equal(names.size, 1, `one tone rings (heard ${[...names].join(", ")})`);
  return [...names][0];
}

/**
 * A phone page observed from its first script (openPhone with an init script).
 * @param {string} name
 * @param {PhoneConfig} config
 * @returns {Promise<PhonePage>}
 */
async function openObserved(name, config) {
  const context = await s.browser.newContext({ ignoreHTTPSErrors: true, viewport: PHONE_VIEWPORT });
  await context.addInitScript(observeRinging);
  /** @type {PhonePage} */
  const page = Object.assign(await context.newPage(), { phoneName: name, consoleLines: [], sipReceived: [] });
  page.on("console", (m) => page.consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on("websocket", (ws) => ws.on("framereceived", (f) => page.sipReceived.push(String(f.payload))));
  await page.goto(s.appUrl);
  await page.waitForFunction(() => customElements.get("sip-phone") !== undefined);
  await el(page, (e, c) => e.configure(c), config);
  await waitForLineState(page, "registered");
  return page;
}

/**
 * A mono 16-bit WAV: `ms` of a `hz` sine, then as long of silence.
 * @param {number} hz
 * @param {number} ms
 */
function wav(hz, ms, rate = 8000) {
  const n = Math.round((rate * ms) / 1000) * 2;
  const buffer = Buffer.alloc(44 + n * 2);
  buffer.write("RIFF", 0);
  buffer.writeUInt32LE(36 + n * 2, 4);
  buffer.write("WAVEfmt ", 8);
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20);
  buffer.writeUInt16LE(1, 22);
  buffer.writeUInt32LE(rate, 24);
  buffer.writeUInt32LE(rate * 2, 28);
  buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write("data", 36);
  buffer.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n / 2; i++) buffer.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 12000), 44 + i * 2);
  return buffer;
}

/**
 * A trunk call to `user` with `alertInfo`, from sipp.
 * @param {string} user
 * @param {string} alertInfo
 */
function trunkCall(user, alertInfo) {
  return new Sipp(s.dir, "alert-info-uac.xml", { extraArgs: ["-s", user, "-key", "alert", alertInfo, "127.0.0.1:5060"] }).start();
}

before(async () => {
  s = await startSession();
  const one = accountFor(USERS.alice, { server: s.wss, id: "l1" }).accounts[0];
  const two = accountFor(LINE_USERS[0], { server: s.wss, id: "l2" }).accounts[0];
  alice = await openObserved("alice", {
    version: 1,
    accounts: [
      { ...one, ringtone: "european" },
      { ...two, ringtone: "chime" },
    ],
  });
  await waitForLineState(alice, "registered", { lineIndex: 1 });
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
});
afterEach(async () => {
  await hangupAll(alice, bob);
});
after(async () => {
  await stopSession(s);
});

/**
 * Bob calls `number`; what alice's ringer plays while it rings; bob hangs up.
 * @param {string} number
 */
async function bobCalls(number) {
  await silence(alice);
  await el(bob, (e, n) => e.dial(n), number);
  await waitForCall(alice, (c) => c.state === "incoming");
  const tone = await ringingTone(alice);
  await hangupAll(bob);
  await waitForPhone(alice, (e) => e.calls.length === 0);
  return tone;
}

test("two lines with different ringtones ring with different tones (the sound analysed)", async () => {
  assert.equal(await bobCalls("1001"), "european");
  assert.equal(await bobCalls(LINE_USERS[0].user), "chime");
});

test("an INVITE with Alert-Info info=alert-internal rings with the internal tone", async () => {
  await silence(alice);
  const sipp = trunkCall("1001", "<http://127.0.0.1>;info=alert-internal");
  const ringing = await waitForCall(alice, (c) => c.state === "incoming" && c.remote === "+4930555012");
  assert.equal(await ringingTone(alice), "internal");
  await el(alice, (e, id) => e.answer(id), ringing.id);
  await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: ringing.id });
  await el(alice, (e, id) => e.hangup(id), ringing.id);
  assert.equal((await sipp.exited).code, 0, "sipp got the 200 and the BYE");
});

test("Media Session: while a call rings its handlers answer (200 OK on the wire), mute, and hang up (BYE)", async () => {
  const sipp = trunkCall("1001", "<http://127.0.0.1>");
  const ringing = await waitForCall(alice, (c) => c.state === "incoming");
  /** @param {string} action */
  const invoke = (action) =>
    alice.evaluate((a) => {
      const seen = /** @type {{ observedRinging: Observed }} */ (/** @type {unknown} */ (window)).observedRinging;
      const handler = seen.handlers.get(a);
      if (!handler) throw new Error(`no ${a} handler (has ${[...seen.handlers.keys()].join(", ")})`);
      handler({ action: a });
    }, action);
  const handlers = () =>
    alice.evaluate(() =>
      [.../** @type {{ observedRinging: Observed }} */ (/** @type {unknown} */ (window)).observedRinging.handlers.keys()].sort(),
    );
  await eventually(async () => (await handlers()).includes("play"), { message: "a play handler while the call rings" });
  assert.deepEqual(await handlers(), ["hangup", "pause", "play"]);
  assert.equal(await alice.evaluate(() => navigator.mediaSession.playbackState), "playing");

  await invoke("play");
  await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: ringing.id });
  await eventually(() => /SIP\/2\.0 200 OK[\s\S]*CSeq: 1 INVITE/.test(sipp.messages), { message: "sipp received the 200 OK" });
  await eventually(async () => (await handlers()).includes("togglemicrophone"), { message: "call handlers" });
  await invoke("togglemicrophone");
  await waitForCall(alice, (c, id) => c.id === id && c.muted, { arg: ringing.id });

  await invoke("hangup");
  assert.equal((await sipp.exited).code, 0, "sipp received the BYE and answered it");
  assert.match(sipp.messages, /BYE sip:/);
  await waitForPhone(alice, (e) => e.calls.length === 0);
  await eventually(async () => (await handlers()).length === 0, { message: "handlers cleared without calls" });
});

test("a ringtone file added in Settings is kept across a reload and rings; a file that cannot play is refused", async () => {
  await alice.getByRole("tab", { name: "Settings" }).click();
  const input = alice.getByLabel("Add a ringtone file");
  await input.setInputFiles({ name: "not-sound.wav", mimeType: "audio/wav", buffer: Buffer.from("this is no audio at all") });
  await alice.getByText(/not-sound\.wav.*cannot play it/).waitFor();
  await input.setInputFiles({ name: "beep.wav", mimeType: "audio/wav", buffer: wav(TONES.file[0], 800) });
  await alice.getByText("beep.wav added.").waitFor();
  await alice.getByLabel("Ringtone for Alice").selectOption({ label: "beep.wav" });
  await alice.getByText("Ringtone saved.").waitFor();

  await alice.reload();
  await waitForLineState(alice, "registered");
  await alice.getByRole("tab", { name: "Settings" }).click();
  const chosen = alice.getByLabel("Ringtone for Alice");
  await eventually(async () => /^file:/.test(await chosen.inputValue()), { message: "the file still chosen after the reload" });
  assert.equal(await chosen.locator("option:checked").textContent(), "beep.wav");
  await el(alice, (e) => e.showView("phone"));

  assert.equal(await bobCalls("1001"), "file");
});
