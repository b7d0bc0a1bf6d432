/// <reference types="node" />
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Imports between layers are checked by lint (eslint.config.js); globals are not imports, so
// this test keeps src/sip, at any depth, off the page: media elements and audio only.
const sip = fileURLToPath(new URL(".", import.meta.url));

describe("src/sip", () => {
  it("touches no DOM beyond media elements and audio", () => {
    const sources = readdirSync(sip, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    expect(sources.length).toBeGreaterThan(10);
    const offenders = sources.filter((f) => /\bdocument\.|\bwindow\.|customElements/.test(readFileSync(join(sip, f), "utf8")));
    expect(offenders).toEqual([]);
  });
});
