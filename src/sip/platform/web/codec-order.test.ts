import { describe, expect, it } from "vitest";
import { setLogLevel } from "../../core/logger.js";
import { orderCodecs, preferCodecs, type CodecCapability, type OrderedTransceiver } from "./codec-order.js";

/** Chrome 156's RTCRtpReceiver.getCapabilities("audio").codecs, in its order. */
const CHROME: CodecCapability[] = [
  { mimeType: "audio/opus", clockRate: 48000, channels: 2, sdpFmtpLine: "minptime=10;useinbandfec=1" },
  { mimeType: "audio/red", clockRate: 48000, channels: 2 },
  { mimeType: "audio/G722", clockRate: 8000, channels: 1 },
  { mimeType: "audio/PCMU", clockRate: 8000, channels: 1 },
  { mimeType: "audio/PCMA", clockRate: 8000, channels: 1 },
  { mimeType: "audio/CN", clockRate: 8000, channels: 1 },
  { mimeType: "audio/telephone-event", clockRate: 48000, channels: 1 },
  { mimeType: "audio/telephone-event", clockRate: 8000, channels: 1 },
];

const names = (list: readonly { mimeType: string; clockRate: number }[]): string[] =>
  list.map((c) => `${c.mimeType.slice(6)}/${c.clockRate}`);

describe("orderCodecs", () => {
  it("puts the listed codecs first in the line's order, the rest after in the browser's order", () => {
    expect(names(orderCodecs(CHROME, ["G722", "PCMU"]))).toEqual([
      "G722/8000",
      "PCMU/8000",
      "opus/48000",
      "red/48000",
      "PCMA/8000",
      "CN/8000",
      "telephone-event/48000",
      "telephone-event/8000",
    ]);
  });

  it("matches names in any case and keeps every entry (nothing dropped, nothing twice)", () => {
    const ordered = orderCodecs(CHROME, ["pcma", "OPUS", "pcma"]);
    expect(names(ordered).slice(0, 3)).toEqual(["PCMA/8000", "opus/48000", "red/48000"]);
    expect(ordered).toHaveLength(CHROME.length);
    expect(new Set(ordered)).toEqual(new Set(CHROME));
  });

  it("keeps the browser's own objects, so Opus keeps useinbandfec=1", () => {
    const ordered = orderCodecs(CHROME, ["PCMU", "opus"]);
    expect(ordered[1]).toBe(CHROME[0]);
    expect(ordered[1].sdpFmtpLine).toContain("useinbandfec=1");
  });

  it("skips a listed codec the browser does not have, and leaves the order alone for an empty list", () => {
    expect(names(orderCodecs(CHROME, ["G722"]).slice(0, 2))).toEqual(["G722/8000", "opus/48000"]);
    expect(orderCodecs(CHROME.slice(3), ["G722", "PCMA"])[0].mimeType).toBe("audio/PCMA");
    expect(orderCodecs(CHROME, [])).toEqual(CHROME);
  });
});

function transceiver(kind: string, direction: RTCRtpTransceiverDirection = "sendrecv"): OrderedTransceiver & { set?: CodecCapability[] } {
  const t: OrderedTransceiver & { set?: CodecCapability[] } = {
    direction,
    receiver: { track: { kind } },
    setCodecPreferences(codecs) {
      t.set = codecs;
    },
  };
  return t;
}

describe("preferCodecs", () => {
  it("orders the audio transceivers that are not stopped, and no others", () => {
    const audio = transceiver("audio");
    const video = transceiver("video");
    const stopped = transceiver("audio", "stopped");
    preferCodecs([audio, video, stopped], ["G722"], CHROME);
    expect(audio.set?.[0].mimeType).toBe("audio/G722");
    expect(audio.set).toHaveLength(CHROME.length);
    expect(video.set).toBeUndefined();
    expect(stopped.set).toBeUndefined();
  });

  it("does nothing without a line order or without the browser's list", () => {
    const t = transceiver("audio");
    preferCodecs([t], undefined, CHROME);
    preferCodecs([t], [], CHROME);
    preferCodecs([t], ["PCMU"], undefined);
    expect(t.set).toBeUndefined();
  });

  it("keeps the browser's order when the browser refuses the list or lacks the method", () => {
    const refusing: OrderedTransceiver = {
      direction: "sendrecv",
      receiver: { track: { kind: "audio" } },
      setCodecPreferences() {
        throw new DOMException("no", "InvalidModificationError");
      },
    };
    const old: OrderedTransceiver = { direction: "sendrecv", receiver: { track: { kind: "audio" } } };
    setLogLevel("off");
    try {
      expect(() => preferCodecs([refusing, old], ["PCMU"], CHROME)).not.toThrow();
    } finally {
      setLogLevel("warn");
    }
  });
});
