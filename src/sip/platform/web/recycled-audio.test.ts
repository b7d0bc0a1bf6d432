import { describe, expect, it } from "vitest";
import { sendOnRecycledAudio, type RecyclableTransceiver } from "./recycled-audio.js";

const mic = { kind: "audio", id: "mic" } as unknown as MediaStreamTrack;

function transceiver(
  mid: string,
  direction: RTCRtpTransceiverDirection,
  track: unknown,
  kind = "audio",
  current: RTCRtpTransceiverDirection | null = null,
) {
  const t: RecyclableTransceiver & { sent?: unknown } = {
    mid,
    direction,
    currentDirection: current,
    receiver: { track: { kind } },
    sender: {
      track,
      replaceTrack: async (next) => {
        t.sent = next;
      },
    },
  };
  return t;
}

describe("sendOnRecycledAudio (a stream re-added where the peer removed one with port 0)", () => {
  it("the new audio transceiver gets the microphone and sends; the old stopped one and a video one are left", async () => {
    const old = transceiver("0", "stopped", mic, "audio", "stopped");
    const fresh = transceiver("1", "recvonly", null);
    const video = transceiver("2", "recvonly", null, "video");
    expect(await sendOnRecycledAudio([old, fresh, video], mic, false)).toEqual(["1"]);
    expect(fresh.sent).toBe(mic);
    expect(fresh.direction).toBe("sendrecv");
    expect(old.sent).toBeUndefined();
    expect(video.sent).toBeUndefined();
  });

  it("while we hold, the track is set but the direction stays as hold made it", async () => {
    const fresh = transceiver("1", "inactive", null);
    await sendOnRecycledAudio([fresh], mic, true);
    expect(fresh.sent).toBe(mic);
    expect(fresh.direction).toBe("inactive");
  });

  it("a transceiver that already has a track is not touched (every ordinary answer)", async () => {
    const normal = transceiver("0", "sendrecv", { kind: "audio" });
    expect(await sendOnRecycledAudio([normal], mic, false)).toEqual([]);
    expect(normal.sent).toBeUndefined();
  });
});
