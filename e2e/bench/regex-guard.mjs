// The number-rule regex check (src/config/regex-safety.ts) in figures: how long the slowest
// accepted pattern takes on the worst numbers a rule is ever given, and how long the check takes
// to judge the hostile shapes. Measured here rather than asserted in a unit test, where a loaded
// machine makes a wall-clock bound flaky. Run alone: node e2e/bench/regex-guard.mjs
import { runnerImport } from "vite";

export async function measureRegexGuard() {
  const load = async (/** @type {string} */ path) => (await runnerImport(path, { configFile: false, logLevel: "silent" })).module;
  const { regexHazard } = /** @type {{ regexHazard: (s: string) => string | undefined }} */ (await load("/src/config/regex-safety.ts"));
  const samples = /** @type {{ COMMON: string[], HOSTILE: [string, RegExp][], LONGEST_INPUTS: string[] }} */ (
    await load("/src/config/regex-samples.ts")
  );
  // The edge of the bound: four repeats over the same digits, which the check still accepts.
  const accepted = [...samples.COMMON, String.raw`\d*\d*\d*\d*x`].filter((s) => regexHazard(s) === undefined);
  let worstMatchMs = 0;
  let worstPattern = "";
  for (const source of accepted) {
    const re = new RegExp(source);
    for (const input of samples.LONGEST_INPUTS) {
      const t = performance.now();
      re.test(input);
      const ms = performance.now() - t;
      if (ms > worstMatchMs) [worstMatchMs, worstPattern] = [ms, source];
    }
  }
  const t = performance.now();
  for (const [source] of samples.HOSTILE) regexHazard(source);
  const judgeMs = performance.now() - t;
  return { accepted: accepted.length, worstMatchMs, worstPattern, hostile: samples.HOSTILE.length, judgeMs };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await measureRegexGuard());
