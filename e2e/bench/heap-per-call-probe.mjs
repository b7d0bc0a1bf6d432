// What a call leaves in the caller's JS heap, and who holds it (issue 17). The bench only says
// how much (`JS heap growth per call`); this probe says what: it makes PROBE_CALLS calls (20) from
// alice to bob as the bench does, waits out RFC 3261 Timer D (35 s), and diffs two heap snapshots
// of alice's page taken after forced GC. Heap snapshot node ids are stable within a page, so the
// objects new in the second snapshot are exactly those the calls left behind; each is charged to
// its nearest ancestor (on the shortest path from the GC roots) that was already there before
// the calls: the long-lived structure that grew. Bounded: it stops by itself (~2 min).
//
//   npx vite build && flock /tmp/e2e.lock e2e/run-in-netns.sh node e2e/bench/heap-per-call-probe.mjs
import { USERS } from "../bed/bed.mjs";
import { accountFor, el, openPhone, waitForCall, waitForLineState, waitForPhone } from "../lib/browser.mjs";
import { startSession, stopSession } from "../lib/session.mjs";

/** @typedef {import("../lib/browser.mjs").Page} Page */
/** @typedef {import("playwright-core").CDPSession} CDPSession */
/**
 * The parts of a V8 heap snapshot read here (the format DevTools reads).
 * @typedef {{
 *   snapshot: { meta: { node_fields: string[], node_types: [string[]], edge_fields: string[], edge_types: [string[]] } },
 *   nodes: number[], edges: number[], strings: string[],
 * }} RawSnapshot
 * @typedef {{ type: string, name: string, id: number, self: number, parent: number, via: string, trace: boolean }} Node
 */

const CALLS = Number(process.env.PROBE_CALLS ?? 20);
/** Calls before the first snapshot: 1 as the bench; more to let the JIT settle first. */
const WARMUP = Number(process.env.PROBE_WARMUP ?? 1);
/** RFC 3261 Timer D (32 s: SIP.js treats WebSocket as unreliable) and a margin, as the bench. */
const QUIET_MS = 35_000;
/** A SIP message as the trace keeps it: a request line or a status line at the start. */
/** Fields only the SIP trace object has. */
const TRACE_FIELDS = new Set(["totalChars"]);
const SIP_TEXT = /^(?:[A-Z]+ sips?:\S+ SIP\/2\.0|SIP\/2\.0 \d{3} )/;

/**
 * A heap snapshot of the page, parsed into nodes with their shortest retaining path from the
 * roots (weak edges not followed): each node's parent and the edge name it is held by.
 * @param {CDPSession} cdp
 * @returns {Promise<Node[]>}
 */
async function snapshot(cdp) {
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  /** @type {string[]} */
  const chunks = [];
  /** @param {{ chunk: string }} e */
  const onChunk = (e) => chunks.push(e.chunk);
  cdp.on("HeapProfiler.addHeapSnapshotChunk", onChunk);
  await cdp.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  cdp.off("HeapProfiler.addHeapSnapshotChunk", onChunk);
  /** @type {RawSnapshot} */
  const raw = JSON.parse(chunks.join(""));
  const {
    node_fields: nf,
    node_types: [nodeTypes],
    edge_fields: ef,
    edge_types: [edgeTypes],
  } = raw.snapshot.meta;
  const [nType, nName, nId, nSelf, nEdges] = ["type", "name", "id", "self_size", "edge_count"].map((f) => nf.indexOf(f));
  const [eType, eName, eTo] = ["type", "name_or_index", "to_node"].map((f) => ef.indexOf(f));
  const N = nf.length;
  const E = ef.length;
  /** @type {Node[]} */
  const nodes = [];
  /** @type {number[]} */
  const firstEdge = [];
  for (let i = 0, e = 0; i < raw.nodes.length; i += N) {
    nodes.push({
      type: nodeTypes[raw.nodes[i + nType]],
      name: raw.strings[raw.nodes[i + nName]],
      id: raw.nodes[i + nId],
      self: raw.nodes[i + nSelf],
      parent: -1,
      via: "",
      trace: false,
    });
    firstEdge.push(e);
    e += raw.nodes[i + nEdges] * E;
  }
  firstEdge.push(raw.edges.length);
  // Breadth first from the synthetic root: the shortest path, as DevTools' "distance".
  const seen = new Uint8Array(nodes.length);
  seen[0] = 1;
  let queue = [0];
  while (queue.length) {
    /** @type {number[]} */
    const next = [];
    for (const from of queue) {
      for (let e = firstEdge[from]; e < firstEdge[from + 1]; e += E) {
        const type = edgeTypes[raw.edges[e + eType]];
        if (type === "weak") continue;
        const to = raw.edges[e + eTo] / N;
        if (seen[to]) continue;
        seen[to] = 1;
        const nameOrIndex = raw.edges[e + eName];
        nodes[to].parent = from;
        nodes[to].via = type === "element" || type === "hidden" ? `[${nameOrIndex}]` : String(raw.strings[nameOrIndex]);
        next.push(to);
      }
    }
    queue = next;
  }
  // The SIP trace (src/sip/core/sip-trace.ts), known by its fields (class names are minified).
  for (let i = 0; i < nodes.length; i++) {
    for (let e = firstEdge[i]; e < firstEdge[i + 1]; e += E)
      if (edgeTypes[raw.edges[e + eType]] === "property" && TRACE_FIELDS.has(raw.strings[raw.edges[e + eName]])) nodes[i].trace = true;
  }
  return nodes;
}

