// Runs the e2e test files (or the benchmark) one after another inside the private namespace.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const bench = args.includes("--bench");
const screenshots = args.includes("--screenshots");
// `--profile-lines`: the 1000-line start alone, profiled (e2e/bench/profile-lines.mjs).
const profileLines = args.includes("--profile-lines");
const only = args.filter((a) => !a.startsWith("--"));
const files = screenshots
  ? [join(here, "screenshots.mjs")]
  : profileLines
    ? [join(here, "bench", "profile-lines.mjs")]
    : bench
      ? [join(here, "bench", "bench.mjs")]
      : only.length
        ? only
        : readdirSync(here)
            .filter((f) => f.endsWith(".test.mjs"))
            .sort()
            .map((f) => join(here, f));
// `--test-name-pattern=...` goes to node: one test of a file, while working on it.
const patterns = args.filter((a) => a.startsWith("--test-name-pattern="));
const cmd =
  bench || screenshots || profileLines
    ? ["node", ...files]
    : ["node", "--test", "--test-concurrency=1", "--test-reporter=spec", ...patterns, ...files];
const r = spawnSync(join(here, "run-in-netns.sh"), cmd, { stdio: "inherit" });
process.exit(r.status ?? 1);
