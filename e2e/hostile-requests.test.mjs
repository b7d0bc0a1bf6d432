// Hostile requests on the wire: the RFC 4475 torture messages (and SIP in a binary WebSocket
// frame, RFC 7118) sent to the phone by a WebSocket SIP peer of ours, with what the phone
// answered read off the wire; auto-answer only when safe, and the ring timeout, end to end.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { el, eventually, hangupAll, nextEnded, openPhone, waitForCall, waitForPhone } from "./lib/browser.mjs";
import { startHostileServer } from "./lib/hostile-server.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {{ name: string, expect: number | "ring" | "none", by: string, why: string, message: string }} TortureCase */
/** @type {{ messages: TortureCase[] }} */
const torture = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), "..", "src", "sip", "test-support", "rfc4475.json"), "utf8"),
);

/** @type {import("./lib/session.mjs").Session} */
let s;
before(async () => {
  s = await startSession();
});
after(async () => {
  await stopSession(s);
});

/** A WebRTC offer Chromium accepts (answering it needs no media to flow). */
const WEBRTC_OFFER = [
  "v=0",
  "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
  "s=-",
  "t=0 0",
  "a=group:BUNDLE 0",
  "m=audio 9 UDP/TLS/RTP/SAVPF 111",
  "c=IN IP4 0.0.0.0",
  "a=rtcp:9 IN IP4 0.0.0.0",
  "a=ice-ufrag:hstl",
  "a=ice-pwd:hostilepeerpassword0123",
  `a=fingerprint:sha-256 ${Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).toUpperCase().padStart(2, "0")).join(":")}`,
  "a=setup:actpass",
  "a=mid:0",
  "a=sendrecv",
  "a=rtcp-mux",
  "a=rtpmap:111 opus/48000/2",
  "",
].join("\r\n");

/**
 * A phone registered with a fresh hostile peer, and helpers to talk to it.
 * @param {Record<string, unknown>} [account] extra account keys
 */
async function hostilePhone(account = {}) {
  const peer = await startHostileServer();
  const page = await openPhone(s.browser, s.appUrl, {
    name: "target",
    config: { version: 1, accounts: [{ id: "h", sipUri: "sip:1001@127.0.0.1", password: "x", servers: [peer.url], ...account }] },
  });
  /** @type {string[]} */
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const contact = peer.contact();
  assert.ok(contact, "the phone registered with the peer");
  const [, user = "", host = ""] = /^sip:([^@]+)@([^;>]+)/.exec(contact) ?? [];
  let n = 0;
  /**
   * An INVITE (or another method) from `from` to the phone; returns its Call-ID and text.
   * @param {{ from?: string, headers?: string[], method?: string, body?: string }} [options]
   */
  const request = ({
    from = "<sip:2000@127.0.0.1>",
    headers = [],
    method = "INVITE",
    body = method === "INVITE" ? WEBRTC_OFFER : "",
  } = {}) => {
    const callId = `hostile-req-${++n}`;
    const lines = [
      `${method} ${contact} SIP/2.0`,
      `Via: SIP/2.0/WS 127.0.0.1;branch=z9hG4bK${callId}`,
      "Max-Forwards: 70",
      `From: ${from};tag=f${callId}`,
      "To: <sip:1001@127.0.0.1>",
      `Call-ID: ${callId}`,
      `CSeq: 1 ${method}`,
      "Contact: <sip:2000@127.0.0.1;transport=ws>",
      ...headers,
      ...(body ? ["Content-Type: application/sdp"] : []),
      `Content-Length: ${Buffer.byteLength(body)}`,
    ];
    const text = `${lines.join("\r\n")}\r\n\r\n${body}`;
    peer.send(text);
    return { callId, text };
  };
  /** Statuses the phone answered to `callId`, in order. @param {string} callId */
  const statuses = (callId) =>
    peer.received
      .filter((m) => m.startsWith("SIP/2.0 ") && new RegExp(`^Call-ID: ${callId}\r$`, "m").test(m))
      .map((m) => Number(m.slice(8, 11)));
  /** The phone's response with `status` to `callId`. @param {string} callId @param {number} status */
  const response = (callId, status) =>
    peer.received.find((m) => m.startsWith(`SIP/2.0 ${status} `) && new RegExp(`^Call-ID: ${callId}\r$`, "m").test(m));
  /** An OPTIONS answered 200 proves the phone handled everything sent before (one socket, in order). */
  const settle = async () => {
    const probe = request({ method: "OPTIONS" });
    await eventually(() => statuses(probe.callId).includes(200), { message: `the phone answered ${probe.callId}` });
  };
  /** ACK for the phone's 2xx to `callId` (its To-tag taken from the 200). @param {string} callId */
  const ack = (callId) => {
    const ok = response(callId, 200) ?? "";
    const to = /^To: (.*)\r$/m.exec(ok)?.[1];
    const target = /^Contact: <([^>]+)>/m.exec(ok)?.[1] ?? contact;
    peer.send(
      `ACK ${target} SIP/2.0\r\nVia: SIP/2.0/WS 127.0.0.1;branch=z9hG4bKack${callId}\r\nMax-Forwards: 70\r\n` +
        `From: ${/^From: (.*)\r$/m.exec(ok)?.[1]}\r\nTo: ${to}\r\nCall-ID: ${callId}\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n`,
    );
  };
  return { peer, page, errors, contact, user, host, request, statuses, response, settle, ack };
}

