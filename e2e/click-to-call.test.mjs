// Click-to-call: dial links (tel: handler URL), desk-phone mode (INVITE with auto-answer, REFER,
// NOTIFY, BYE) against sipp and baresip as the desk phone, reverse mode, and the failures.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Sipp, USERS, wavRms } from "./bed/bed.mjs";
import { deskPhoneScenario } from "./sipp/desk-phone-uas.mjs";
import {
  accountFor,
  confirmLink,
  eventually,
  hangupAll,
  nextEnded,
  openPhone,
  shownText,
  stats,
  waitForCall,
  waitForPhone,
  el,
} from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").Page} Page */
/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */
/** @typedef {import("./lib/sip-phone-api.mjs").AccountConfig} AccountConfig */
/** @typedef {import("./lib/sip-phone-api.mjs").PhoneConfig} PhoneConfig */
/** @typedef {import("./lib/sip-phone-api.mjs").CallSnapshot} CallSnapshot */

/** @type {import("./lib/session.mjs").DeskSession} */
let s;
/**
 * Alice's phone with click-to-call settings, from the desk-phone tests on.
 * @type {PhonePage | undefined}
 */
let alice;
/** @type {PhonePage} */
let bob;
before(async () => {
  s = await startSession({ desk: true });
  bob = await openPhone(s.browser, s.appUrl, { name: "bob", config: accountFor(USERS.bob, { server: s.wss }) });
});
afterEach(async () => {
  await hangupAll(...[alice, bob].filter((p) => p !== undefined));
});
after(async () => {
  await stopSession(s);
});

/** @param {RegExp} re */
const kamailioLines = (re) => s.kamailio.log.split("\n").filter((l) => re.test(l));

/**
 * Alice's line with click-to-call settings (Vienna, desk phone as given).
 * @param {Partial<AccountConfig>} extra
 */
function aliceWith(extra) {
  const c = accountFor(USERS.alice, { server: s.wss });
  Object.assign(c.accounts[0], { location: { countryCode: "43", areaCode: "1", extensionLength: 4 }, ...extra });
  return c;
}

/**
 * @param {Page} page
 * @param {PhoneConfig} config
 */
async function reconfigure(page, config) {
  await el(page, (e, c) => e.configure(c), config);
  await waitForPhone(page, (e) => e.lines[0]?.state === "registered");
}

/**
 * The first `call-state` event in `page`, from now on, whose call matches `predicate` (run in
 * the page). Unlike waitForCall's polling of the call list, it sees a call that ends at once.
 * @param {Page} page
 * @param {(c: CallSnapshot) => unknown} predicate
 * @returns {Promise<CallSnapshot>}
 */
function nextCallState(page, predicate, timeout = 15_000) {
  return page.evaluate(
    ([src, ms]) =>
      new Promise((resolve, reject) => {
        const phone = /** @type {HTMLElement} */ (document.querySelector("sip-phone"));
        const matches = new Function("c", `return (${src})(c)`);
        const timer = setTimeout(() => reject(new Error(`no matching call-state event within ${ms} ms`)), ms);
        phone.addEventListener("call-state", (e) => {
          const call = /** @type {CustomEvent<CallSnapshot>} */ (e).detail;
          if (!matches(call)) return;
          clearTimeout(timer);
          resolve(call);
        });
      }),
    /** @type {[string, number]} */ ([predicate.toString(), timeout]),
  );
}

/** Alice's page, opened by the desk-phone test. */
function alicePage() {
  assert.ok(alice, "alice's phone is open (the desk-phone test opens it)");
  return alice;
}

/** @param {"ok" | "busy" | "refer405" | "noanswer"} variant */
function startDeskSipp(variant) {
  const file = join(s.dir, `desk-${variant}.xml`);
  writeFileSync(file, deskPhoneScenario(variant));
  return new Sipp(s.dir, file).start();
}

/**
 * sipp's message trace, split per message, received or sent.
 * @param {Sipp} sipp
 */
function sippMessages(sipp) {
  return sipp.messages
    .split(/^-{10,}.*$/m)
    .map((m) => m.trim())
    .filter(Boolean);
}

