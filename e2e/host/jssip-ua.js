// A second, independent SIP user agent for the e2e bed: JsSIP (npm `jssip`, bundled from
// node_modules by e2e/jssip.test.mjs and served as /jssip/jssip.js) as a WebRTC phone in its own
// page. The test drives it through window.jssipPhone and reads what it did from `calls()`; the
// SIP on its socket is recorded by the test (Playwright's WebSocket frames).
/* global window, document, console, setTimeout, MediaStream, JsSIP */
"use strict";

/** @type {Map<string, any>} call id -> { session, record } */
const calls = new Map();
/** @type {WeakMap<object, string>} JsSIP session -> call id */
const ids = new WeakMap();
let nextId = 0;
/** @type {any} */
let ua;
/** A call's media options: a new object each time (JsSIP writes into them: a REFER's Replaces). */
const media = () => ({ mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } });

/** The user part of a JsSIP identity (NameAddrHeader). */
function userOf(identity) {
  return identity?.uri?.user ?? "";
}

/**
 * Starts recording a session's events in a call record; returns the call's id.
 * @param {any} session
 * @param {{ referredBy?: string, replaces?: string }} [extra]
 */
function track(session, extra = {}) {
  const known = ids.get(session);
  if (known) return known;
  const id = `js${++nextId}`;
  ids.set(session, id);
  const record = {
    id,
    direction: session.direction === "incoming" ? "in" : "out",
    remote: userOf(session.remote_identity),
    state: session.direction === "incoming" ? "incoming" : "dialing",
    localHold: false,
    remoteHold: false,
    /** every hold/unhold event, in order: "hold:local", "unhold:remote"... */
    holds: [],
    /** tones of newDTMF events from the other side (INFO: JsSIP reports only those) */
    dtmfInfo: "",
    /** progress of a REFER this call sent: requestSucceeded, trying, progress, accepted, failed */
    referEvents: [],
    /** REFERs received on this call: their Refer-To */
    refersIn: [],
    /** the call made by following a REFER received on it */
    followedBy: undefined,
    ...extra,
  };
  calls.set(id, { session, record });
  session.on("progress", () => {
    if (record.state === "dialing") record.state = "ringing";
  });
  session.on("confirmed", () => (record.state = "established"));
  session.on("accepted", () => (record.state = "established"));
  session.on("ended", (/** @type {any} */ e) => {
    record.state = "ended";
    record.endedBy = e.originator;
    record.cause = e.cause;
  });
  session.on("failed", (/** @type {any} */ e) => {
    record.state = "ended";
    record.endedBy = e.originator;
    record.cause = e.cause;
    record.failedCode = e.message?.status_code;
  });
  session.on("hold", (/** @type {any} */ e) => {
    record.holds.push(`hold:${e.originator}`);
    Object.assign(record, holdState(session));
  });
  session.on("unhold", (/** @type {any} */ e) => {
    record.holds.push(`unhold:${e.originator}`);
    Object.assign(record, holdState(session));
  });
  session.on("newDTMF", (/** @type {any} */ e) => {
    if (e.originator === "remote") record.dtmfInfo += e.dtmf.tone;
  });
  // Being transferred: accept, and call the target (with the Replaces of an attended transfer).
  session.on("refer", (/** @type {any} */ e) => {
    record.refersIn.push(String(e.request.getHeader("Refer-To")));
    e.accept((/** @type {any} */ next) => {
      record.followedBy = track(next, { referredBy: id });
    }, media());
  });
  // Replaced by an INVITE with Replaces (we are the target of an attended transfer): accept; the
  // new call is answered at once, and JsSIP ends this one when it is confirmed.
  session.on("replaces", (/** @type {any} */ e) => {
    e.accept((/** @type {any} */ next) => {
      const nextId = track(next, { replaces: id });
      setTimeout(() => answer(nextId), 0);
    });
  });
  if (session.connection) play(session.connection);
  else session.on("peerconnection", (/** @type {any} */ e) => play(e.peerconnection));
  return id;
}

/** @param {any} session */
function holdState(session) {
  const h = session.isOnHold();
  return { localHold: h.local, remoteHold: h.remote };
}

/**
 * Plays the remote audio: Chrome counts audio energy only for played tracks.
 * @param {RTCPeerConnection} pc
 */
