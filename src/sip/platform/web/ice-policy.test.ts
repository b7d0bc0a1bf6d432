import { describe, expect, it } from "vitest";
import { icePolicyFor } from "./ice-policy.js";

const host = "candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host";
const srflx = "candidate:2 1 udp 1686052607 198.51.100.7 50000 typ srflx raddr 192.0.2.1 rport 50000";
const relay = "candidate:3 1 udp 41885439 203.0.113.9 3478 typ relay raddr 198.51.100.7 rport 50000";
const sdp = (...candidates: string[]) => `v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n${candidates.map((c) => `a=${c}\r\n`).join("")}`;

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
    expect(p.relayOnly).toBe(false);
    expect(p.hasUsableCandidate(sdp(host))).toBe(true);
  });
  it("relay-only: waits longer for a relay candidate, and an SDP without one is not usable", () => {
    const turn = [{ urls: "turn:t.example.com:3478?transport=tcp", username: "u", credential: "c" }];
    const p = icePolicyFor(turn, 500, "relay");
    expect(p.relayOnly).toBe(true);
    expect(p.capMs).toBe(3000);
    expect([host, srflx, relay].map(p.isEnough)).toEqual([false, false, true]);
    expect(p.hasUsableCandidate(sdp(relay))).toBe(true);
    expect(p.hasUsableCandidate(sdp())).toBe(false);
    expect(p.hasUsableCandidate(sdp(host, srflx))).toBe(false);
    // A longer cap of its own is kept.
    expect(icePolicyFor(turn, 5000, "relay").capMs).toBe(5000);
  });
  it("relay-only without a TURN server: nothing is ever usable (the call fails with a reason)", () => {
    const p = icePolicyFor([{ urls: "stun:s.example.com" }], 500, "relay");
    expect([host, srflx].map(p.isEnough)).toEqual([false, false]);
    expect(p.hasUsableCandidate(sdp(host, srflx))).toBe(false);
  });
});
