// Summaries of a CPU profile of the page (Chromium's Profiler over CDP): the top functions by
// self and total time, and by file, with names and places taken back through the build's source
// maps. Used by profile-lines.mjs.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * @typedef {{ functionName: string, url: string, lineNumber: number, columnNumber: number }} CallFrame
 * @typedef {{ id: number, callFrame: CallFrame, children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }} Profile
 */

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * A source map's segments, line by line: [generated column, source, original line, name?].
 * (A small VLQ decoder: the bench needs no source-map package of its own.)
 * @param {string} mappings
 */
function decodeMappings(mappings) {
  /** @type {number[][][]} */
  const lines = [];
  let [src, line, name] = [0, 0, 0];
  for (const text of mappings.split(";")) {
    /** @type {number[][]} */
    const segs = [];
    let col = 0;
    for (const seg of text ? text.split(",") : []) {
      /** @type {number[]} */
      const v = [];
      let [n, shift] = [0, 0];
      for (const ch of seg) {
        const d = B64.indexOf(ch);
        n += (d & 31) << shift;
        if (d & 32) shift += 5;
        else {
          v.push(n & 1 ? -(n >>> 1) : n >>> 1);
          [n, shift] = [0, 0];
        }
      }
      col += v[0];
      if (v.length >= 4) {
        src += v[1];
        line += v[2];
        if (v.length >= 5) name += v[4];
        segs.push(v.length >= 5 ? [col, src, line, name] : [col, src, line, -1]);
      }
    }
    lines.push(segs);
  }
  return lines;
}

/** @type {Map<string, { sources: string[], names: string[], lines: number[][][] } | null>} */
const maps = new Map();
/**
 * Where the source maps are read: the build's, or the copy kept beside a saved profile (the
 * shared dist/ may have been rebuilt since).
 */
let mapRoot = "";

/**
 * Where a profiled function starts in the sources, and its name there.
 * @param {CallFrame} f
 */
function original(f) {
  const path = f.url ? new URL(f.url).pathname : "";
  if (!path.endsWith(".js")) return { name: f.functionName || "(anonymous)", where: f.url || "(native)" };
  if (!maps.has(path)) {
    try {
      const m = JSON.parse(readFileSync(join(mapRoot, `${path}.map`), "utf8"));
      maps.set(path, { sources: m.sources, names: m.names, lines: decodeMappings(m.mappings) });
    } catch {
      maps.set(path, null);
    }
  }
  const m = maps.get(path);
  const segs = m?.lines[f.lineNumber] ?? [];
  let seg;
  for (const s of segs) if (s[0] <= f.columnNumber) seg = s;
  if (!m || !seg) return { name: f.functionName || "(anonymous)", where: path };
  const file = m.sources[seg[1]].replace(/^(\.\.\/)+/, "").replace(/^node_modules\//, "");
  const mapped = seg[3] >= 0 ? m.names[seg[3]] : undefined;
  // Methods keep their names in the build; minified local functions get theirs back from the map.
  const name = f.functionName && f.functionName.length > 2 ? f.functionName : (mapped ?? (f.functionName || "(anonymous)"));
  return { name, where: `${file}:${seg[2] + 1}` };
}

/**
 * Self and total time per function and self time per file, in µs; with `callersOf`, the
 * callers of the matching functions.
 * @param {Profile} prof
 * @param {string} [callersOf]
 */
function summarize(prof, callersOf) {
  const wanted = callersOf ? new RegExp(callersOf) : undefined;
  /** @type {Map<string, number>} */
  const callers = new Map();
  /** @type {Map<number, ProfileNode>} */
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  /** @type {Map<number, number>} */
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  /** @type {Map<number, number>} */
  const selfUs = new Map();
  prof.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (prof.timeDeltas[i + 1] ?? 0)));
  /** @type {Map<string, { self: number, total: number }>} */
  const fns = new Map();
  /** @type {Map<string, number>} */
  const files = new Map();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const node = /** @type {ProfileNode} */ (byId.get(id));
    const o = original(node.callFrame);
    const key = `${o.name}  ${o.where}`;
    const e = fns.get(key) ?? { self: 0, total: 0 };
    e.self += us;
    fns.set(key, e);
    const up = parent.get(id);
    if (wanted?.test(key) && up !== undefined) {
      const a = original(/** @type {ProfileNode} */ (byId.get(up)).callFrame);
      const k = `${a.name}  ${a.where}`;
      callers.set(k, (callers.get(k) ?? 0) + us);
    }
    const file = o.where.replace(/:\d+$/, "");
    files.set(file, (files.get(file) ?? 0) + us);
    if (!["(idle)", "(program)"].includes(node.callFrame.functionName)) busy += us;
    // Total: once per function on this sample's stack (recursion counted once).
    /** @type {Set<string>} */
    const seen = new Set();
    for (let at = parent.get(id); at !== undefined; at = parent.get(at)) {
      const a = original(/** @type {ProfileNode} */ (byId.get(at)).callFrame);
      const k = `${a.name}  ${a.where}`;
      if (seen.has(k) || k === key) continue;
      seen.add(k);
      const t = fns.get(k) ?? { self: 0, total: 0 };
      t.total += us;
      fns.set(k, t);
    }
    e.total += us;
  }
  return { fns, files, busy, span: prof.endTime - prof.startTime, callers };
}

/** How many functions each list shows. */
const TOP = Number(process.env.PROFILE_TOP ?? 30);

/**
 * Prints a profile's top functions; PROFILE_CALLERS (a regular expression on "name  file:line")
 * adds who called the matching functions, by time.
 * @param {Profile} prof
 * @param {string} builtIn the build the profiled page ran (its assets' source maps are read)
 */
export function printProfile(prof, builtIn) {
  if (builtIn !== mapRoot) maps.clear();
  mapRoot = builtIn;
  const { fns, files, busy, span, callers } = summarize(prof, process.env.PROFILE_CALLERS);
  const ms = (/** @type {number} */ us) => (us / 1000).toFixed(0).padStart(6);
  console.log(`main thread busy ${ms(busy)} ms of ${ms(span)} ms (excluding idle, program)`);
  console.log(`\ntop ${TOP} by self time (ms, total ms):`);
  for (const [k, v] of [...fns].sort((a, b) => b[1].self - a[1].self).slice(0, TOP)) console.log(`${ms(v.self)} ${ms(v.total)}  ${k}`);
  console.log(`\ntop ${TOP} by total time (ms, self ms):`);
  for (const [k, v] of [...fns].sort((a, b) => b[1].total - a[1].total).slice(0, TOP)) console.log(`${ms(v.total)} ${ms(v.self)}  ${k}`);
  console.log(`\ntop 20 files by self time (ms):`);
  for (const [k, v] of [...files].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${ms(v)}  ${k}`);
  if (callers.size) {
    console.log(`\ncallers of /${process.env.PROFILE_CALLERS}/ (ms of its self time):`);
    for (const [k, v] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${ms(v)}  ${k}`);
  }
}