function play(pc) {
  pc.addEventListener("track", (e) => {
    const audio = document.createElement("audio");
    audio.autoplay = true;
    audio.srcObject = e.streams[0] ?? new MediaStream([e.track]);
    document.body.append(audio);
  });
}

/** @param {string} id */
function get(id) {
  const c = calls.get(id);
  if (!c) throw new Error(`no JsSIP call ${id}`);
  return c;
}

/** @param {string} id */
function answer(id) {
  get(id).session.answer(media());
}

window.jssipPhone = {
  /**
   * Registers over WSS; resolves once registered.
   * @param {{ server: string, user: string, password: string, name: string }} o
   */
  start(o) {
    JsSIP.debug.disable();
    ua = new JsSIP.UA({
      sockets: [new JsSIP.WebSocketInterface(o.server)],
      uri: `sip:${o.user}@127.0.0.1`,
      password: o.password,
      display_name: o.name,
      register: true,
      register_expires: 300,
    });
    ua.on("newRTCSession", (/** @type {any} */ e) => track(e.session));
    return new Promise((resolve, reject) => {
      ua.on("registered", () => resolve(JsSIP.version));
      ua.on("registrationFailed", (/** @type {any} */ e) => reject(new Error(`JsSIP registration failed: ${e.cause}`)));
      ua.start();
    });
  },
  version: () => JsSIP.version,
  /** Every call's record (plain data). */
  calls: () =>
    [...calls.values()].map((c) => ({
      ...c.record,
      ...holdState(c.session),
      // RFC 4733 events received on the call's connection (rtp-dtmf.js): digits, payload types.
      dtmfRtp: c.session.connection ? window.rtpDtmf?.of(c.session.connection) : undefined,
    })),
  /** @param {string} target a user of the bed */
  call(target) {
    return track(ua.call(`sip:${target}@127.0.0.1`, media()));
  },
  answer,
  /** @param {string} id */
  hangup(id) {
    const { session } = get(id);
    if (!session.isEnded()) session.terminate();
  },
  /** @param {string} id */
  hold: (id) => get(id).session.hold(),
  /** @param {string} id */
  unhold: (id) => get(id).session.unhold(),
  /**
   * @param {string} id
   * @param {string} tones
   * @param {"INFO" | "RFC2833"} transportType
   */
  sendDtmf(id, tones, transportType) {
    get(id).session.sendDTMF(tones, { transportType, duration: 160, interToneGap: 100 });
  },
  /**
   * Transfers call `id` to `target` (REFER); with `replacesId`, an attended transfer: the Refer-To
   * carries the Replaces of that other call. The REFER's progress goes to the call's `referEvents`.
   * @param {string} id
   * @param {string} target a user of the bed
   * @param {string} [replacesId]
   */
  refer(id, target, replacesId) {
    const { session, record } = get(id);
    const note = (/** @type {string} */ name) => (/** @type {any} */ e) =>
      record.referEvents.push(e?.response?.status_code ? `${name} ${e.response.status_code}` : name);
    session.refer(`sip:${target}@127.0.0.1`, {
      ...(replacesId ? { replaces: get(replacesId).session } : {}),
      eventHandlers: {
        requestSucceeded: note("requestSucceeded"),
        requestFailed: note("requestFailed"),
        trying: note("trying"),
        progress: note("progress"),
        accepted: note("accepted"),
        failed: note("failed"),
      },
    });
  },
  /**
   * The call's RTP figures from getStats: inbound and outbound audio.
   * @param {string} id
   */
  async stats(id) {
    const pc = get(id).session.connection;
    if (!pc) return undefined;
    const out = { packetsReceived: 0, packetsSent: 0, totalAudioEnergy: 0 };
    (await pc.getStats()).forEach((/** @type {any} */ r) => {
      if (r.type === "inbound-rtp" && r.kind === "audio") {
        out.packetsReceived += r.packetsReceived ?? 0;
        out.totalAudioEnergy += r.totalAudioEnergy ?? 0;
      }
      if (r.type === "outbound-rtp" && r.kind === "audio") out.packetsSent += r.packetsSent ?? 0;
    });
    return out;
  },
};
console.log("JsSIP page ready");