test("RFC 4475 torture messages: each gets the answer the RFC expects, no INVITE a 2xx, no page error; the phone still rings", async () => {
  const h = await hostilePhone();
  const { peer, user, host } = h;
  try {
    /** @type {Record<string, number[]>} */
    const answers = {};
    /** @type {Record<string, number[]>} */
    const expected = {};
    const escaped = Array.from(user, (c) => `%${c.charCodeAt(0).toString(16)}`).join("");
    for (const m of torture.messages) {
      const text = m.message.replaceAll("{{user-escaped}}", escaped).replaceAll("{{user}}", user).replaceAll("{{host}}", host);
      const bytes = Buffer.from(text, "latin1");
      let utf8 = true;
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      } catch {
        utf8 = false;
      }
      const mark = peer.received.length;
      peer.sendBytes(bytes, { binary: !utf8 });
      const callId = /^(?:Call-ID|i)\s*:\s*(\S+)\r$/im.exec(text)?.[1];
      if (m.expect === "ring" && callId) await eventually(() => h.statuses(callId).includes(180), { message: `${m.name} rings` });
      await h.settle();
      answers[m.name] = peer.received
        .slice(mark)
        .filter((r) => r.startsWith("SIP/2.0 ") && !/^Call-ID: hostile-req-/m.test(r))
        .map((r) => Number(r.slice(8, 11)))
        .filter((code) => code !== 100);
      expected[m.name] = m.expect === "ring" ? [180] : m.expect === "none" ? [] : [m.expect];
    }
    assert.deepEqual(answers, expected);
    const r420 = peer.received.find((r) => r.startsWith("SIP/2.0 420 ") && r.includes("bext01"));
    assert.match(r420 ?? "", /^Unsupported: nothingSupportsThis, nothingSupportsThisEither\r$/m);
    assert.match(peer.received.find((r) => r.startsWith("SIP/2.0 415 ") && r.includes("invut.")) ?? "", /^Accept: application\/sdp\r$/m);
    assert.match(peer.received.find((r) => r.startsWith("SIP/2.0 415 ") && r.includes("mpart01")) ?? "", /^Accept: text\/plain\r$/m);
    assert.match(
      peer.received.find((r) => r.startsWith("SIP/2.0 405 ") && r.includes("regaut01")) ?? "",
      /^Allow: ACK, BYE, CANCEL, INFO, INVITE, MESSAGE, NOTIFY, OPTIONS, REFER\r$/m,
    );

    // A valid INVITE whose SDP is not UTF-8 (latin1 session name) comes in a binary frame: it rings.
    const sdp = Buffer.concat([Buffer.from(WEBRTC_OFFER.replace("s=-", "s=Caf"), "latin1"), Buffer.from([0xe9, 0x0d, 0x0a])]);
    const binaryCallId = "hostile-binary-1";
    const head = [
      `INVITE ${h.contact} SIP/2.0`,
      `Via: SIP/2.0/WS 127.0.0.1;branch=z9hG4bK${binaryCallId}`,
      "Max-Forwards: 70",
      `From: "Binary" <sip:2001@127.0.0.1>;tag=f${binaryCallId}`,
      "To: <sip:1001@127.0.0.1>",
      `Call-ID: ${binaryCallId}`,
      "CSeq: 1 INVITE",
      "Contact: <sip:2001@127.0.0.1;transport=ws>",
      "Content-Type: application/sdp",
      `Content-Length: ${sdp.length}`,
    ].join("\r\n");
    peer.sendBytes(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, "utf8"), sdp]), { binary: true });
    await eventually(() => h.statuses(binaryCallId).includes(180), { message: "the binary-frame INVITE rings" });
    const ringing = await el(h.page, (e) => e.calls.map((c) => ({ state: c.state, name: c.remoteName ?? "" })));
    assert.ok(
      ringing.some((c) => c.name === "Binary" && c.state === "incoming"),
      "the binary-frame call rings in the page",
    );
    assert.ok(
      ringing.every((c) => Array.from(c.name).length <= 100),
      "display names are capped",
    );

    // No INVITE was ever answered 2xx.
    const invite2xx = peer.received.filter((r) => /^SIP\/2\.0 2\d\d /.test(r) && /^CSeq:\s*\d+\s+INVITE\r$/m.test(r));
    assert.deepEqual(invite2xx, []);
    await hangupAll(h.page);

    // The next valid call rings.
    const next = h.request();
    const call = await waitForCall(h.page, (c) => c.state === "incoming");
    assert.equal(call.remote, "2000");
    assert.ok(h.statuses(next.callId).includes(180));
    await el(h.page, (e) => e.decline());
    await eventually(() => h.statuses(next.callId).includes(603), { message: "603 for the declined call" });
    assert.deepEqual(h.errors, [], "no uncaught error reached the page");
    await h.page.context().close();
  } finally {
    await peer.close();
  }
});

