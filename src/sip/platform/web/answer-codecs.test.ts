import { describe, expect, it } from "vitest";
import { audioWithoutCodec, type AudioTransceiverView } from "./answer-codecs.js";

/** A transceiver as Chrome reports it once an answer is applied: the send codecs it kept. */
function transceiver(
  codecs: string[],
  {
    mid = "0",
    kind = "audio",
    currentDirection = "sendrecv",
    stopped = false,
  }: Partial<{
    mid: string;
    kind: string;
    currentDirection: RTCRtpTransceiverDirection;
    stopped: boolean;
  }> = {},
): AudioTransceiverView {
  return {
    mid,
    stopped,
    currentDirection,
    receiver: { track: { kind } },
    sender: { getParameters: () => ({ codecs: codecs.map((mimeType) => ({ mimeType })) }) },
  };
}

describe("audioWithoutCodec", () => {
  it("finds an answer whose only codec the browser does not know (G.729: no send codec left)", () => {
    expect(audioWithoutCodec([transceiver([])])).toEqual(["0"]);
  });

  it("counts telephone-event, comfort noise and redundancy as no voice codec", () => {
    expect(audioWithoutCodec([transceiver(["audio/telephone-event", "audio/CN", "audio/red"])])).toEqual(["0"]);
  });

  it("accepts an answer with a voice codec, whatever else it has", () => {
    expect(audioWithoutCodec([transceiver(["audio/PCMU", "audio/telephone-event"])])).toEqual([]);
    expect(audioWithoutCodec([transceiver(["audio/opus"])])).toEqual([]);
  });

  it("does not judge a rejected section (port 0) or one we do not send on", () => {
    expect(audioWithoutCodec([transceiver([], { stopped: true })])).toEqual([]);
    expect(audioWithoutCodec([transceiver([], { currentDirection: "stopped" })])).toEqual([]);
    expect(audioWithoutCodec([transceiver([], { currentDirection: "recvonly" })])).toEqual([]);
    expect(audioWithoutCodec([transceiver([], { currentDirection: "inactive" })])).toEqual([]);
  });

  it("looks at audio only, and names each bad section by its mid", () => {
    expect(audioWithoutCodec([transceiver([], { kind: "video", mid: "1" }), transceiver([], { mid: "2" })])).toEqual(["2"]);
  });
});
