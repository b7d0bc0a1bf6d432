// Corporate networks: lines whose media may go only through a TURN relay (iceTransportPolicy
// "relay"), proven with coturn on loopback over UDP, TCP and TLS; a relay-only line whose relay
// cannot be used fails with words; a relay lost mid-call is recovered by an ICE restart.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { USERS } from "./bed/bed.mjs";
import { Coturn, TURN_PORTS, TURN_USER } from "./bed/coturn.mjs";
import {
  accountFor,
  el,
  eventually,
  hangupAll,
  nextEnded,
  openPhone,
  setLogLevel,
  stats,
  waitForCall,
  waitForPhone,
} from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */
/** @typedef {import("./lib/sip-phone-api.mjs").PhoneConfig} PhoneConfig */
/** @typedef {import("./lib/sip-phone-api.mjs").SipPhone} SipPhone */
/** @typedef {import("./bed/bed.mjs").BedUser} BedUser */
/** @typedef {{ pc: RTCPeerConnection, config?: RTCConfiguration }} MadeConnection */
/** @typedef {Window & { __pcs?: MadeConnection[], __pcEvents?: string[] }} RecordingWindow */
/**
 * @typedef {object} MediaPath the live call's path, from its RTCPeerConnection's statistics
 * @property {number} made peer connections the page made since the line was configured
 * @property {(string | undefined)[]} policies their iceTransportPolicy, in order
 * @property {string[]} localTypes the types of every local candidate of the live connection
 * @property {string} iceState
 * @property {{ type?: string, relayProtocol?: string, url?: string, port?: number } | undefined} local the selected pair's local candidate
 * @property {{ type?: string, port?: number } | undefined} remote the selected pair's remote candidate
 * @property {string | undefined} ufrag our ICE user fragment as negotiated (each ICE restart changes it)
 */

/** @type {import("./lib/session.mjs").Session} */
let s;
/** @type {Coturn} */
let coturn;
/** @type {PhonePage} */
let alice;
/** @type {PhonePage} */
let bob;

before(async () => {
  s = await startSession();
  coturn = await new Coturn(s.dir).start();
  s.stops.push(() => coturn.stop());
  alice = await openPhone(s.browser, s.appUrl, { name: "alice", config: accountFor(USERS.alice, { server: s.wss }) });
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
  await recordPeerConnections(alice);
  await recordPeerConnections(bob);
});
afterEach(async () => {
  await hangupAll(alice, bob);
});
after(async () => {
  await stopSession(s);
});

/**
 * Keeps every RTCPeerConnection the page makes from now on, with the configuration it was made
 * with: the tests read the browser's own statistics, not the phone's account of them. Their
 * signalling, gathering and ICE events are kept too (the last 300), for a failure's message.
 * @param {PhonePage} page
 */
async function recordPeerConnections(page) {
  await page.evaluate(() => {
    const w = /** @type {RecordingWindow} */ (window);
    if (w.__pcs) return;
    /** @type {MadeConnection[]} */
    const made = (w.__pcs = []);
    const events = (w.__pcEvents = /** @type {string[]} */ ([]));
    const Native = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Native {
      /** @param {RTCConfiguration} [config] */
      constructor(config) {
        super(config);
        made.push({ pc: this, config });
        const n = made.length;
        const ufrag = () => /a=ice-ufrag:(\S+)/.exec(this.localDescription?.sdp ?? "")?.[1];
        /** @param {string} what */
        const note = (what) => events.push(`${Math.round(performance.now())} pc${n} ${what}`) > 300 && events.shift();
        this.addEventListener("signalingstatechange", () => note(`signaling ${this.signalingState}`));
        this.addEventListener("icegatheringstatechange", () => note(`gathering ${this.iceGatheringState} (local ufrag ${ufrag()})`));
        this.addEventListener("iceconnectionstatechange", () => note(`ice ${this.iceConnectionState}`));
        this.addEventListener("icecandidate", (e) =>
          note(`candidate ${e.candidate ? `${e.candidate.type} ufrag ${e.candidate.usernameFragment}` : "end"}`),
        );
      }
    };
  });
}

