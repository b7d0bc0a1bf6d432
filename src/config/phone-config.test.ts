import { describe, expect, it } from "vitest";
import { ConfigError, validateConfig } from "./phone-config.js";

const good = {
  version: 1,
  accounts: [{ id: "line1", sipUri: "sip:1001@pbx.example.com", password: "s3cret", servers: ["wss://pbx.example.com:8089/ws"] }],
};

function problems(input: unknown) {
  try {
    validateConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("validateConfig", () => {
  it("accepts a minimal account", () => {
    expect(validateConfig(good)).toBe(good);
  });

  it("names every bad field at once", () => {
    const p = problems({
      version: 2,
      accounts: [
        { id: "a b", sipUri: "alice", password: 5, servers: ["https://x"], dtmf: "tones", expires: 10 },
        { id: "ok", sipUri: "sip:1@x", password: "", servers: [] },
      ],
    });
    expect(p.map((x) => x.field)).toEqual([
      "version",
      "accounts[0].id",
      "accounts[0].sipUri",
      "accounts[0].password",
      "accounts[0].servers[0]",
      "accounts[0].dtmf",
      "accounts[0].expires",
      "accounts[1].servers",
    ]);
    expect(p.find((x) => x.field === "accounts[0].servers[0]")?.message).toBe(
      '"https://x" must start with wss:// (or ws:// for local testing)',
    );
  });

  it("refuses duplicate ids and malformed ICE servers", () => {
    const a = good.accounts[0];
    const p = problems({ version: 1, accounts: [a, { ...a, iceServers: [{ urls: "http://stun" }] }] });
    expect(p).toEqual([
      { field: "accounts[1].id", message: '"line1" is used by another account' },
      { field: "accounts[1].iceServers[0].urls", message: "must be stun:, turn: or turns: URLs" },
    ]);
  });

  it("takes iceTransportPolicy all or relay, and refuses relay without a TURN server", () => {
    const a = good.accounts[0];
    const turn = [{ urls: ["stun:s.example.com", "turns:t.example.com:443?transport=tcp"], username: "u", credential: "c" }];
    expect(() => validateConfig({ version: 1, accounts: [{ ...a, iceTransportPolicy: "relay", iceServers: turn }] })).not.toThrow();
    expect(() => validateConfig({ version: 1, accounts: [{ ...a, iceTransportPolicy: "all" }] })).not.toThrow();
    const p = problems({
      version: 1,
      accounts: [
        { ...a, id: "l1", iceTransportPolicy: "relay" },
        { ...a, id: "l2", iceTransportPolicy: "relay", iceServers: [{ urls: "stun:s.example.com" }] },
        { ...a, id: "l3", iceTransportPolicy: "turn", iceServers: turn },
      ],
    });
    expect(p).toEqual([
      { field: "accounts[0].iceTransportPolicy", message: '"relay" needs a TURN server (turn: or turns:) in iceServers' },
      { field: "accounts[1].iceTransportPolicy", message: '"relay" needs a TURN server (turn: or turns:) in iceServers' },
      { field: "accounts[2].iceTransportPolicy", message: 'must be "all" or "relay"' },
    ]);
  });

  it("takes a codec order in any case, and names an unknown, a non-voice or a repeated codec", () => {
    const a = good.accounts[0];
    expect(() => validateConfig({ version: 1, accounts: [{ ...a, codecs: ["OPUS", "g722", "pcmu", "PCMA"] }] })).not.toThrow();
    const p = problems({
      version: 1,
      accounts: [
        { ...a, id: "l1", codecs: ["G722", "G729", "telephone-event", "g722", 8] },
        { ...a, id: "l2", codecs: [] },
        { ...a, id: "l3", codecs: "opus" },
      ],
    });
    expect(p).toEqual([
      { field: "accounts[0].codecs[1]", message: '"G729" is not a codec the phone knows: use opus, G722, PCMU, PCMA (any case)' },
      {
        field: "accounts[0].codecs[2]",
        message: '"telephone-event" is always offered and is not listed: list voice codecs only (opus, G722, PCMU, PCMA)',
      },
      { field: "accounts[0].codecs[3]", message: '"g722" is listed twice' },
      { field: "accounts[0].codecs[4]", message: "must be a codec name (opus, G722, PCMU, PCMA)" },
      { field: "accounts[1].codecs", message: 'must list voice codecs in order, such as ["G722", "PCMU"] (known: opus, G722, PCMU, PCMA)' },
      { field: "accounts[2].codecs", message: 'must list voice codecs in order, such as ["G722", "PCMU"] (known: opus, G722, PCMU, PCMA)' },
    ]);
  });

  it("refuses what is not a configuration at all", () => {
    expect(problems(null)).toEqual([{ field: "(root)", message: "must be a JSON object" }]);
    expect(problems("{}")).toEqual([{ field: "(root)", message: "must be a JSON object" }]);
  });
});
