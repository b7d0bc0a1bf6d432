import { describe, expect, it } from "vitest";
import type { Session } from "sip.js";
import { systemClock } from "../core/clock.js";
import { CallHold } from "./call-hold.js";

/** A session whose re-INVITEs are accepted at once, and an audio sender with a track. */
function fixture() {
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
    invite: (options: { requestDelegate: { onAccept(): void } }) => {
      options.requestDelegate.onAccept();
      return Promise.resolve();
    },
  } as unknown as Session;
  const hold = new CallHold(
    "c1",
    session,
    true,
    systemClock,
    () => sender as unknown as RTCRtpSender,
    () => true,
    () => undefined,
  );
  return { hold, sender, mic };
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
