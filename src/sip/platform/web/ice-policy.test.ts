import { describe, expect, it } from "vitest";
import { icePolicyFor } from "./ice-policy.js";

const host = "candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host";
const srflx = "candidate:2 1 udp 1686052607 198.51.100.7 50000 typ srflx raddr 192.0.2.1 rport 50000";
const relay = "candidate:3 1 udp 41885439 203.0.113.9 3478 typ relay raddr 198.51.100.7 rport 50000";

describe("icePolicyFor", () => {
  it("without ICE servers, waits for gathering to complete (host candidates only)", () => {
    const p = icePolicyFor([]);
    expect([host, srflx, relay].map(p.isEnough)).toEqual([false, false, false]);
    expect(p.capMs).toBe(500);
  });
  it("with STUN only, stops at the first server-reflexive candidate", () => {
    const p = icePolicyFor([{ urls: "stun:stun.example.com" }]);
    expect([host, srflx, relay].map(p.isEnough)).toEqual([false, true, true]);
  });
  it("with TURN, waits for a relay candidate", () => {
    const p = icePolicyFor([{ urls: ["stun:s.example.com", "turns:t.example.com:443"], username: "u", credential: "c" }], 800);
    expect([host, srflx, relay].map(p.isEnough)).toEqual([false, false, true]);
    expect(p.capMs).toBe(800);
  });
});
