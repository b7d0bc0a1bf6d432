// @vitest-environment happy-dom
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PHONE_COMMANDS } from "../sip/api/commands.js";
import { SipPhone } from "./sip-phone.js";

/** Method names in the first column of docs/embedding.md's "Methods" table. */
function documentedMethods(): Set<string> {
  // happy-dom's URL global rejects file: URLs for node:fs, so the path is built with node:path.
  const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../docs/embedding.md"), "utf8");
  const section = doc.split(/^## Methods$/m)[1]!.split(/^## /m)[0]!;
  const names = new Set<string>();
  for (const row of section.split("\n").filter((l) => l.startsWith("| `"))) {
    for (const m of row.split("|")[1]!.matchAll(/`(\w+)\(/g)) names.add(m[1]!);
  }
  return names;
}

describe("<sip-phone>: the embedding API offers every phone command (sip/api/commands.ts)", () => {
  it("has a method of the same name for each", () => {
    const missing = PHONE_COMMANDS.filter((name) => typeof (SipPhone.prototype as unknown as Record<string, unknown>)[name] !== "function");
    expect(missing).toEqual([]);
  });

  it("documents each in docs/embedding.md's methods table", () => {
    const documented = documentedMethods();
    expect(documented.size).toBeGreaterThan(10);
    expect(PHONE_COMMANDS.filter((name) => !documented.has(name))).toEqual([]);
  });
});
