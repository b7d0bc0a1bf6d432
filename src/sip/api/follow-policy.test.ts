import { describe, expect, it } from "vitest";
import { followPolicy, MAX_FOLLOW_HOPS } from "./follow-policy.js";

const account = { id: "l1", sipUri: "sip:1001@pbx.test", password: "", servers: ["wss://pbx.test/ws"] };

describe("followPolicy (REFER and 3xx targets)", () => {
  it("follows targets in the line's own domain by itself", () => {
    expect(followPolicy("sip:1003@pbx.test", account, "pbx.test", 0)).toEqual({ action: "follow", uri: "sip:1003@pbx.test" });
    expect(followPolicy("sip:1003@PBX.test;transport=ws", account, "pbx.test", 0)).toMatchObject({ action: "follow" });
  });

  it("asks (showing the full URI) for any other domain, and after the hop limit", () => {
    expect(followPolicy("sip:1003@evil.example", account, "pbx.test", 0)).toEqual({
      action: "ask",
      uri: "sip:1003@evil.example",
      why: "domain",
    });
    expect(followPolicy("sip:1003@pbx.test.evil.example", account, "pbx.test", 0)).toMatchObject({ action: "ask", why: "domain" });
    expect(followPolicy("sip:1003@pbx.test", account, "pbx.test", MAX_FOLLOW_HOPS)).toMatchObject({ action: "ask", why: "hops" });
  });

  it("followDomains replaces the default (wildcards for subdomains)", () => {
    const a = { ...account, followDomains: ["*.corp.example"] };
    expect(followPolicy("sip:1@a.corp.example", a, "pbx.test", 0)).toMatchObject({ action: "follow" });
    expect(followPolicy("sip:1@corp.example", a, "pbx.test", 0)).toMatchObject({ action: "ask" });
    expect(followPolicy("sip:1@pbx.test", a, "pbx.test", 0)).toMatchObject({ action: "ask" });
  });

  it("refuses what we never send a request to", () => {
    expect(followPolicy("sip:1@pbx.test;maddr=203.0.113.9", account, "pbx.test", 0)).toEqual({ action: "refuse", problem: "maddr" });
    expect(followPolicy("mailto:x@pbx.test", account, "pbx.test", 0)).toEqual({ action: "refuse", problem: "scheme" });
  });
});
