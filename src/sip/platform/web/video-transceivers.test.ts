import { describe, expect, it } from "vitest";
import {
  answerWithoutCamera,
  closeStoppedVideo,
  rejectedMids,
  sendOnVideo,
  sentVideo,
  stopVideo,
  type VideoTransceiver,
} from "./video-transceivers.js";

interface FakeTrack {
  kind: string;
  id: string;
  readyState: "live" | "ended";
  stop(): void;
}

function track(id: string, kind = "video"): FakeTrack {
  const t: FakeTrack = { kind, id, readyState: "live", stop: () => void (t.readyState = "ended") };
  return t;
}

function transceiver(mid: string, direction: RTCRtpTransceiverDirection, sent: FakeTrack | null, kind = "video"): VideoTransceiver {
  const t = {
    mid,
    direction,
    currentDirection: null as RTCRtpTransceiverDirection | null,
    receiver: { track: { kind } },
    sender: {
      track: sent as unknown as MediaStreamTrack | null,
      replaceTrack: async (next: MediaStreamTrack | null) => {
        t.sender.track = next;
      },
    },
    stop() {
      t.direction = "stopped";
      t.currentDirection = "stopped";
    },
  };
  return t;
}

describe("answerWithoutCamera (the other side offers video; our camera is not on)", () => {
  it("answers receive-only where SIP.js set sendrecv with no track, inactive where it set sendonly; audio untouched", () => {
    const audio = transceiver("0", "sendrecv", track("mic", "audio"), "audio");
    const video = transceiver("1", "sendrecv", null);
    const onlyOurs = transceiver("2", "sendonly", null);
    expect(answerWithoutCamera([audio, video, onlyOurs])).toEqual(["1", "2"]);
    expect([audio.direction, video.direction, onlyOurs.direction]).toEqual(["sendrecv", "recvonly", "inactive"]);
  });

  it("leaves a video stream that carries our camera, and a stopped one", () => {
    const sending = transceiver("1", "sendrecv", track("cam"));
    const stopped = transceiver("2", "stopped", null);
    expect(answerWithoutCamera([sending, stopped])).toEqual([]);
    expect(sending.direction).toBe("sendrecv");
  });
});

describe("closeStoppedVideo (the other side removed or refused video)", () => {
  it("stops the camera of a stopped video stream, and only there", () => {
    const cam = track("cam");
    const other = track("cam2");
    const mic = track("mic", "audio");
    const gone = transceiver("1", "sendrecv", cam);
    gone.stop();
    const stoppedAudio = transceiver("0", "sendrecv", mic, "audio");
    stoppedAudio.stop();
    expect(closeStoppedVideo([stoppedAudio, gone, transceiver("2", "sendrecv", other)])).toBe(1);
    expect([cam.readyState, other.readyState, mic.readyState]).toEqual(["ended", "live", "live"]);
  });
});

describe("sendOnVideo / stopVideo / sentVideo", () => {
  it("replaces what the video stream sends (no re-INVITE needed) and stops the old track", async () => {
    const cam = track("cam");
    const screen = track("screen");
    const t = transceiver("1", "sendrecv", cam);
    expect(await sendOnVideo([t], screen as unknown as MediaStreamTrack)).toBe("replaced");
    expect(t.sender.track).toBe(screen);
    expect(cam.readyState).toBe("ended");
  });

  it("widens a receive-only stream to send (the next offer says so)", async () => {
    const t = transceiver("1", "recvonly", null);
    const cam = track("cam");
    expect(await sendOnVideo([t], cam as unknown as MediaStreamTrack)).toBe("widened");
    expect(t.direction).toBe("sendrecv");
    expect(sentVideo([t])).toBe(cam);
  });

  it("says a new stream is needed when the call has no live video stream", async () => {
    const stopped = transceiver("1", "recvonly", null);
    stopped.stop();
    expect(await sendOnVideo([stopped, transceiver("0", "sendrecv", null, "audio")], track("cam") as unknown as MediaStreamTrack)).toBe(
      undefined,
    );
  });

  it("stopVideo stops every video stream and its track, never the audio", () => {
    const cam = track("cam");
    const mic = track("mic", "audio");
    const v = transceiver("1", "sendrecv", cam);
    const a = transceiver("0", "sendrecv", mic, "audio");
    stopVideo([a, v]);
    expect([v.direction, a.direction, cam.readyState, mic.readyState]).toEqual(["stopped", "sendrecv", "ended", "live"]);
    expect(sentVideo([a, v])).toBeUndefined();
  });
});

describe("rejectedMids (the other side's description rejects a section: port 0)", () => {
  const ours = "v=0\r\nm=audio 9 X 111\r\na=mid:0\r\nm=video 9 X 96\r\na=mid:1\r\n";
  it("names our mid for each section the other side answered with port 0, by position", () => {
    expect([...rejectedMids(ours, "v=0\r\nm=audio 4000 RTP/AVP 0\r\nm=video 0 RTP/AVP 96\r\n")]).toEqual(["1"]);
    expect([...rejectedMids(ours, "v=0\r\nm=audio 4000 RTP/AVP 0\r\nm=video 4002 RTP/AVP 96\r\n")]).toEqual([]);
    expect([...rejectedMids(undefined, "v=0\r\nm=video 0 RTP/AVP 96\r\n")]).toEqual([]);
  });

  it("closeStoppedVideo closes the camera of a rejected section the browser left unstopped, and stops it", () => {
    const cam = track("cam");
    const t = transceiver("1", "sendrecv", cam);
    expect(closeStoppedVideo([t], new Set(["1"]))).toBe(1);
    expect([cam.readyState, t.direction]).toEqual(["ended", "stopped"]);
  });

  it("closeStoppedVideo closes a camera sent before whose stream the browser dropped, not one still sent", () => {
    const dropped = track("cam");
    const still = track("cam2");
    const t = transceiver("1", "sendrecv", still);
    expect(closeStoppedVideo([t], new Set(), [dropped, still] as unknown as MediaStreamTrack[])).toBe(1);
    expect([dropped.readyState, still.readyState]).toEqual(["ended", "live"]);
  });
});