/**
 * What both pages logged and their connections did: appended to a failure's message, since a
 * failure of the ICE restart has shown up only on CI's machine.
 * @param {Error} e
 * @returns {Promise<never>}
 */
async function withDiagnosis(e) {
  const parts = [];
  for (const page of [alice, bob]) {
    const events = await page.evaluate(() => /** @type {RecordingWindow} */ (window).__pcEvents ?? []).catch(() => []);
    parts.push(
      `--- ${page.phoneName}: console`,
      ...page.consoleLines.slice(-60),
      `--- ${page.phoneName}: connections`,
      ...events.slice(-80),
    );
  }
  e.message += `\n${parts.join("\n")}`;
  throw e;
}

/**
 * @param {PhonePage} page
 * @returns {Promise<MediaPath>}
 */
function mediaPath(page) {
  return page.evaluate(async () => {
    const made = /** @type {RecordingWindow} */ (window).__pcs ?? [];
    const live = made.filter((m) => m.pc.signalingState !== "closed").at(-1)?.pc;
    if (!live) throw new Error("no live peer connection");
    /** @type {Record<string, any>[]} */
    const all = [];
    (await live.getStats()).forEach((r) => all.push(r));
    const transport = all.find((r) => r.type === "transport");
    const pair =
      all.find((r) => r.type === "candidate-pair" && r.id === transport?.selectedCandidatePairId) ??
      all.find((r) => r.type === "candidate-pair" && r.nominated && r.state === "succeeded");
    const local = pair && all.find((r) => r.id === pair.localCandidateId);
    const remote = pair && all.find((r) => r.id === pair.remoteCandidateId);
    return {
      made: made.length,
      policies: made.map((m) => m.config?.iceTransportPolicy),
      localTypes: all.filter((r) => r.type === "local-candidate").map((r) => r.candidateType),
      iceState: live.iceConnectionState,
      local: local && { type: local.candidateType, relayProtocol: local.relayProtocol, url: local.url, port: local.port },
      remote: remote && { type: remote.candidateType, port: remote.port },
      ufrag: /a=ice-ufrag:(\S+)/.exec(live.currentLocalDescription?.sdp ?? "")?.[1],
    };
  });
}

/**
 * Forgets the connections recorded so far (ended calls, other tests' lines).
 * @param {PhonePage} page
 */
async function forgetConnections(page) {
  await page.evaluate(() => /** @type {RecordingWindow} */ (window).__pcs?.splice(0));
}

/**
 * A relay-only account on coturn.
 * @param {BedUser} user
 * @param {string} id
 * @param {string} turnUrl
 * @param {{ credential?: string }} [options]
 * @returns {PhoneConfig}
 */
function relayOnly(user, id, turnUrl, { credential = TURN_USER.credential } = {}) {
  const config = accountFor(user, { server: s.wss, id });
  config.accounts[0] = {
    ...config.accounts[0],
    iceServers: [{ urls: turnUrl, username: TURN_USER.username, credential }],
    iceTransportPolicy: "relay",
  };
  return config;
}

/**
 * Configures the page and waits until that line (by its id) is registered.
 * @param {PhonePage} page
 * @param {PhoneConfig} config
 */
async function configure(page, config) {
  await el(page, (e, c) => e.configure(c), config);
  await waitForPhone(page, (e, id) => e.lines[0]?.id === id && e.lines[0].state === "registered", config.accounts[0].id, {
    timeout: 15_000,
  });
  await forgetConnections(page);
}

/**
 * Alice dials bob from the dialpad (typing opens the off-hook leg), bob answers; resolves both
 * call ids once each side receives audio that keeps coming.
 */
async function aliceCallsBob() {
  await alice.getByLabel("Number to call").fill("1002");
  await alice.getByRole("button", { name: "Call", exact: true }).click();
  const out = await waitForCall(alice, (c) => c.direction === "out" && c.state !== "ended");
  const incoming = await waitForCall(bob, (c) => c.state === "incoming");
  await el(bob, (e, id) => e.answer(id), incoming.id);
  await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: out.id });
  await audioGrows(alice, out.id, "alice");
  await audioGrows(bob, incoming.id, "bob");
  return { a: out.id, b: incoming.id };
}