test("the handler URL with tel%3A%2B4315056410 dials the normalised number on the default line", async () => {
  const page = await openPhone(s.browser, s.appUrl, {
    name: "alice",
    config: aliceWith({ location: { countryCode: "43", areaCode: "1", extensionLength: 4, outsideLine: "0", dialFormat: "prefixed" } }),
  });
  try {
    const before = kamailioLines(/REQ INVITE sip:0015056410@127\.0\.0\.1 from sip:1001@/).length;
    await page.goto(`${s.appUrl}/?dial=tel%3A%2B4315056410`);
    // The question shows the PBX form on the default line; Enter dials it.
    const shown = await confirmLink(page);
    assert.match(shown, /Calls sip:0015056410@127\.0\.0\.1 Line .*sip:1001@127\.0\.0\.1/);
    await eventually(() => kamailioLines(/REQ INVITE sip:0015056410@127\.0\.0\.1 from sip:1001@/).length > before, {
      message: "Kamailio received alice's INVITE to the PBX form of +4315056410",
    });
    assert.equal(new URL(page.url()).search, "", "the dial parameter is removed (a reload does not dial again)");
  } finally {
    await hangupAll(page);
    await page.context().close();
  }
});

test("a link opened while the phone is open in another window dials in that window", async () => {
  const open = await openPhone(s.browser, s.appUrl, { name: "open", config: accountFor(USERS.alice, { server: s.wss }) });
  try {
    const invites = () => kamailioLines(/REQ INVITE sip:1002@127\.0\.0\.1 from sip:1001@/).length;
    const before = invites();
    const second = await open.context().newPage();
    // The new window hands the number to the open one, or dials itself when its hand-off wait
    // runs out. Only after a hand-off does it close itself, which the browser refuses here (it
    // says so on the console): that is the sign that it will not dial.
    let handedOver = false;
    second.on("close", () => (handedOver = true));
    second.on("console", (m) => {
      if (/Scripts may close only the windows that were opened by them/.test(m.text())) handedOver = true;
    });
    await second.goto(`${s.appUrl}/?dial=1002`);
    // The open window asks (the link is a request); Call there dials.
    await confirmLink(open);
    const atBob = await waitForCall(bob, (c) => c.state === "incoming");
    assert.equal(atBob.remote, "1001");
    await waitForCall(open, (c) => c.state === "ringing" || c.state === "dialing");
    // The new window said "1002 was passed to your other phone window" and closes if the browser
    // lets it; in one profile it also shows the call, mirrored from the tab that holds the line.
    if (!second.isClosed()) await waitForCall(second, (c) => c.state === "ringing" && c.remote === "1002");
    await eventually(() => handedOver, { message: "the new window handed the number over" });
    // Kamailio logs each INVITE twice (request route and branch): one call, not two.
    assert.equal(invites() - before, 2, "exactly one INVITE for the link");
  } finally {
    await hangupAll(open, bob);
    await open.context().close();
  }
});

test("a link with no account set up says so, and dials once a line is set up", async () => {
  const fresh = await openPhone(s.browser, s.appUrl, { name: "fresh", waitFor: null, path: "/?dial=1002" });
  try {
    await eventually(async () => /No account is set up yet.*you will be asked to call 1002 then/.test(await shownText(fresh)), {
      message: "the phone says why it does not dial",
    });
    await el(fresh, (e, c) => e.configure(c), accountFor(USERS.alice, { server: s.wss }));
    await confirmLink(fresh);
    const atBob = await waitForCall(bob, (c) => c.state === "incoming");
    assert.equal(atBob.remote, "1001");
  } finally {
    await hangupAll(fresh, bob);
    await fresh.context().close();
  }
});

