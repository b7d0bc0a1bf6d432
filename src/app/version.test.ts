import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { APP_VERSION, SIP_STACK } from "./version.js";

const versionOf = (path: string) => (JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")) as { version: string }).version;

describe("version", () => {
  it("is package.json's, and names the SIP.js that is installed", () => {
    expect(APP_VERSION).toBe(versionOf("../../package.json"));
    expect(SIP_STACK).toContain(`SIP.js ${versionOf("../../node_modules/sip.js/package.json")} `);
  });
});