/**
 * Waits until the call's inbound RTP grows by 50 packets (a second of audio) from now.
 * @param {PhonePage} page
 * @param {string} callId
 * @param {string} who
 * @param {number} [timeout]
 */
async function audioGrows(page, callId, who, timeout = 10_000) {
  const start = (await stats(page, callId)).packetsReceived;
  await eventually(async () => (await stats(page, callId)).packetsReceived > start + 50, { timeout, message: `${who} receives audio` });
}

/**
 * The call's path is relayed on both sides, over `protocol` to coturn.
 * @param {"udp" | "tcp" | "tls"} protocol
 */
async function assertRelayed(protocol) {
  for (const page of [alice, bob]) {
    const path = await eventually(async () => {
      const p = await mediaPath(page);
      return p.local && p.iceState !== "checking" && p;
    });
    assert.equal(path.local?.type, "relay", `${page.phoneName}'s selected pair is local relay: ${JSON.stringify(path)}`);
    assert.equal(path.local?.relayProtocol, protocol, `${page.phoneName} reaches coturn over ${protocol}`);
    assert.deepEqual([...new Set(path.localTypes)], ["relay"], `${page.phoneName} gathered relay candidates only`);
    // Every connection the page made for this line (the off-hook leg included) was relay-only.
    assert.ok(path.made > 0);
    assert.deepEqual([...new Set(path.policies)], ["relay"], `${page.phoneName}'s connections: ${path.policies}`);
  }
}

/** The sessions that allocated a relay on coturn since `mark`. */
function allocatedSince(/** @type {number} */ mark) {
  return coturn.sessions(mark).filter((x) => x.allocated);
}

for (const { protocol, url, port } of /** @type {const} */ ([
  { protocol: "udp", url: `turn:127.0.0.1:${TURN_PORTS.plain}?transport=udp`, port: TURN_PORTS.plain },
  { protocol: "tcp", url: `turn:127.0.0.1:${TURN_PORTS.plain}?transport=tcp`, port: TURN_PORTS.plain },
  { protocol: "tls", url: `turns:127.0.0.1:${TURN_PORTS.tls}?transport=tcp`, port: TURN_PORTS.tls },
])) {
  test(`relay-only over ${protocol.toUpperCase()}: the call's selected pair is a relay pair and audio flows both ways`, async () => {
    await configure(alice, relayOnly(USERS.alice, `turn-${protocol}`, url));
    await configure(bob, relayOnly(USERS.bob, `turn-${protocol}`, url));
    const mark = coturn.mark();
    const ids = await aliceCallsBob();
    await assertRelayed(protocol);
    // coturn's side: both phones allocated a relay with the bed's credentials.
    assert.ok(allocatedSince(mark).length >= 2, `coturn allocations: ${JSON.stringify(coturn.sessions(mark))}`);
    const streams = coturn.streamConnections(mark);
    if (protocol === "udp") assert.equal(streams, 0, "no TCP or TLS connection to coturn");
    else assert.ok(streams >= 2, `TCP/TLS connections to coturn: ${streams}`);

    // What closes from here on is the call's: a standby connection the previous test's line
    // still made for its own relay (src/sip/api/standby-legs.ts remakes one when a call ends)
    // is closed by then, on that relay's port.
    const callUp = coturn.mark();
    await el(alice, (e, id) => e.hangup(id), ids.a);
    await waitForPhone(bob, (e) => e.calls.length === 0, null, { timeout: 10_000 });
    // The phones release their allocations when the call ends, each on the port it used.
    const closed = await eventually(
      () => {
        const done = coturn.sessions(callUp).filter((x) => x.local);
        return done.length >= 2 && done;
      },
      { message: "coturn closed the call's allocations" },
    );
    for (const x of closed) assert.equal(x.local, `127.0.0.1:${port}`, JSON.stringify(x));
  });
}

