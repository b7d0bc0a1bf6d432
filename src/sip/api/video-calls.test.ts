import { describe, expect, it } from "vitest";
import type { Call } from "./call.js";
import { CallState } from "./call-state.js";
import type { ReinviteOutcome } from "./call-hold.js";
import { PhoneError } from "./phone-errors.js";
import type { VideoPlatform } from "./platform.js";
import { VideoCalls } from "./video-calls.js";

/** A track as far as the video feature uses it: its kind, its end, and "ended" listeners. */
class FakeTrack extends EventTarget {
  readyState: "live" | "ended" = "live";
  constructor(
    readonly kind: string,
    readonly label: string,
  ) {
    super();
  }
  stop() {
    this.readyState = "ended";
  }
}

/** A platform that records what it is asked and keeps "the sent track" as a connection would. */
function fakePlatform() {
  const log: string[] = [];
  let sent: FakeTrack | undefined;
  let negotiated = false;
  const platform: VideoPlatform & { log: string[] } = {
    log,
    cameras: async () => [{ id: "cam1", label: "Front" }],
    openCamera: async (id) => {
      log.push(`camera ${id ?? ""}`);
      return new FakeTrack("video", "camera") as unknown as MediaStreamTrack;
    },
    openScreen: async () => {
      log.push("screen");
      return new FakeTrack("video", "screen") as unknown as MediaStreamTrack;
    },
    sendVideo: async (_pc, track) => {
      const replaced = negotiated && !!sent;
      sent?.stop();
      sent = track as unknown as FakeTrack;
      log.push(`send ${sent.label}${replaced ? " (replaced)" : ""}`);
      negotiated = true;
      return replaced ? "none" : "renegotiate";
    },
    removeVideo: () => {
      sent?.stop();
      sent = undefined;
      negotiated = false;
      log.push("remove");
    },
    sentVideo: () => (sent?.readyState === "live" ? (sent as unknown as MediaStreamTrack) : undefined),
  };
  return platform;
}

/** The part of a Call the video feature uses. */
function fakeCall(outcome: ReinviteOutcome = "accepted") {
  const call = {
    id: "c1",
    state: CallState.Established,
    direction: "out",
    peerConnection: {
      getTransceivers: () => [{ receiver: { track: { kind: "video" } }, direction: "sendrecv" }],
      currentLocalDescription: null,
      currentRemoteDescription: null,
    },
    remoteStream: undefined,
    session: {},
    videoOf: undefined as (() => unknown) | undefined,
    changes: 0,
    reinvites: 0,
    changed() {
      call.changes++;
    },
    async renegotiate() {
      call.reinvites++;
      return outcome;
    },
  };
  return call;
}

const asCall = (c: ReturnType<typeof fakeCall>) => c as unknown as Call;

describe("VideoCalls", () => {
  it("camera on: the chosen camera opens and goes out by one re-INVITE; on again changes nothing", async () => {
    const platform = fakePlatform();
    const video = new VideoCalls(platform);
    video.camera = "cam1";
    const call = fakeCall();
    await video.setVideo(asCall(call), true);
    await video.setVideo(asCall(call), true);
    expect(platform.log).toEqual(["camera cam1", "send camera"]);
    expect(call.reinvites).toBe(1);
    expect(call.videoOf).toBeTypeOf("function");
  });

  it("refused by the other side: the video added is removed again (camera closed) and the caller told", async () => {
    const platform = fakePlatform();
    const video = new VideoCalls(platform);
    const call = fakeCall("refused");
    const error = await video.setVideo(asCall(call), true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhoneError);
    expect((error as PhoneError).code).toBe("no-video");
    expect(platform.log).toEqual(["camera ", "send camera", "remove"]);
  });

  it("only in a connected call", async () => {
    const video = new VideoCalls(fakePlatform());
    const call = { ...fakeCall(), state: CallState.Ringing };
    await expect(video.setVideo(asCall(call), true)).rejects.toMatchObject({ code: "bad-state" });
  });

  it("the screen in place of the camera (no re-INVITE), and the camera back when sharing stops", async () => {
    const platform = fakePlatform();
    const video = new VideoCalls(platform);
    const call = fakeCall();
    await video.setVideo(asCall(call), true);
    await video.shareScreen(asCall(call), true);
    await video.shareScreen(asCall(call), false);
    expect(platform.log).toEqual(["camera ", "send camera", "screen", "send screen (replaced)", "camera ", "send camera (replaced)"]);
    expect(call.reinvites).toBe(1);
  });

  it("a screen shared without the camera: stopped from the browser's bar, the video is removed", async () => {
    const platform = fakePlatform();
    const video = new VideoCalls(platform);
    const call = fakeCall();
    await video.shareScreen(asCall(call), true);
    const screen = platform.sentVideo({} as RTCPeerConnection) as unknown as FakeTrack;
    screen.dispatchEvent(new Event("ended"));
    await new Promise((r) => setTimeout(r, 0));
    await video.setVideo(asCall(call), false).catch(() => undefined);
    expect(platform.log.slice(0, 3)).toEqual(["screen", "send screen", "remove"]);
    expect(call.reinvites).toBeGreaterThanOrEqual(2);
  });

  it("declining the other side's request only answers the question: nothing opens, nothing is sent", () => {
    const platform = fakePlatform();
    const video = new VideoCalls(platform);
    const call = fakeCall();
    video.decline(asCall(call));
    expect(platform.log).toEqual([]);
    expect(call.reinvites).toBe(0);
    expect(call.changes).toBeGreaterThan(0);
  });

  it("another camera chosen: a call sending the camera moves to it without a re-INVITE", async () => {
    const platform = fakePlatform();
    const video = new VideoCalls(platform);
    const call = fakeCall();
    await video.setVideo(asCall(call), true);
    await video.cameraChosen("cam2", [asCall(call)]);
    await video.cameraChosen("cam2", [asCall(call)]);
    expect(platform.log).toEqual(["camera ", "send camera", "camera cam2", "send camera (replaced)"]);
    expect(call.reinvites).toBe(1);
  });

  it("video constraints carry the chosen camera, ideal (the default when it is gone)", () => {
    const video = new VideoCalls(fakePlatform());
    expect(video.constraints().video).toBe(true);
    video.camera = "cam1";
    expect(video.constraints().video).toEqual({ deviceId: { ideal: "cam1" } });
  });
});