test("desk-phone mode against sipp: INVITE with auto-answer and a plain SDP, ACK, REFER with Referred-By, NOTIFYs answered, BYE after the last", async () => {
  alice = await openPhone(s.browser, s.appUrl, {
    name: "alice",
    config: aliceWith({ deskPhone: "sip:3100@127.0.0.1", clickToCall: "desk" }),
  });
  const sipp = startDeskSipp("ok");
  try {
    const ended = nextEnded(alice);
    // The whole desk leg can take a few ms against sipp: watch the events, not the call list.
    const shownLater = nextCallState(alice, (c) => c.clickToCall?.mode === "desk");
    const id = await el(alice, (e) => e.dial("+43 (1) 5056410"));
    const shown = await shownLater;
    assert.equal(shown.id, id);
    assert.equal(shown.remote, "+4315056410");
    const end = await ended;
    assert.equal(end.reason, "transferred", `ended as ${end.reason}: ${end.message ?? ""}`);
    assert.equal((await sipp.exited).code, 0, "sipp's scenario ran to its end (every step in order)");
    const msgs = sippMessages(sipp);
    const invite = msgs.find((m) => /^INVITE sip:3100@/m.test(m)) ?? "";
    assert.match(invite, /^Call-Info: <sip:127\.0\.0\.1>;answer-after=0/m);
    assert.match(invite, /^m=audio \d+ RTP\/AVP /m);
    assert.doesNotMatch(invite, /a=fingerprint|a=ice-|a=setup|UDP\/TLS|SAVPF/, "no WebRTC attributes");
    assert.ok(
      msgs.some((m) => /^ACK sip:/m.test(m)),
      "ACK",
    );
    const refer = msgs.find((m) => /^REFER sip:/m.test(m)) ?? "";
    assert.match(refer, /^Refer-To: <?sip:\+4315056410@127\.0\.0\.1>?\s*$/m, "Refer-To is the normalised target");
    assert.match(refer, /^Referred-By: <sip:1001@127\.0\.0\.1>/m);
    assert.ok(
      msgs.some((m) => /^BYE sip:/m.test(m)),
      "BYE",
    );
    assert.equal(await el(alice, (e) => e.calls.length), 0, "no call left");
  } finally {
    await sipp.stop();
  }
});

for (const [variant, expected, extra] of /** @type {["noanswer" | "refer405" | "busy", RegExp, Partial<AccountConfig>][]} */ ([
  ["noanswer", /Your desk phone did not answer in 3 s/, { deskPhoneTimeout: 3 }],
  ["refer405", /Transfer refused \(405\): your PBX or desk phone does not allow call transfer by REFER/, { deskPhoneAnswer: "alert-info" }],
  ["busy", /\+4315056410 is busy \(486\)/, { deskPhoneAnswer: "ring-answer" }],
])) {
  test(`desk-phone mode failure (${variant}): the right message and no call left`, async () => {
    const alice = alicePage();
    await reconfigure(alice, aliceWith({ deskPhone: "sip:3100@127.0.0.1", clickToCall: "desk", ...extra }));
    const sipp = startDeskSipp(variant);
    try {
      const ended = nextEnded(alice);
      await el(alice, (e) => e.dial("015056410"));
      const end = await ended;
      assert.match(end.message ?? "", expected);
      assert.match(await shownText(alice), expected, "shown in the UI");
      assert.equal((await sipp.exited).code, 0, "sipp saw the leg released (CANCEL or BYE)");
      const invite = sippMessages(sipp).find((m) => /^INVITE sip:3100@/m.test(m)) ?? "";
      if (extra.deskPhoneAnswer === "alert-info")
        assert.match(invite, /^Alert-Info: <http:\/\/127\.0\.0\.1>;info=alert-autoanswer;delay=0/m);
      if (extra.deskPhoneAnswer === "ring-answer") assert.match(invite, /^Alert-Info: Ring Answer/m);
      assert.equal(await el(alice, (e) => e.calls.length), 0, "no call left");
    } finally {
      await sipp.stop();
    }
  });
}

const decodedDumps = () =>
  readdirSync(s.desk.dumpDir)
    .filter((f) => f.endsWith("-dec.wav"))
    .map((f) => join(s.desk.dumpDir, f));

/**
 * Bob and the desk phone talk on bob's call `callId`: RTP from baresip reaches bob, and bob's
 * audio is decoded at baresip (a dump file that was not there in `dumpsBefore`).
 * @param {string} callId
 * @param {Set<string>} dumpsBefore
 */
