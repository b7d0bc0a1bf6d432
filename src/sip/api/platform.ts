import type { Session, SessionDescriptionHandlerFactory, Transport } from "sip.js";
import type { AccountConfig } from "../../config/phone-config.js";
import type { AudioSettings } from "../../config/audio-settings.js";
import type { AudioDevice, AudioRole } from "./audio-devices.js";
import type { CallQuality } from "./call-quality.js";
import type { MixRecorderFactory } from "./recording-media.js";

/**
 * What the phone needs from the platform it runs on, declared here and implemented by
 * `platform/web/web-platform.ts` (browser: WebSockets, WebRTC, Web Audio) or by a test platform
 * (in-memory sockets, fake media). As in SIP.js, `api` declares and `platform` implements: the
 * api layer imports nothing from the platform.
 */
export interface PhonePlatform {
  /**
   * The SIP.js Transport class every line's UserAgent uses (the web platform shares one
   * WebSocket per server). `trace` MUST see every message in and out, by line.
   */
  transport(trace: TraceSink): TransportConstructor;
  /** SIP.js's session description handler factory for one account's UserAgent. */
  sdhFactory(account: AccountConfig): SessionDescriptionHandlerFactory;
  /** What the next handler created for `session` starts from (taken once). */
  prepareMedia(session: Session, prep: MediaPrep): void;
  /**
   * A standby leg under the account's ICE servers and codec order: connection, offer and ICE
   * ready, no microphone (standby-legs.ts decides when). Never rejects with a secret.
   */
  openStandby(account: AccountConfig): Promise<StandbyLeg>;
  /**
   * Opens the microphone (a ringing call's, so answering starts audio at once; a new one for a
   * call that moves to another device) with the audio settings in force (`audio.apply`).
   */
  openMicrophone(): Promise<MediaStream>;
  /** Plays a call's remote audio; returns the function that stops it. */
  playRemote(stream: MediaStream): () => void;
  readonly tones: TonePlayer;
  /** A mixer for the browser conference (loaded on first use: most days have no conference). */
  createMixer(): Promise<ConferenceMix>;
  /**
   * The call recorder (recording-media.ts), loaded on first use: most calls are never recorded.
   * Optional: a platform without it (unit tests) refuses recordings as `unsupported`.
   */
  loadRecorder?(): Promise<MixRecorderFactory>;
  readStats(pc: RTCPeerConnection): Promise<CallStats>;
  /**
   * Watches an established call's media path and calls `restart` when it should be renewed by
   * a re-INVITE with an ICE restart: the connection lost for a few seconds, failed, or the
   * device moved to another network. MUST be bounded (a few attempts with backoff, not a loop)
   * and MUST NOT call `restart` again while one is in flight. Returns the function that stops
   * watching. `restart` is given `stillNeeded`, false once the path is back (no retry is then
   * sent). `first`: this side placed the call, and restarts before the other side would when
   * both lose the path at once. Optional: a platform without ICE (unit tests) has nothing to watch.
   */
  watchConnection?(
    pc: RTCPeerConnection,
    restart: (stillNeeded: () => boolean) => Promise<void>,
    options?: { first?: boolean },
  ): () => void;
  /**
   * `changed` runs when the device moves to another network (the standby legs' candidates are
   * then worthless). Optional: most browsers do not tell (the `online` event still does).
   */
  onNetworkChange?(changed: () => void): () => void;
  /**
   * Audio devices and their settings, loaded on first use (most phones keep the defaults).
   * Optional: a platform without devices (unit tests) plays and listens on the defaults.
   */
  loadAudio?(): Promise<AudioPlatform>;
  /**
   * Cameras, screen capture and the video streams of calls (platform/web/video-media.ts),
   * loaded with the first video call or request. Optional: a platform without video (unit
   * tests, signalling-only) refuses video calls and answers video offers receive-only.
   */
  loadVideo?(): Promise<VideoPlatform>;
}