test("auto-answer: answered from the line's own domain when no other call is up; never during a call, from another host, or for a look-alike Alert-Info", async () => {
  const h = await hostilePhone({ autoAnswer: true });
  try {
    const paging = h.request({ from: '"Paging" <sip:3999@127.0.0.1>', headers: ["Call-Info: <sip:127.0.0.1>;answer-after=0"] });
    await eventually(() => h.statuses(paging.callId).includes(200), { message: "the paging call is answered by itself", timeout: 15_000 });
    h.ack(paging.callId);
    await waitForCall(h.page, (c) => c.state === "established" && c.remote === "3999");

    // During that call: the same request rings, and is not answered.
    const during = h.request({ from: '"Paging" <sip:3998@127.0.0.1>', headers: ["Call-Info: <sip:127.0.0.1>;answer-after=0"] });
    await waitForCall(h.page, (c) => c.state === "incoming" && c.remote === "3998");
    await h.settle();
    // The auto-answer would have started at once (answer-after=0): give it time to show.
    await new Promise((r) => setTimeout(r, 2000));
    assert.ok(h.statuses(during.callId).includes(180));
    assert.ok(!h.statuses(during.callId).includes(200), "not answered during another call");
    await hangupAll(h.page);

    // No call up: another host's request, and an Alert-Info that only contains the words, ring.
    const foreign = h.request({ from: "<sip:3999@attacker.example>", headers: ["Call-Info: <sip:attacker.example>;answer-after=0"] });
    await waitForCall(h.page, (c) => c.state === "incoming" && c.remote === "3999");
    await new Promise((r) => setTimeout(r, 2000));
    assert.ok(!h.statuses(foreign.callId).includes(200), "not answered for a foreign host");
    await hangupAll(h.page);
    const lookalike = h.request({ from: "<sip:3997@127.0.0.1>", headers: ["Alert-Info: <http://127.0.0.1/auto-answer.wav>"] });
    await waitForCall(h.page, (c) => c.state === "incoming" && c.remote === "3997");
    await new Promise((r) => setTimeout(r, 2000));
    assert.ok(!h.statuses(lookalike.callId).includes(200), "a ringtone URL is no auto-answer request");
    await hangupAll(h.page);
    assert.deepEqual(h.errors, []);
    await h.page.context().close();
  } finally {
    await h.peer.close();
  }
});

test("ring timeout: an unanswered call ends after the line's ringTimeout with 480 and shows as missed", async () => {
  const h = await hostilePhone({ ringTimeout: 10 });
  try {
    const ended = nextEnded(h.page, { timeout: 20_000 });
    const started = Date.now();
    const call = h.request();
    await waitForCall(h.page, (c) => c.state === "incoming");
    const snapshot = await ended;
    const took = Date.now() - started;
    assert.equal(snapshot.reason, "missed");
    await eventually(() => h.statuses(call.callId).includes(480), { message: "480 on the wire" });
    // The promise under test is a time: 10 s, not SIP.js's 60 s and not never.
    assert.ok(took >= 9_500 && took < 14_000, `ended after ${took} ms`);
    await waitForPhone(h.page, (e) => e.calls.length === 0);
    assert.deepEqual(h.errors, []);
    await h.page.context().close();
  } finally {
    await h.peer.close();
  }
});
