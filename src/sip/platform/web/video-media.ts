import type { VideoPlatform } from "../../api/platform.js";
import { getLogger } from "../../core/logger.js";
import type { MediaPlatform } from "./media-platform.js";
import { sendOnVideo, sentVideo, stopVideo } from "./video-transceivers.js";

const log = getLogger("video");

/** What of `navigator.mediaDevices` video needs beyond getUserMedia (tests: a fake). */
export type VideoDevices = Pick<MediaDevices, "enumerateDevices" | "getDisplayMedia">;

/**
 * Cameras and screens in the browser, and the call's video stream (VideoPlatform). Loaded with
 * the first video call or request (most phones never use video: docs/performance.md).
 */
export class BrowserVideo implements VideoPlatform {
  constructor(
    private readonly media: MediaPlatform,
    private readonly devices: VideoDevices | undefined = globalThis.navigator?.mediaDevices,
  ) {}

  async cameras(): Promise<{ id: string; label: string }[]> {
    const all = (await this.devices?.enumerateDevices()) ?? [];
    return all.flatMap((d) => (d.kind === "videoinput" ? [{ id: d.deviceId, label: d.label }] : []));
  }

  async openCamera(deviceId?: string): Promise<MediaStreamTrack> {
    const stream = await this.media.getUserMedia({ audio: false, video: cameraConstraints(deviceId) });
    const [track, ...rest] = stream.getVideoTracks();
    for (const t of rest) t.stop();
    if (!track) throw new Error("the camera gave no video track");
    return track;
  }

  async openScreen(): Promise<MediaStreamTrack> {
    if (!this.devices?.getDisplayMedia) throw new Error("this browser cannot share the screen (no getDisplayMedia)");
    const stream = await this.devices.getDisplayMedia({ video: true, audio: false });
    const track = stream.getVideoTracks()[0];
    for (const t of stream.getTracks()) if (t !== track) t.stop();
    if (!track) throw new Error("the screen capture gave no video track");
    // A hint to the encoder: a shared screen is text and lines, kept sharp rather than smooth.
    track.contentHint = "detail";
    return track;
  }

  async sendVideo(pc: RTCPeerConnection, track: MediaStreamTrack): Promise<"renegotiate" | "none"> {
    const done = await sendOnVideo(pc.getTransceivers(), track);
    if (done === "replaced") return "none";
    if (!done) pc.addTransceiver(track, { direction: "sendrecv" });
    return "renegotiate";
  }

  removeVideo(pc: RTCPeerConnection): void {
    stopVideo(pc.getTransceivers());
  }

  sentVideo(pc: RTCPeerConnection): MediaStreamTrack | undefined {
    return sentVideo(pc.getTransceivers());
  }
}

/** getUserMedia's video constraints for a chosen camera ("" or absent: the default). */
export function cameraConstraints(deviceId?: string): MediaTrackConstraints | true {
  // `ideal`, not `exact`: a camera unplugged since it was chosen gives the default, not a failed call.
  return deviceId ? { deviceId: { ideal: deviceId } } : true;
}

/**
 * The media of a call dialled or answered with video: the microphone as for any call, and the
 * camera. A camera that cannot be opened (none, refused, busy) leaves an audio call rather than
 * none: the microphone alone is returned, and the offer or answer carries no video of ours.
 */
export async function withCamera(
  microphone: Promise<MediaStream>,
  media: MediaPlatform,
  video: MediaStreamConstraints["video"],
): Promise<MediaStream> {
  const camera = media.getUserMedia({ audio: false, video }).catch((e: unknown) => {
    log.warn("camera not opened, the call goes on without it:", (e as Error).message);
    return undefined;
  });
  let mic: MediaStream;
  try {
    mic = await microphone;
  } catch (e) {
    // No microphone, no call (as for audio calls): the camera opened meanwhile is closed.
    void camera.then((c) => c?.getTracks().forEach((t) => t.stop()));
    throw e;
  }
  const cam = await camera;
  return new MediaStream([...mic.getAudioTracks(), ...(cam?.getVideoTracks().slice(0, 1) ?? [])]);
}
