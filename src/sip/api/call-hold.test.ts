import { describe, expect, it, vi } from "vitest";
import type { Session } from "sip.js";
import { systemClock } from "../core/clock.js";
import { CallHold } from "./call-hold.js";

/** A video sender: its encodings' `active` flags, as setParameters left them. */
function videoSender() {
  let encodings = [{ active: true }];
  return {
    get active() {
      return encodings.map((e) => e.active);
    },
    getParameters: () => ({ encodings: encodings.map((e) => ({ ...e })) }),
    setParameters(p: { encodings: Array<{ active: boolean }> }) {
      encodings = p.encodings;
      return Promise.resolve();
    },
  };
}

/** A session whose re-INVITEs are accepted at once (or refused with `code`), an audio sender with a track, and a video sender. */
function fixture(code = 200) {
  const mic: { stopped: boolean; stop(): void } = {
    stopped: false,
    stop() {
      this.stopped = true;
    },
  };
  const sender = {
    track: mic as unknown as MediaStreamTrack | null,
    replaceTrack(t: MediaStreamTrack | null) {
      this.track = t;
      return Promise.resolve();
    },
  };
  const session = {
    invite: (options: { requestDelegate: { onAccept(): void; onReject(r: object): void } }) => {
      if (code === 200) options.requestDelegate.onAccept();
      else options.requestDelegate.onReject({ message: { statusCode: code } });
      return Promise.resolve();
    },
  } as unknown as Session;
  const video = videoSender();
  const hold = new CallHold(
    "c1",
    session,
    true,
    systemClock,
    () => sender as unknown as RTCRtpSender,
    () => true,
    () => undefined,
    undefined,
    () => [video as unknown as RTCRtpSender],
  );
  return { hold, sender, mic, video };
}

describe("CallHold", () => {
  it("takes the microphone off the sender while held and puts it back on resume", async () => {
    const { hold, sender, mic } = fixture();
    expect(await hold.set(true)).toBe("accepted");
    expect(sender.track).toBeNull();
    expect(await hold.set(false)).toBe("accepted");
    expect(sender.track).toBe(mic);
    expect(mic.stopped).toBe(false);
  });

  it("pauses our video while held (no RTP to the held party, the camera stays on its sender) and resumes it", async () => {
    const { hold, video } = fixture();
    await hold.set(true);
    expect(video.active).toEqual([false]);
    await hold.set(false);
    expect(video.active).toEqual([true]);
  });

  it("a refused hold gives back the microphone and the video", async () => {
    vi.useFakeTimers();
    const { hold, sender, mic, video } = fixture(488);
    const outcome = hold.set(true);
    // Three attempts, each followed by a 1-2 s wait.
    await vi.advanceTimersByTimeAsync(6000);
    vi.useRealTimers();
    expect(await outcome).toBe("refused");
    expect(sender.track).toBe(mic);
    expect(video.active).toEqual([true]);
  });

  it("the microphone moved to another device while held: the resume sends the new one", async () => {
    const { hold, sender, mic } = fixture();
    await hold.set(true);
    const headset = { stop() {} } as unknown as MediaStreamTrack;
    hold.microphoneReplaced(mic as unknown as MediaStreamTrack, headset);
    await hold.set(false);
    expect(sender.track).toBe(headset);
  });

  it("a call that ends on hold stops the microphone it took off the sender (else it stays open)", async () => {
    const { hold, mic } = fixture();
    await hold.set(true);
    hold.release();
    expect(mic.stopped).toBe(true);
  });
});