/** Opens cameras and screens, and puts their tracks on a call's connection (video-calls.ts decides). */
export interface VideoPlatform {
  /** The cameras (`videoinput`); names only once the user allowed the camera. */
  cameras(): Promise<{ id: string; label: string }[]>;
  /** Opens a camera (`deviceId` ideal: the default when it is gone). */
  openCamera(deviceId?: string): Promise<MediaStreamTrack>;
  /** Asks the user for a screen, window or tab (getDisplayMedia). */
  openScreen(): Promise<MediaStreamTrack>;
  /**
   * Sends `track` as the call's video: on the video stream already negotiated (replacing and
   * stopping what it sent), else on a new one (offered by the next re-INVITE). Returns what the
   * connection needs before that re-INVITE: "renegotiate" when the offer changes, "none" when
   * only the track changed (replaceTrack, no signalling).
   */
  sendVideo(pc: RTCPeerConnection, track: MediaStreamTrack): Promise<"renegotiate" | "none">;
  /** Stops every video stream of the call (port 0 in the next offer) and the tracks it sent. */
  removeVideo(pc: RTCPeerConnection): void;
  /** The video track the call sends now, if any. */
  sentVideo(pc: RTCPeerConnection): MediaStreamTrack | undefined;
}

/**
 * The browser's audio devices (audio-routing.ts decides, this carries out): listing them,
 * hearing of changes, and the settings every microphone, call and tone uses.
 */
export interface AudioPlatform {
  /** The audio inputs and outputs; ids and names only once the user allowed the microphone. */
  devices(): Promise<AudioDevice[]>;
  /** `listener` runs when a device comes or goes; returns the function that stops listening. */
  onDeviceChange(listener: () => void): () => void;
  /** Whether the call's and the ringtone's output can be chosen in this browser (see AudioDeviceList). */
  readonly outputs: { speaker: boolean; ringer: boolean };
  /**
   * Uses `settings` from now on: every microphone opened after this (`openMicrophone`, the
   * standby leg, a call's) is opened with them, falling back to the default device when the
   * chosen one cannot be opened; the call's audio and tones, playing now and later, go to the
   * chosen outputs at the chosen volumes. Resolves with the outputs that could not be used
   * (left on the default). MUST NOT open a microphone.
   */
  apply(settings: AudioSettings): Promise<AudioRole[]>;
  /**
   * Gives a live microphone track the voice processing of the settings in force, in place
   * (applyConstraints). Resolves false where the browser would need a new track for it.
   */
  adjust(track: MediaStreamTrack): Promise<boolean>;
}

/**
 * The name of the error a session description handler rejects with when a relay-only line
 * (`iceTransportPolicy: "relay"`) has no relay candidate to offer or answer with: no TURN server
 * reachable, or its credentials refused. Such a call would connect without a sound; it fails with
 * CallFailure `no-relay` instead.
 */
export const NO_RELAY_ERROR = "NoRelayError";

export type TraceSink = (lineId: string, direction: "in" | "out", text: string) => void;
export type TransportConstructor = new (logger: unknown, options: { server: string }) => Transport & { lineId?: string; viaHost?: string };

export interface MediaPrep {
  /** A standby (off-hook) leg: its connection and microphone replace new ones. */
  standby?: StandbyLeg;
  /** The microphone opened while the call rang, or while the user typed its number (off-hook). */
  microphone?: Promise<MediaStream>;
  /**
   * A ringing call's offer: its answer is prepared now (applied, answer set, ICE gathered, no
   * track on the sender, so nothing is sent before the user answers) and sent as it is on accept.
   */
  answerTo?: string;
  /** Click-to-call legs: never a microphone, never played (see click-to-call.ts). */
  clickToCall?: ClickToCallMedia;
}

/**
 * The media of a click-to-call leg, which lives only until the REFER hands the call over:
 * - `signalling-only`: a plain RTP/AVP, `a=inactive` offer and no media stack at all (the
 *   desk-phone leg: what any SIP desk phone accepts, straight or behind a bridge);
 * - `listen-only`: a real WebRTC offer (ICE, DTLS-SRTP) with one receive-only audio stream and
 *   no track to send (the reverse leg to a target of any kind: a WebRTC phone needs the DTLS
 *   fingerprint, and the proxy bridges it to a plain phone as for any browser call). What
 *   arrives MUST NOT be played.
 */
