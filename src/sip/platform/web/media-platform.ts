import type { AccountConfig } from "../../../config/phone-config.js";
import { CALL_AUDIO } from "../../api/platform.js";
import type { MicrophoneAccess } from "./microphone-check.js";

export { CALL_AUDIO };

/**
 * The browser media pieces the SIP layer uses, behind one swappable object so that logic can be
 * tested without a browser and the e2e tests exercise the real ones.
 */
export interface MediaPlatform {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  createPeerConnection(config: RTCConfiguration): RTCPeerConnection;
  /** Plays a remote stream (as one of `output`'s); returns a function that stops playing and frees the element. */
  playRemote(stream: MediaStream, output?: CallOutput): () => void;
  /** The microphone's permission and devices, without opening it (microphone-check.ts). Optional: unknown, so never assumed. */
  microphoneAccess?(): Promise<MicrophoneAccess>;
  /** Calls `changed` when devices or the microphone permission change; optional as above. */
  onMicrophoneChange?(changed: () => void): void;
}

/**
 * The elements playing calls, and what puts a new one on the chosen output at the chosen volume
 * (browser-audio.ts, once the audio settings are loaded; it re-routes those playing then too).
 */
export interface CallOutput {
  readonly playing: Set<HTMLMediaElement>;
  started?(audio: HTMLMediaElement): void;
}

let microphonePermission: Promise<PermissionStatus | undefined> | undefined;

/**
 * The microphone's PermissionStatus, asked for once: its `state` is live. Chrome keeps every
 * PermissionStatus it returns alive until the page goes ("pending activity": it may fire
 * `change`), so a query per call grew the heap by one per call
 * (e2e/bench/heap-per-call-probe.mjs).
 */
function microphoneStatus(): Promise<PermissionStatus | undefined> {
  // Async: a browser that throws for an unknown permission name rejects instead.
  const query = async () => navigator.permissions?.query({ name: "microphone" as PermissionName });
  return (microphonePermission ??= query().catch(() => undefined));
}

export const browserMediaPlatform: MediaPlatform = {
  getUserMedia: (c) => navigator.mediaDevices.getUserMedia(c),
  async microphoneAccess() {
    const permission = (await microphoneStatus())?.state;
    const inputs = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === "audioinput").length;
    return { permission, inputs };
  },
  onMicrophoneChange(changed) {
    navigator.mediaDevices?.addEventListener("devicechange", changed);
    void microphoneStatus().then((status) => status?.addEventListener("change", changed));
  },
  createPeerConnection: (config) => new RTCPeerConnection(config),
  playRemote(stream, output) {
    // A detached <audio> element: Chrome only decodes (and reports audioLevel for) a remote
    // WebRTC track that is actually played.
    const audio = new Audio();
    audio.autoplay = true;
    output?.playing.add(audio);
    output?.started?.(audio);
    const attach = () => {
      // Tracks can arrive after playback started (early media, answer applied later): Chrome
      // does not always pick up a track added to a stream already playing, so attach again.
      audio.srcObject = stream;
      void audio.play().catch(() => undefined);
    };
    attach();
    stream.addEventListener("addtrack", attach);
    return () => {
      stream.removeEventListener("addtrack", attach);
      output?.playing.delete(audio);
      audio.pause();
      audio.srcObject = null;
    };
  },
};

/**
 * The RTCConfiguration for an account: its own ICE servers and nothing else (no public STUN).
 * bundlePolicy "balanced": SIP peers and media gateways (rtpengine, Asterisk, desk phones)
 * often answer without a=group:BUNDLE, which Chrome rejects under "max-bundle" ("Answer cannot
 * remove m= section ... from already-established BUNDLE group"). With one audio m-line, nothing
 * is lost. `iceTransportPolicy` "relay" (the account's key): networks that let media out only
 * through their TURN server. Every peer connection of a line MUST be made from this (calls,
 * the off-hook leg), or a relay-only line would leak host candidates.
 */
export function rtcConfiguration(account: Pick<AccountConfig, "iceServers" | "iceTransportPolicy">): RTCConfiguration {
  return {
    iceServers: (account.iceServers ?? []) as RTCIceServer[],
    iceTransportPolicy: account.iceTransportPolicy ?? "all",
    bundlePolicy: "balanced",
    rtcpMuxPolicy: "require",
  };
}