async function bobAndDeskTalk(callId, dumpsBefore) {
  await eventually(
    async () => {
      const x = await stats(bob, callId);
      return x.packetsReceived > 50 && x.totalAudioEnergy > 0.01 && x;
    },
    { message: "bob hears the desk phone" },
  );
  const dump = await eventually(() => decodedDumps().find((f) => !dumpsBefore.has(f)), {
    message: "the desk phone decodes the call's audio",
  });
  const { rms } = await eventually(
    () => {
      const r = wavRms(dump);
      return r.samples > 8000 && r;
    },
    { message: "decoded samples at the desk phone" },
  );
  assert.ok(rms > 0.005, `the desk phone hears bob (RMS ${rms.toFixed(4)})`);
}

test("desk-phone mode with baresip as the desk phone: bob's page rings, bob answers, bob and the desk phone have audio both ways", async () => {
  const alice = alicePage();
  const dumpsBefore = new Set(decodedDumps());
  await reconfigure(alice, aliceWith({ deskPhone: "sip:2001@127.0.0.1", clickToCall: "browser" }));
  const id = await el(alice, (e) => e.dial("1002", { mode: "desk" }));
  const atBob = await waitForCall(bob, (c) => c.state === "incoming");
  assert.equal(atBob.remote, "2001", "the desk phone calls bob");
  await el(bob, (e, id) => e.answer(id), atBob.id);
  await waitForCall(bob, (c) => c.state === "established");
  // Alice's leg ends once the desk phone reports the transfer answered.
  await waitForPhone(alice, (e, id) => !e.calls.some((c) => c.id === id), id, { timeout: 10_000 });
  await bobAndDeskTalk(atBob.id, dumpsBefore);
  assert.ok(kamailioLines(/REQ REFER .* from sip:1001@/).length > 0, "the REFER went through Kamailio");
});

test("reverse mode: the target rings first; once it answers, the desk phone rings", async () => {
  // The "desk phone" is bob's page; the target is baresip (it answers by itself).
  const alice = alicePage();
  await reconfigure(alice, aliceWith({ deskPhone: "sip:1002@127.0.0.1", clickToCall: "reverse" }));
  const mark = s.kamailio.log.length;
  const id = await el(alice, (e) => e.dial("2001"));
  const c = await waitForCall(alice, (c, id) => c.id === id, { arg: id });
  assert.equal(c.clickToCall?.mode, "reverse");
  const atBob = await waitForCall(bob, (c) => c.state === "incoming");
  assert.equal(atBob.remote, "2001", "bob's desk phone is called by the target");
  const log = s.kamailio.log.slice(mark);
  const toTarget = log.search(/REQ INVITE sip:2001@/);
  const answered = log.search(/RPL 200 [^\n]*for INVITE from sip:1001@127\.0\.0\.1 to sip:2001@/);
  const toDesk = log.search(/REQ INVITE sip:1002@/);
  assert.ok(
    toTarget >= 0 && answered > toTarget && toDesk > answered,
    `order: target INVITE ${toTarget}, its 200 ${answered}, desk INVITE ${toDesk}`,
  );
  await el(bob, (e, id) => e.answer(id), atBob.id);
  await eventually(async () => (await stats(bob, atBob.id)).packetsReceived > 50, { message: "bob hears the target" });
});

/**
 * Counts, in `page`, every microphone request and records every local SDP the browser sets,
 * from now on (the phone reads navigator.mediaDevices and RTCPeerConnection at call time).
 * @param {Page} page
 */
