import { describe, expect, it } from "vitest";
import { LineState } from "../sip/api/line-state.js";
import { diagnosticsReport } from "./diagnostics.js";
import { APP_VERSION } from "./version.js";

const input = {
  now: new Date("2026-12-05T10:00:00Z"),
  userAgent: "Mozilla/5.0 Chrome/156",
  page: "https://phone.example.com/?provision=https%3A%2F%2Fx%2Fconfig.json#top",
  lines: [{ id: "l1", label: "Alice", aor: "sip:1001@pbx.test", state: LineState.Registered, server: "wss://pbx.test/ws" }],
  calls: [],
  accounts: [
    {
      id: "l1",
      sipUri: "sip:1001@pbx.test",
      servers: ["wss://pbx.test/ws"],
      passwordSaved: true,
      iceServers: [{ urls: "turn:turn.test", username: "u", credential: "turn-secret" }],
      password: "leaked-by-mistake",
    },
  ],
  settings: { historyViewedAt: 0, logLevel: "debug" as const },
  trace: [
    "REGISTER sip:pbx.test SIP/2.0",
    'Authorization: Digest username="1001", realm="pbx.test", nonce="abc", uri="sip:pbx.test", response="0123456789abcdef0123456789abcdef"',
    "Proxy-Authorization: Basic dXNlcjpwYXNz",
  ].join("\r\n"),
};

describe("diagnosticsReport", () => {
  it("has the versions, the page without its query, the lines and settings", () => {
    const text = diagnosticsReport(input as never);
    const json = JSON.parse(text.split("\n\n--- SIP trace ---\n")[0]!) as Record<string, unknown>;
    expect(json).toMatchObject({ app: APP_VERSION, page: "https://phone.example.com/", generated: "2026-12-05T10:00:00.000Z" });
    expect(json.lines).toEqual(input.lines);
    expect(json.settings).toMatchObject({ logLevel: "debug" });
    expect(text).toContain("REGISTER sip:pbx.test SIP/2.0");
  });

  it("ends with this tab's log at the level in force, credentials redacted", () => {
    const log = ["2026-12-05T09:59:00.000Z info [tabs] this tab leads", 'x Authorization: Digest response="feedfacefeedface"'];
    const text = diagnosticsReport({ ...input, log } as never);
    expect(text).toMatch(
      /--- SIP trace ---\n[\s\S]*\n\n--- Log \(level debug\) ---\n2026-12-05T09:59:00\.000Z info \[tabs\] this tab leads\n/,
    );
    expect(text).not.toContain("feedfacefeedface");
  });

  it("carries no secret: passwords, TURN credentials, digest responses and basic credentials are gone", () => {
    const text = diagnosticsReport(input as never);
    for (const secret of ["leaked-by-mistake", "turn-secret", "0123456789abcdef0123456789abcdef", "dXNlcjpwYXNz", "provision="]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('response="(redacted)"');
    expect(text).toContain("Proxy-Authorization: Basic (redacted)");
  });
});