/** @param {Node} n */
const label = (n) =>
  n.type === "object" || n.type === "closure" ? n.name : n.type === "native" ? `(native) ${n.name.slice(0, 60)}` : `(${n.type})`;

/**
 * @param {Node[]} before
 * @param {Node[]} after
 */
function diff(before, after) {
  const old = new Set(before.map((n) => n.id));
  const fresh = after.filter((n, i) => !old.has(n.id) && (n.parent !== -1 || i === 0));
  const total = fresh.reduce((s, n) => s + n.self, 0);
  /** @type {Map<string, { count: number, bytes: number }>} */
  const byKind = new Map();
  /** @type {Map<string, number>} */
  const byOwner = new Map();
  let sipTextBytes = 0;
  let sipTexts = 0;
  let traceBytes = 0;
  let codeBytes = 0;
  for (const n of fresh) {
    const kind = label(n);
    const k = byKind.get(kind) ?? { count: 0, bytes: 0 };
    k.count++;
    k.bytes += n.self;
    byKind.set(kind, k);
    if (n.type === "string" && SIP_TEXT.test(n.name)) {
      sipTextBytes += n.self;
      sipTexts++;
    }
    // Compiled code is the JIT warming up (it levels off over more calls), not state a call left.
    if (n.type === "code") {
      codeBytes += n.self;
      continue;
    }
    // The first ancestor that was there before the calls, and the path down from it.
    /** @type {string[]} */
    const path = [];
    let at = n;
    while (at.parent !== -1 && !old.has(at.id)) {
      path.unshift(at.via);
      at = after[at.parent];
    }
    for (let up = at; ; up = after[up.parent]) {
      if (up.trace) traceBytes += n.self;
      if (up.trace || up.parent === -1) break;
    }
    const owner = `${label(at)} .${path.slice(0, 3).join(".")}`;
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + n.self);
  }
  return { total, count: fresh.length, byKind, byOwner, sipTextBytes, sipTexts, traceBytes, codeBytes };
}

/** @param {number} bytes */
const perCall = (bytes) => `${(bytes / CALLS / 1024).toFixed(2)} KiB/call`;

/** @param {CDPSession} cdp */
async function usedAfterGc(cdp) {
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  return (await cdp.send("Runtime.getHeapUsage")).usedSize;
}

const s = await startSession();
try {
  /** @param {import("../bed/bed.mjs").BedUser} user */
  const phone = async (user) => {
    const page = await openPhone(s.browser, s.appUrl, { name: user.name, waitFor: null });
    // As the bench's pages: the user allowed the microphone (the standby legs count on it).
    await page.context().grantPermissions(["microphone"]);
    await el(page, (e, c) => e.configure(c), accountFor(user, { server: s.wss }));
    await waitForLineState(page, "registered");
    return page;
  };
  const alice = await phone(USERS.alice);
  const bob = await phone(USERS.bob);
  const oneCall = async () => {
    const id = await el(alice, (e) => e.dial("1002"));
    await waitForCall(bob, (c) => c.state === "incoming");
    await el(bob, (e) => e.answer());
    await waitForCall(alice, (c, callId) => c.id === callId && c.state === "established", { arg: id });
    await el(alice, (e, callId) => e.hangup(callId), id);
    for (const page of [alice, bob]) await waitForPhone(page, (e) => e.calls.length === 0);
  };
  const cdp = await alice.context().newCDPSession(alice);
  await cdp.send("HeapProfiler.enable");
  // Calls first, so lazily made singletons are not counted, and their transactions gone.
  for (let i = 0; i < WARMUP; i++) await oneCall();
  await new Promise((r) => setTimeout(r, QUIET_MS));
  const used0 = await usedAfterGc(cdp);
  const before = await snapshot(cdp);
  for (let i = 0; i < CALLS; i++) await oneCall();
  await new Promise((r) => setTimeout(r, QUIET_MS));
  const used1 = await usedAfterGc(cdp);
  const after = await snapshot(cdp);
  const d = diff(before, after);

  console.log(`\n${CALLS} calls alice -> bob after ${WARMUP}, ${QUIET_MS / 1000} s after the last, after GC (alice's page):`);
  console.log(`  Runtime.getHeapUsage growth: ${perCall(used1 - used0)}`);
  console.log(
    `  snapshot: ${d.count} new objects, ${perCall(d.total)}; snapshot total ${perCall(after.reduce((t, n) => t + n.self, 0) - before.reduce((t, n) => t + n.self, 0))} net`,
  );
  console.log(
    `  of which SIP message text (strings starting with a request or status line): ${d.sipTexts} strings, ${perCall(d.sipTextBytes)}`,
  );
  console.log(`  of which compiled code (JIT, levels off with more calls): ${perCall(d.codeBytes)}`);
  console.log(`  of which held through the SIP trace (entries, their text, summaries): ${perCall(d.traceBytes)}`);
  console.log("\nNew objects by kind (top 20 by bytes):");
  for (const [kind, k] of [...d.byKind].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 20))
    console.log(`  ${perCall(k.bytes).padStart(16)}  ${String(k.count).padStart(6)}  ${kind}`);
  console.log("\nNot code, charged to the structure that held them before the calls (top 20; owner .path from it):");
  for (const [owner, bytes] of [...d.byOwner].sort((a, b) => b[1] - a[1]).slice(0, 20))
    console.log(`  ${perCall(bytes).padStart(16)}  ${owner}`);
  await cdp.detach();
} finally {
  await stopSession(s);
}
