import { describe, expect, it } from "vitest";
import { offersVideo, sections, videoState } from "./video-sdp.js";

function sdp(...media: string[]): string {
  return ["v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "t=0 0", ...media].join("\r\n") + "\r\n";
}
const audio = (dir = "sendrecv") => `m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=${dir}`;
const video = (dir = "sendrecv", port = 9) => `m=video ${port} UDP/TLS/RTP/SAVPF 96\r\na=${dir}`;

describe("video-sdp", () => {
  it("reads each m= section with its direction (media level, else session level, else sendrecv)", () => {
    expect(sections(sdp(audio(), video("recvonly", 0)))).toEqual([
      { kind: "audio", port: 9, direction: "sendrecv" },
      { kind: "video", port: 0, direction: "recvonly" },
    ]);
    expect(sections("v=0\r\na=sendonly\r\nm=video 5 RTP/AVP 96\r\n")[0]?.direction).toBe("sendonly");
    expect(sections("v=0\r\nm=video 5 RTP/AVP 96\r\n")[0]?.direction).toBe("sendrecv");
  });

  it("offersVideo: a video stream with a port; a rejected one (port 0) is none", () => {
    expect(offersVideo(sdp(audio(), video()))).toBe(true);
    expect(offersVideo(sdp(audio(), video("sendrecv", 0)))).toBe(false);
    expect(offersVideo(sdp(audio()))).toBe(false);
  });

  it("a call that rings with a video offer: the caller asks for our video, nothing flows yet", () => {
    expect(videoState(undefined, sdp(audio(), video()), false, false)).toEqual({
      local: false,
      remote: false,
      screen: false,
      requested: true,
    });
  });

  it("both ways; ours only; theirs only (we answered receive-only, and are asked until we decline)", () => {
    expect(videoState(sdp(audio(), video()), sdp(audio(), video()), false, false)).toEqual({
      local: true,
      remote: true,
      screen: false,
      requested: false,
    });
    expect(videoState(sdp(audio(), video("sendrecv")), sdp(audio(), video("recvonly")), true, false)).toEqual({
      local: true,
      remote: false,
      screen: true,
      requested: false,
    });
    expect(videoState(sdp(audio(), video("recvonly")), sdp(audio(), video("sendrecv")), false, false)).toMatchObject({
      local: false,
      remote: true,
      requested: true,
    });
    expect(videoState(sdp(audio(), video("recvonly")), sdp(audio(), video("sendrecv")), false, true).requested).toBe(false);
  });

  it("a desk phone that refused the video stream (port 0 in its answer): no video either way, nothing asked", () => {
    expect(videoState(sdp(audio(), video()), sdp(audio(), video("sendrecv", 0)), false, false)).toEqual({
      local: false,
      remote: false,
      screen: false,
      requested: false,
    });
  });
});