export type ClickToCallMedia = "signalling-only" | "listen-only";

/** A leg prepared before dialling: connection, offer and ICE ready; no microphone. */
export interface StandbyLeg {
  /** No call took it and the connection still holds its offer. */
  readonly usable: boolean;
  /**
   * Puts a microphone opened while the user dials on the leg's sender (nothing is sent before
   * an answer). The leg does not stop it. Optional: a platform without media has no sender.
   */
  holdMicrophone?(microphone: MediaStream): void;
  /** Frees what the leg holds, unless a call took it. */
  release(): void;
}

/**
 * What a session description handler that sent a standby leg's offer before the microphone was
 * open exposes: settles once the microphone is on the sender, rejects (with getUserMedia's
 * error) when it could not be opened; the call then ends as "no-microphone".
 */
export interface MicrophoneAfterOffer {
  readonly microphoneAttached?: Promise<void>;
}

export type ToneKind = "ringtone" | "ringback" | "callwaiting" | "autoanswer";

export interface TonePlayer {
  /**
   * Starts a tone; the returned function stops it. `ringtone` (a `ringtone`'s sound: a built-in
   * name of config/ringtones.ts or a user file `file:<id>`) MUST fall back to the default
   * ringtone when it cannot be played (unknown, missing, undecodable), never to silence.
   */
  play(kind: ToneKind, ringtone?: string): () => void;
}

export interface ConferenceMember {
  readonly id: string;
  /** The audio sender whose track is swapped for the mix. */
  readonly sender: RTCRtpSender;
  /** Our microphone in this call (mute acts on it, so mute still works in the conference). */
  readonly microphone: MediaStreamTrack;
  /** What the member sends us. */
  readonly remote: MediaStream;
}

/** Mixes the conference: each member's sender carries our microphone and the other members. */
export interface ConferenceMix {
  readonly memberIds: string[];
  has(id: string): boolean;
  add(member: ConferenceMember): Promise<void>;
  remove(id: string): Promise<void>;
  /** Our microphone in member `id`'s call moved to `track` (another device): the mix takes it. */
  replaceMicrophone(id: string, track: MediaStreamTrack): Promise<void>;
  close(): Promise<void>;
}

/** What a call's media is doing, read from RTCPeerConnection.getStats(). */
export interface CallStats {
  packetsReceived: number;
  packetsSent: number;
  packetsLost: number;
  bytesReceived: number;
  /** 0..1, the last played level of the remote audio. */
  audioLevel: number;
  /** Sum of squared levels times duration (see W3C webrtc-stats); grows while sound is heard. */
  totalAudioEnergy: number;
  jitterMs: number;
  /** The ICE candidate pair's round trip (to the first media hop: a relay or bridge), ms. Kept for compatibility. */
  roundTripMs?: number;
  /**
   * The media path's round trip, ms: from RTCP reports of the other end (end to end, through a
   * bridge that passes RTCP) where there are any, else the candidate pair's (`roundTripMs`).
   */
  rttMs?: number;
  codec?: string;
  /**
   * Packets lost in percent of those expected over the recent interval (the last 5 to about
   * 10 s; since the call started while it is younger): what `mos` judges. Undefined while
   * nothing was expected (held, no media yet).
   */
  lossPercent?: number;
  /** E-model estimate (call-quality.ts) of what we hear now, 1..4.5; undefined with `lossPercent`. */
  mos?: number;
  /** `mos` graded: good (≥ 4.0), fair (≥ 3.1), poor. */
  quality?: CallQuality;
}

/**
 * Audio constraints for calls: voice processing on, as a headset user expects. What SIP.js is
 * told (it compares each later offer's constraints to these); the web platform opens the
 * microphone itself with the audio settings in force (audio-devices.ts microphoneConstraints).
 */
export const CALL_AUDIO: MediaStreamConstraints = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  video: false,
};
