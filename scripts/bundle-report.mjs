// Which sources make up the JS that index.html loads at start (npm run build first):
// minified bytes per source file, from the source maps, biggest first, grouped by package.
// Usage: node scripts/bundle-report.mjs [--files]   (--files: per file, not per folder)
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SourceMapConsumer } from "source-map-js";

const dist = "dist";
const html = readFileSync(join(dist, "index.html"), "utf8");
const chunks = [...new Set([...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]))];
const perFile = process.argv.includes("--files");
/** @type {Map<string, number>} */
const sizes = new Map();
let total = 0;
for (const chunk of chunks) {
  const code = readFileSync(join(dist, chunk), "utf8");
  // Vite's own helpers (preload-helper) come without a map: counted whole, under their chunk's name.
  if (!existsSync(join(dist, `${chunk}.map`))) {
    const key = `(no map) ${chunk.replace(/-[\w-]{8}\.js$/, ".js")}`;
    sizes.set(key, (sizes.get(key) ?? 0) + code.length);
    total += code.length;
    continue;
  }
  const map = new SourceMapConsumer(JSON.parse(readFileSync(join(dist, `${chunk}.map`), "utf8")));
  const lines = code.split("\n");
  /** @type {{ line: number, column: number, source: string }[]} */
  const marks = [];
  map.eachMapping((m) => marks.push({ line: m.generatedLine, column: m.generatedColumn, source: m.source ?? "?" }));
  marks.sort((a, b) => a.line - b.line || a.column - b.column);
  for (let i = 0; i < marks.length; i++) {
    const m = marks[i];
    const next = marks[i + 1];
    const end = next && next.line === m.line ? next.column : lines[m.line - 1].length;
    const bytes = Math.max(0, end - m.column);
    const key = perFile ? m.source.replace(/^.*node_modules\//, "node_modules/") : group(m.source);
    sizes.set(key, (sizes.get(key) ?? 0) + bytes);
    total += bytes;
  }
}
/** @param {string} source */
function group(source) {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)(?:\/(lib|dist)?\/?([^/]+))?/.exec(source);
  if (nm) return `${nm[1]}${nm[1] === "sip.js" && nm[3] ? `/${nm[3]}` : ""}`;
  return source.replace(/^(\.\.\/)*/, "").replace(/\/[^/]+$/, "/");
}
console.log(`entry chunks: ${chunks.join(", ")}; ${(total / 1024).toFixed(1)} KiB minified`);
for (const [k, v] of [...sizes].sort((a, b) => b[1] - a[1]).slice(0, perFile ? 60 : 30))
  console.log(`${(v / 1024).toFixed(1).padStart(7)} KiB  ${k}`);