async function probeMedia(page) {
  await page.evaluate(() => {
    const w = /** @type {{ mediaProbe?: { microphones: number, sdps: string[] } }} */ (/** @type {unknown} */ (window));
    if (w.mediaProbe) {
      w.mediaProbe.microphones = 0;
      w.mediaProbe.sdps = [];
      return;
    }
    const probe = { microphones: 0, sdps: /** @type {string[]} */ ([]) };
    w.mediaProbe = probe;
    const devices = navigator.mediaDevices;
    const getUserMedia = devices.getUserMedia.bind(devices);
    devices.getUserMedia = (c) => {
      probe.microphones++;
      return getUserMedia(c);
    };
    const setLocal = /** @type {(this: RTCPeerConnection, d?: RTCLocalSessionDescriptionInit) => Promise<void>} */ (
      RTCPeerConnection.prototype.setLocalDescription
    );
    /** @this {RTCPeerConnection} @param {RTCLocalSessionDescriptionInit} [d] */
    RTCPeerConnection.prototype.setLocalDescription = async function (d) {
      await setLocal.call(this, d);
      if (this.localDescription) probe.sdps.push(this.localDescription.sdp);
    };
  });
  return () =>
    page.evaluate(() => {
      const w = /** @type {{ mediaProbe: { microphones: number, sdps: string[] } }} */ (/** @type {unknown} */ (window));
      return w.mediaProbe;
    });
}

// Reverse mode to a WebRTC target (issue 13): the target leg is a listen-only WebRTC offer, which
// a browser phone accepts whether the proxy bridges it (dialled as 91002: the bed anchors the
// media in rtpengine) or not (1002: browser to browser, direct DTLS-SRTP).
for (const anchored of [false, true]) {
  test(`reverse mode to a browser phone, ${anchored ? "with" : "without"} rtpengine on that leg: bob rings, answers, is transferred to the desk phone and talks to it; alice opens no microphone`, async () => {
    const alice = alicePage();
    const config = accountFor(USERS.alice, { server: s.wss });
    Object.assign(config.accounts[0], { deskPhone: "sip:2001@127.0.0.1", clickToCall: "browser" });
    await reconfigure(alice, config);
    const media = await probeMedia(alice);
    const dumpsBefore = new Set(decodedDumps());
    const mark = s.kamailio.log.length;
    const ended = nextEnded(alice);
    const target = anchored ? "91002" : "1002";
    const id = await el(alice, (e, t) => e.dial(t, { mode: "reverse" }), target);
    const leg = await waitForCall(alice, (c, id) => c.id === id, { arg: id });
    assert.deepEqual(leg.clickToCall, { mode: "reverse", target, deskPhone: "2001" });

    // Bob rings (no refusal, no raw WebRTC error) and answers.
    const atBob = await waitForCall(bob, (c) => c.state === "incoming");
    assert.equal(atBob.remote, "1001");
    await el(bob, (e, id) => e.answer(id), atBob.id);

    // The REFER moves bob to the desk phone (baresip answers by itself); alice's leg ends.
    const toDesk = await waitForCall(bob, (c) => c.direction === "out" && c.remote === "2001" && c.state === "established");
    const end = await ended;
    assert.equal(end.id, id);
    assert.equal(end.reason, "transferred", `ended as ${end.reason}: ${end.message ?? ""}`);
    await waitForPhone(alice, (e, id) => !e.calls.some((c) => c.id === id), id, { timeout: 10_000 });

    // Bob and the desk phone talk: RTP from baresip at bob, bob's audio decoded at baresip.
    await bobAndDeskTalk(toDesk.id, dumpsBefore);

    // On the wire: target INVITE, its 200, alice's REFER, then bob's INVITE to the desk phone.
    const log = s.kamailio.log.slice(mark);
    const at = (/** @type {RegExp} */ re) => log.search(re);
    const order = [
      at(new RegExp(`REQ INVITE sip:${target}@127\\.0\\.0\\.1 from sip:1001@`)),
      at(new RegExp(`RPL 200 [^\\n]*for INVITE from sip:1001@127\\.0\\.0\\.1 to sip:${target}@`)),
      at(/REQ REFER [^\n]* from sip:1001@/),
      at(/REQ INVITE sip:2001@127\.0\.0\.1 from sip:1002@/),
    ];
    assert.ok(
      order.every((p, i) => p >= 0 && (i === 0 || p > /** @type {number} */ (order[i - 1]))),
      `order: target INVITE, 200, REFER, desk INVITE at ${order.join(", ")}`,
    );
    // rtpengine on alice's leg only when the proxy anchors it; always on bob's leg to the desk phone.
    const bridged = new RegExp(`RTPENGINE INVITE (\\S+) to sip:${target}@127\\.0\\.0\\.1 from sip:1001@`).exec(log);
    if (anchored) {
      assert.ok(bridged, "Kamailio sent alice's leg through rtpengine");
      const callId = /** @type {string} */ (bridged[1]);
      // rtpengine ended DTLS-SRTP on both sides of that leg: alice's port and bob's (its log
      // names the Call-ID and the port on each line).
      const dtlsPorts = () =>
        new Set(
          s.rtpengine.log
            .split("\n")
            .filter((l) => l.includes(callId) && /DTLS-SRTP successfully negotiated/.test(l))
            .map((l) => /port (\d+)/.exec(l)?.[1]),
        );
      await eventually(() => dtlsPorts().size >= 2, {
        message: `rtpengine negotiated DTLS-SRTP with alice and with bob (Call-ID ${callId})`,
      });
    } else {
      assert.equal(bridged, null, "alice's leg went browser to browser, no rtpengine");
    }
    assert.match(log, /RTPENGINE INVITE \S+ to sip:2001@127\.0\.0\.1 from sip:1002@/, "bob's leg to the desk phone is bridged");

    // Alice's browser never asked for a microphone; its one offer was WebRTC, receive-only.
    const seen = await media();
    assert.equal(seen.microphones, 0, "no getUserMedia in alice's page");
    assert.equal(seen.sdps.length, 1, `one local description (the offer): ${seen.sdps.length}`);
    const offer = /** @type {string} */ (seen.sdps[0]);
    assert.match(offer, /^m=audio \d+ UDP\/TLS\/RTP\/SAVPF /m);
    assert.match(offer, /^a=fingerprint:/m, "a DTLS fingerprint, as a WebRTC phone requires");
    assert.match(offer, /^a=recvonly/m, "receive only");
    assert.doesNotMatch(offer, /^a=(sendrecv|sendonly|inactive|ssrc:)/m, "nothing to send, and not a hold");
    assert.equal(await el(alice, (e) => e.calls.length), 0, "no call left at alice");
  });
}

