// Quality you can see: the call panel's grade while two browsers talk, and the call's quality
// summary (MOS, loss, jitter, round trip, codec) kept in its history entry, shown in the history
// view and exported in the CSV.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { USERS } from "./bed/bed.mjs";
import { accountFor, el, eventually, hangupAll, openPhone, stats, storedHistory, waitForCall } from "./lib/browser.mjs";
import { startSession, stopSession } from "./lib/session.mjs";

/** @typedef {import("./lib/browser.mjs").PhonePage} PhonePage */
/** @typedef {import("./lib/sip-phone-api.mjs").CallQualitySummary} CallQualitySummary */

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

/**
 * The page's stored entry for a call once its final write is in (no `open` flag), with its summary.
 * @param {PhonePage} page
 * @param {string} callId
 */
async function finalEntry(page, callId) {
  return eventually(
    async () => {
      const entry = /** @type {(import("./lib/browser.mjs").StoredCall & { quality?: CallQualitySummary }) | undefined} */ (
        (await storedHistory(page)).find((h) => h.id === callId)
      );
      return entry && !entry.open && entry;
    },
    { message: `the final history entry of ${callId} on ${page.phoneName}` },
  );
}

/**
 * A summary a clean loopback call can have: a MOS well above fair, nothing much lost, Opus.
 * @param {CallQualitySummary | undefined} q
 * @param {string} who
 */
function assertPlausible(q, who) {
  assert.ok(q, `${who}: the entry has a quality summary`);
  assert.ok(q.samples >= 1, `${who}: ${q.samples} readings`);
  assert.ok(q.mosAvg > 3.5 && q.mosAvg <= 4.5, `${who}: average MOS ${q.mosAvg}`);
  assert.ok(q.mosWorst > 1 && q.mosWorst <= q.mosAvg, `${who}: worst MOS ${q.mosWorst}, average ${q.mosAvg}`);
  assert.ok(q.lossWorstPercent >= 0 && q.lossWorstPercent < 5, `${who}: worst loss ${q.lossWorstPercent} %`);
  assert.equal(typeof q.jitterAvgMs, "number");
  assert.equal(q.codec, "opus");
}

test("a call shows its grade while established; its history entry keeps the MOS summary, shown in the history view and the CSV", async (t) => {
  const callId = await el(alice, (e) => e.dial("1002"));
  const atBob = await waitForCall(bob, (c) => c.state === "incoming");
  await el(bob, (e, id) => e.answer(id), atBob.id);
  await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: callId });

  // The indicator: the grade as a word (the icon is hidden from the name), read every few seconds.
  const grade = alice.getByRole("button", { name: /^Quality: (good|fair|poor)$/ });
  await grade.waitFor({ timeout: 20_000 });
  const shown = /** @type {string} */ (await grade.getAttribute("data-grade"));
  t.diagnostic(`indicator: ${shown}`);
  assert.equal(await grade.getAttribute("aria-expanded"), "false");
  await grade.click();
  assert.equal(await grade.getAttribute("aria-expanded"), "true");
  const figures = alice.locator("sip-call-quality dl");
  await eventually(async () => /MOS\s*\d\.\d\d/.test(await figures.innerText()), { message: "the MOS among the figures" });
  assert.match(await figures.innerText(), /Codec\s*opus/);

  // The leading tab samples every 5 s: wait for more than ten seconds of audio at 50 packets a
  // second (Opus, 20 ms), so both pages have taken readings, then hang up.
  for (const [page, id] of /** @type {const} */ ([
    [alice, callId],
    [bob, atBob.id],
  ])) {
    await eventually(
      async () => {
        const x = await stats(page, id);
        return x.packetsReceived > 600 && x;
      },
      { message: `12 s of audio at ${page.phoneName}`, timeout: 40_000, interval: 1000 },
    );
  }
  await el(alice, (e, id) => e.hangup(id), callId);

  const atAlice = await finalEntry(alice, callId);
  const bobs = await finalEntry(bob, atBob.id);
  t.diagnostic(`alice: ${JSON.stringify(atAlice.quality)}; bob: ${JSON.stringify(bobs.quality)}`);
  assert.equal(atAlice.result, "answered");
  assertPlausible(atAlice.quality, "alice");
  assertPlausible(bobs.quality, "bob");

  // The history view shows it in the call's row; the row's title has every figure.
  await alice.getByRole("tab", { name: /History/ }).click();
  const rows = alice.getByRole("list", { name: "Call history" }).getByRole("listitem");
  const row = rows.filter({ hasText: /Quality: (good|fair|poor) \(MOS \d\.\d\)/ }).first();
  await row.waitFor({ timeout: 10_000 });
  const mos = /** @type {CallQualitySummary} */ (atAlice.quality).mosAvg.toFixed(1);
  assert.match(await row.innerText(), new RegExp(`\\(MOS ${mos.replace(".", "\\.")}\\)`));
  assert.match((await row.getAttribute("title")) ?? "", /worst MOS \d\.\d; packet loss up to [\d.]+ %; jitter .* opus$/);

  // The CSV export has the MOS columns, filled for this call.
  const download = alice.waitForEvent("download");
  await alice.getByRole("button", { name: "Export CSV" }).click();
  const [header, ...lines] = readFileSync(await (await download).path(), "utf8")
    .trim()
    .split("\r\n");
  const columns = header.split(",");
  assert.deepEqual(columns.slice(-6), ["mos_avg", "mos_worst", "loss_worst_pct", "jitter_avg_ms", "rtt_avg_ms", "codec"]);
  const cells = lines.map((l) => l.split(",")).find((c) => Number(c[columns.indexOf("mos_avg")]) === atAlice.quality?.mosAvg);
  assert.ok(cells, `a CSV row with MOS ${atAlice.quality?.mosAvg}:\n${lines.join("\n")}`);
  assert.equal(cells[columns.indexOf("codec")], "opus");
});

test("held, the grade goes; resumed, it comes back", async () => {
  const callId = await el(alice, (e) => e.dial("1002"));
  const atBob = await waitForCall(bob, (c) => c.state === "incoming");
  await el(bob, (e, id) => e.answer(id), atBob.id);
  await waitForCall(alice, (c, id) => c.id === id && c.state === "established", { arg: callId });
  const grade = alice.getByRole("button", { name: /^Quality: (good|fair|poor)$/ });
  await grade.waitFor({ timeout: 20_000 });
  await el(alice, (e, id) => e.hold(id), callId);
  await waitForCall(alice, (c, id) => c.id === id && c.held, { arg: callId });
  await grade.waitFor({ state: "detached", timeout: 10_000 });
  await el(alice, (e, id) => e.unhold(id), callId);
  await waitForCall(alice, (c, id) => c.id === id && !c.held, { arg: callId });
  await grade.waitFor({ timeout: 20_000 });
});
