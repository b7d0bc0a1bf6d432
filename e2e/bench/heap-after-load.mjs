// What the JS heap holds after load (issue 17, "JS heap after load": goal 2 MiB), against the bare
// SIP.js page of the bench in the same run: one heap snapshot of each, registered and after
// forced GC, summed by node type and by constructor or kind, with the biggest differences first.
// Asserts nothing; bounded (one page each).
//
//   npx vite build && flock /tmp/e2e.lock e2e/run-in-netns.sh node e2e/bench/heap-after-load.mjs
//
// HEAP_WIDTH=420 measures the phone in a narrow window (one pane: no history view at start); the
// default is the bench's 1280-pixel window, where the history shows in the second pane.
import { join } from "node:path";
import { LINE_USERS } from "../bed/bed.mjs";
import { waitForLineState } from "../lib/browser.mjs";
import { startSession, stopSession } from "../lib/session.mjs";
import { returningUser } from "./returning-user.mjs";
import { openBare, serveBarePage } from "./bare-page.mjs";

/** @typedef {import("../lib/sip-phone-api.mjs").SipPhone} SipPhone */
/** @typedef {import("playwright-core").Page} Page */
/** @typedef {{ snapshot: { meta: { node_fields: string[], node_types: [string[]] } }, nodes: number[], strings: string[] }} RawSnapshot */

const TOP = Number(process.env.HEAP_TOP ?? 25);

/**
 * Self sizes summed by node type, and by a label (an object's constructor, else its type).
 * @param {Page} page
 */
async function summarize(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  /** @type {string[]} */
  const chunks = [];
  cdp.on("HeapProfiler.addHeapSnapshotChunk", (e) => chunks.push(e.chunk));
  await cdp.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  await cdp.detach();
  /** @type {RawSnapshot} */
  const raw = JSON.parse(chunks.join(""));
  const {
    node_fields: nf,
    node_types: [types],
  } = raw.snapshot.meta;
  const [nType, nName, nSelf] = ["type", "name", "self_size"].map((f) => nf.indexOf(f));
  /** @type {Map<string, number>} */
  const byType = new Map();
  /** @type {Map<string, number>} */
  const byLabel = new Map();
  let total = 0;
  for (let i = 0; i < raw.nodes.length; i += nf.length) {
    const type = types[raw.nodes[i + nType]];
    const name = raw.strings[raw.nodes[i + nName]];
    const self = raw.nodes[i + nSelf];
    total += self;
    byType.set(type, (byType.get(type) ?? 0) + self);
    const label =
      type === "object" || type === "native" ? `${type} ${name.slice(0, 50)}` : type === "code" ? `code ${name.slice(0, 40)}` : type;
    byLabel.set(label, (byLabel.get(label) ?? 0) + self);
  }
  return { usedSize, total, byType, byLabel };
}

const kib = (/** @type {number} */ b) => `${(b / 1024).toFixed(1)} KiB`.padStart(11);

const s = await startSession();
try {
  const { ctx, page } = await returningUser(s);
  // A returning user's page, as the bench measures it.
  if (process.env.HEAP_WIDTH) await page.setViewportSize({ width: Number(process.env.HEAP_WIDTH), height: 800 });
  await page.reload();
  await waitForLineState(page, "registered");
  await page.waitForTimeout(1500);
  const ours = await summarize(page);
  const bare = await serveBarePage(join(s.dir, "bare-heap"));
  const barePage = await openBare(s.browser, bare.url, LINE_USERS[0], s.wss, () => undefined);
  await barePage.waitForTimeout(1500);
  const theirs = await summarize(barePage);
  console.log(`used (Runtime.getHeapUsage): ours ${kib(ours.usedSize)}, bare ${kib(theirs.usedSize)}`);
  console.log(`in the snapshot:             ours ${kib(ours.total)}, bare ${kib(theirs.total)}`);
  console.log("\nby node type: ours, bare, difference");
  for (const [type, size] of [...ours.byType].sort((a, b) => b[1] - a[1]))
    console.log(`${kib(size)} ${kib(theirs.byType.get(type) ?? 0)} ${kib(size - (theirs.byType.get(type) ?? 0))}  ${type}`);
  console.log(`\ntop ${TOP} by difference (ours - bare): ours, bare, difference`);
  const labels = new Set([...ours.byLabel.keys(), ...theirs.byLabel.keys()]);
  const rows = [...labels].map((l) => /** @type {[string, number, number]} */ ([l, ours.byLabel.get(l) ?? 0, theirs.byLabel.get(l) ?? 0]));
  for (const [l, a, b] of rows.sort((x, y) => y[1] - y[2] - (x[1] - x[2])).slice(0, TOP))
    console.log(`${kib(a)} ${kib(b)} ${kib(a - b)}  ${l}`);
  await ctx.close();
  await barePage.context().close();
  await bare.close();
} finally {
  await stopSession(s);
}
