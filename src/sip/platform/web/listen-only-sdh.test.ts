import { afterEach, describe, expect, it, vi } from "vitest";
import { icePolicyFor } from "./ice-policy.js";
import { ListenOnlySessionDescriptionHandler } from "./listen-only-sdh.js";

/**
 * A peer connection with the offer/answer state machine of JSEP and nothing else (happy-dom has
 * no WebRTC): it refuses a remote description without a DTLS fingerprint, as Chrome does.
 */
class FakePeerConnection extends EventTarget {
  signalingState: RTCSignalingState = "stable";
  iceGatheringState: RTCIceGatheringState = "complete";
  localDescription: RTCSessionDescriptionInit | null = null;
  readonly transceivers: RTCRtpTransceiverInit[] = [];
  tracksAdded = 0;
  closed = false;

  addTransceiver(_kind: string, init: RTCRtpTransceiverInit) {
    this.transceivers.push(init);
  }
  addTrack() {
    this.tracksAdded++;
  }
  createOffer() {
    return Promise.resolve({
      type: "offer" as const,
      sdp: "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:sha-256 AA\r\na=recvonly\r\n",
    });
  }
  createAnswer() {
    return Promise.resolve({
      type: "answer" as const,
      sdp: "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:sha-256 AA\r\na=inactive\r\n",
    });
  }
  setLocalDescription(d: RTCSessionDescriptionInit) {
    if (d.type === "rollback") this.signalingState = "stable";
    else {
      this.localDescription = d;
      this.signalingState = d.type === "offer" ? "have-local-offer" : "stable";
    }
    return Promise.resolve();
  }
  setRemoteDescription(d: RTCSessionDescriptionInit) {
    if (!/a=fingerprint/.test(d.sdp ?? "")) return Promise.reject(new Error("Called with SDP without DTLS fingerprint."));
    this.signalingState = d.type === "offer" ? "have-remote-offer" : "stable";
    return Promise.resolve();
  }
  close() {
    this.closed = true;
  }
}

const WEBRTC_SDP = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:sha-256 BB\r\na=sendonly\r\n";
const PLAIN_SDP = "v=0\r\nm=audio 4000 RTP/AVP 0\r\na=sendrecv\r\n";

function handler(pc = new FakePeerConnection(), capMs = 500) {
  const sdh = new ListenOnlySessionDescriptionHandler(() => pc as unknown as RTCPeerConnection, icePolicyFor([], capMs));
  return { sdh, pc };
}

describe("ListenOnlySessionDescriptionHandler (reverse click-to-call leg)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("offers one receive-only audio stream and never adds a track (no microphone)", async () => {
    const { sdh, pc } = handler();
    const offer = await sdh.getDescription();
    expect(pc.transceivers).toEqual([{ direction: "recvonly" }]);
    expect(pc.tracksAdded).toBe(0);
    expect(offer).toEqual({ body: pc.localDescription?.sdp, contentType: "application/sdp" });
    // Nothing for the call to play (call-media.ts plays `remoteMediaStream`).
    expect((sdh as unknown as { remoteMediaStream?: MediaStream }).remoteMediaStream).toBeUndefined();
    expect(sdh.sendDtmf()).toBe(false);
  });

  it("takes a WebRTC answer", async () => {
    const { sdh, pc } = handler();
    await sdh.getDescription();
    await sdh.setDescription(WEBRTC_SDP);
    expect(pc.signalingState).toBe("stable");
  });

  it("an answer the browser refuses does not end the leg: back to stable, later offers work", async () => {
    const { sdh, pc } = handler();
    await sdh.getDescription();
    await expect(sdh.setDescription(PLAIN_SDP)).resolves.toBeUndefined();
    expect(pc.signalingState).toBe("stable");
    await sdh.getDescription();
    expect(pc.signalingState).toBe("have-local-offer");
  });

  it("answers a re-INVITE's offer, and refuses one it cannot take (SIP.js then answers 488)", async () => {
    const { sdh, pc } = handler();
    await sdh.getDescription();
    await sdh.setDescription(WEBRTC_SDP);
    await sdh.setDescription(WEBRTC_SDP);
    const answer = await sdh.getDescription();
    expect(answer.body).toMatch(/a=inactive/);
    expect(pc.signalingState).toBe("stable");
    await expect(sdh.setDescription(PLAIN_SDP)).rejects.toThrow(/fingerprint/);
  });

  it("waits for ICE gathering, at most the policy's cap", async () => {
    vi.useFakeTimers();
    const pc = new FakePeerConnection();
    pc.iceGatheringState = "gathering";
    const { sdh } = handler(pc, 500);
    let sent = false;
    void sdh.getDescription().then(() => (sent = true));
    await vi.advanceTimersByTimeAsync(400);
    expect(sent).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(sent).toBe(true);
  });

  it("sends once gathering completes", async () => {
    const pc = new FakePeerConnection();
    pc.iceGatheringState = "gathering";
    const { sdh } = handler(pc, 60_000);
    const offer = sdh.getDescription();
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    pc.iceGatheringState = "complete";
    pc.dispatchEvent(new Event("icegatheringstatechange"));
    await expect(offer).resolves.toMatchObject({ contentType: "application/sdp" });
  });

  it("close() closes the connection", () => {
    const { sdh, pc } = handler();
    sdh.close();
    expect(pc.closed).toBe(true);
  });
});