test("relay-only without a usable relay: the call fails with words, placing and answering", async () => {
  // Placing: coturn refuses the credentials, so no relay candidate; no INVITE leaves.
  await configure(alice, relayOnly(USERS.alice, "turn-refused", `turn:127.0.0.1:${TURN_PORTS.plain}`, { credential: "wrong" }));
  await configure(bob, accountFor(USERS.bob, { server: s.wss, id: "plain" }));
  const invites = s.kamailio.log.split("\n").filter((l) => /REQ INVITE sip:1002@/.test(l)).length;
  const ended = nextEnded(alice);
  await el(alice, (e) => e.dial("1002")).catch(() => undefined);
  const failed = await ended;
  assert.equal(failed.reason, "failed");
  assert.match(failed.message ?? "", /No TURN relay could be reached, and this line sends sound only through one/);
  assert.equal(s.kamailio.log.split("\n").filter((l) => /REQ INVITE sip:1002@/.test(l)).length, invites, "no INVITE was sent");

  // Answering: nothing listens where bob's relay should be.
  await configure(alice, accountFor(USERS.alice, { server: s.wss, id: "plain" }));
  await configure(bob, relayOnly(USERS.bob, "turn-unreachable", `turn:127.0.0.1:${TURN_PORTS.plain + 1}?transport=tcp`));
  const callerEnded = nextEnded(alice);
  await el(alice, (e) => e.dial("1002"));
  const incoming = await waitForCall(bob, (c) => c.state === "incoming");
  const bobEnded = nextEnded(bob);
  await el(bob, (e, id) => e.answer(id), incoming.id).catch(() => undefined);
  const answered = await bobEnded;
  assert.equal(answered.reason, "failed");
  assert.match(answered.message ?? "", /No TURN relay could be reached/);
  const caller = await callerEnded;
  assert.equal(caller.reason, "rejected", "the caller is told the call could not be taken");
});

test("the relay lost mid-call: ICE restart by re-INVITE, a new relay, audio again", async () => {
  const url = `turn:127.0.0.1:${TURN_PORTS.plain}?transport=udp`;
  await configure(alice, relayOnly(USERS.alice, "turn-restart", url));
  await configure(bob, relayOnly(USERS.bob, "turn-restart", url));
  // The phones' own account of the restart (ice-watch, re-INVITE retries), for a failure's message.
  for (const page of [alice, bob]) await setLogLevel(page, "info");
  const ids = await aliceCallsBob();
  await assertRelayed("udp");
  const before = { alice: await mediaPath(alice), bob: await mediaPath(bob) };
  const invites = s.kamailio.log.split("\n").filter((l) => /REQ INVITE /.test(l)).length;

  // A new coturn on the same ports: every allocation, and so the media path, is gone.
  await coturn.restart();
  const mark = coturn.mark();

  // ICE reports the loss, the phones wait it out (4 s), then restart ICE with a re-INVITE.
  /** @param {MediaPath} p @param {MediaPath} old */
  const renewed = (p, old) => p.ufrag !== old.ufrag && /connected|completed/.test(p.iceState) && p.local?.type === "relay";
  const after = await eventually(
    async () => {
      const a = await mediaPath(alice);
      const b = await mediaPath(bob);
      return renewed(a, before.alice) && renewed(b, before.bob) && { a, b };
    },
    { timeout: 40_000, interval: 500, message: "both sides restarted ICE on a new relay" },
  ).catch(withDiagnosis);
  assert.ok(s.kamailio.log.split("\n").filter((l) => /REQ INVITE /.test(l)).length > invites, "a re-INVITE went through Kamailio");
  assert.ok(allocatedSince(mark).length >= 2, `the new coturn allocated relays: ${JSON.stringify(coturn.sessions(mark))}`);
  assert.equal(after.a.local?.relayProtocol, "udp");
  await audioGrows(alice, ids.a, "alice after the restart", 15_000);
  await audioGrows(bob, ids.b, "bob after the restart", 15_000);
  // Still one call on each side: nothing ended it meanwhile.
  assert.equal((await el(alice, (e) => e.calls)).length, 1);
  assert.equal((await el(bob, (e) => e.calls)).length, 1);
});
