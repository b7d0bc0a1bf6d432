import { describe, expect, it } from "vitest";
import { isHoldOffer } from "./sdp.js";

const offer = (session: string[], audio: string[], port = 40000) =>
  [
    "v=0",
    "o=- 1 1 IN IP4 192.0.2.10",
    "s=-",
    ...session,
    "t=0 0",
    `m=audio ${port} RTP/AVP 0 101`,
    ...audio,
    "a=rtpmap:0 PCMU/8000",
    "",
  ].join("\r\n");

describe("isHoldOffer: the four ways phones say hold", () => {
  it.each([
    ["a=sendonly (media level)", offer(["c=IN IP4 192.0.2.10"], ["a=sendonly"])],
    ["a=sendonly (session level)", offer(["c=IN IP4 192.0.2.10", "a=sendonly"], [])],
    ["a=inactive", offer(["c=IN IP4 192.0.2.10"], ["a=inactive"])],
    ["c=IN IP4 0.0.0.0 (RFC 2543, session level)", offer(["c=IN IP4 0.0.0.0"], [])],
    ["c=IN IP4 0.0.0.0 (media level)", offer(["c=IN IP4 192.0.2.10"], ["c=IN IP4 0.0.0.0"])],
    ["port 0", offer(["c=IN IP4 192.0.2.10"], [], 0)],
  ])("%s is a hold", (_what, sdp) => {
    expect(isHoldOffer(sdp)).toBe(true);
  });

  it.each([
    ["a plain offer", offer(["c=IN IP4 192.0.2.10"], [])],
    ["a=sendrecv", offer(["c=IN IP4 192.0.2.10"], ["a=sendrecv"])],
    ["a=recvonly (they hold nothing: we may send)", offer(["c=IN IP4 192.0.2.10"], ["a=recvonly"])],
    ["session a=sendonly overridden by audio a=sendrecv", offer(["c=IN IP4 192.0.2.10", "a=sendonly"], ["a=sendrecv"])],
    ["session c=0.0.0.0 overridden by the audio c=", offer(["c=IN IP4 0.0.0.0"], ["c=IN IP4 192.0.2.10"])],
    ["no audio stream", "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nt=0 0\r\nm=video 4000 RTP/AVP 96\r\na=sendonly\r\n"],
  ])("%s is not a hold", (_what, sdp) => {
    expect(isHoldOffer(sdp)).toBe(false);
  });
});