test("<sip-call-button> dials through the page's phone and shows its call; a number dropped on the dialpad is taken", async () => {
  const alice = alicePage();
  await reconfigure(alice, aliceWith({ clickToCall: "browser" }));
  // Bob's incoming-number rule shows internal callers with the company's number.
  const bobRules = accountFor(USERS.bob, { server: s.wss });
  bobRules.accounts[0].numberRules = { incoming: [{ search: "^(1[0-9]{3})$", replace: "+43 1 505 \\1" }] };
  await reconfigure(bob, bobRules);
  await alice.evaluate(() => {
    const b = document.createElement("sip-call-button");
    b.setAttribute("number", "tel:1002");
    document.body.append(b);
  });
  await alice.getByRole("button", { name: "Call tel:1002" }).click();
  const atBob = await waitForCall(bob, (c) => c.state === "incoming");
  assert.equal(atBob.remote, "+43 1 505 1001", "bob's incoming rule applied to what he sees");
  await eventually(
    async () =>
      (
        await alice
          .locator("sip-call-button [role=status]")
          .innerText()
          .catch(() => "")
      ).includes("Ringing"),
    { message: "the button shows the call ringing" },
  );
  await alice.getByRole("button", { name: "Hang up tel:1002" }).click();
  await waitForPhone(bob, (e) => e.calls.length === 0);
  await alice.evaluate(() => document.querySelector("sip-call-button")?.remove());
  await reconfigure(bob, accountFor(USERS.bob, { server: s.wss }));

  // Drag and drop from another application or page: the dialpad takes the first line of text.
  await el(alice, (e) => {
    const form = e.shadowRoot?.querySelector("sip-dialpad")?.shadowRoot?.querySelector("form");
    if (!form) throw new Error("no dialpad form");
    const data = new DataTransfer();
    data.setData("text/plain", "  +43 (1) 505641\nOffice Vienna");
    form.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  assert.equal(await alice.getByRole("combobox", { name: "Number to call" }).inputValue(), "+43 (1) 505641");
});
