/// <reference types="node" />
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The one-way layers of docs/architecture.md, checked on the imports themselves:
 * components -> app -> sip / storage -> config. A violation names the file and the import.
 */
const root = fileURLToPath(new URL(".", import.meta.url));
const FORBIDDEN: Record<string, RegExp> = {
  sip: /^(lit|@lit\/|idb-keyval)|\/(components|storage|app)\//,
  storage: /^(lit|@lit\/|sip\.js)|\/(components|sip|app)\//,
  config: /^(lit|@lit\/|sip\.js|idb-keyval)|\/(components|sip|storage|app)\//,
  app: /\/components\//,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f: string) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") && !p.endsWith(".test.ts") ? [p] : [];
  });
}

describe("layers", () => {
  for (const [layer, forbidden] of Object.entries(FORBIDDEN)) {
    it(`src/${layer} imports nothing from the layers above it`, () => {
      const violations: string[] = [];
      for (const file of files(join(root, layer))) {
        for (const m of readFileSync(file, "utf8").matchAll(/^\s*import\s[^"']*["']([^"']+)["']/gm)) {
          const spec = m[1].startsWith(".") ? "/" + relative(root, join(file, "..", m[1])) : m[1];
          if (forbidden.test(spec)) violations.push(`${relative(root, file)} imports ${m[1]}`);
        }
      }
      expect(violations).toEqual([]);
    });
  }

  it("src/sip touches no DOM beyond media elements and audio", () => {
    const offenders = files(join(root, "sip")).filter((f) => /\bdocument\.|\bwindow\.|customElements/.test(readFileSync(f, "utf8")));
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });
});
