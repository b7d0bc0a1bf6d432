import type { Session, SessionDescriptionHandlerFactory } from "sip.js";
import type { AccountConfig } from "../../../config/phone-config.js";
import type { MediaPrep, PhonePlatform, TonePlayer, TraceSink, TransportConstructor } from "../../api/platform.js";
import { readCallStats } from "./call-stats.js";
import { icePolicyFor } from "./ice-policy.js";
import { IceWatch, type IceWatchTiming } from "./ice-watch.js";
import { ListenOnlySessionDescriptionHandler } from "./listen-only-sdh.js";
import { once } from "../../core/load-once.js";
import { setUpSessionDescriptionHandler } from "../../core/sipjs-internals.js";
import type { AudioPorts } from "./browser-audio.js";
import { browserMediaPlatform, CALL_AUDIO, rtcConfiguration, type MediaPlatform } from "./media-platform.js";
import { PhoneSessionDescriptionHandler } from "./phone-sdh.js";
import { SignallingOnlySessionDescriptionHandler } from "./signalling-only-sdh.js";
import { silentTones } from "./tones.js";
import { MicrophoneCheck } from "./microphone-check.js";
import { browserConnection, onNetworkChange, type NetworkInformationLike } from "./network-change.js";
import { WarmLeg } from "./warm-leg.js";
import { FlowRegistry, type WebSocketFactory } from "./websocket-flow.js";

export interface WebPlatformOptions {
  /** Opens the WebSockets (tests: an in-memory socket). */
  makeSocket?: WebSocketFactory;
  /** Microphone, peer connections, playback (tests: fakes). */
  media?: MediaPlatform;
  tones?: TonePlayer;
  /** Upper bound of the ICE gathering wait before an offer/answer is sent, in ms. */
  iceCapMs?: number;
  /** When a lost media path is renewed by an ICE restart (see ice-watch.ts). */
  iceWatchTiming?: IceWatchTiming;
  /** `navigator.connection` (tests: a fake; absent in most browsers). */
  network?: NetworkInformationLike;
}

/**
 * The phone's platform in a browser: one WebSocket per server shared by its lines, WebRTC
 * through SIP.js's web session description handler (with our ICE policy and standby legs), or
 * the click-to-call legs' own handlers (no microphone),
 * Web Audio tones and conference mixing.
 */
export function webPlatform(options: WebPlatformOptions = {}): PhonePlatform {
  const media = options.media ?? browserMediaPlatform;
  const flows = new FlowRegistry(options.makeSocket);
  const prepared = new WeakMap<Session, MediaPrep>();
  // What the audio settings (browser-audio.ts, loaded on first use) replace: how microphones open, where calls play.
  const audio: AudioPorts = { openMicrophone: () => media.getUserMedia(CALL_AUDIO), playing: new Set() };
  // Made with the first standby leg or call: unit tests that use only the transport never touch media.
  let check: MicrophoneCheck | undefined;
  const microphoneCheck = (): MicrophoneCheck =>
    (check ??= new MicrophoneCheck(
      () => media.microphoneAccess?.() ?? Promise.resolve({ permission: undefined, inputs: 0 }),
      (changed) => media.onMicrophoneChange?.(changed),
    ));
  /** Opens the microphone with the settings in force; what became of it tells the check. */
  const openMicrophone = (): Promise<MediaStream> => {
    const opened = audio.openMicrophone();
    opened.then(
      () => microphoneCheck().noted(true),
      () => microphoneCheck().noted(false),
    );
    return opened;
  };
  return {
    transport(trace: TraceSink): TransportConstructor {
      flows.onMessage = trace;
      return flows.transportClass();
    },
    sdhFactory(account: AccountConfig): SessionDescriptionHandlerFactory {
      const rtc = rtcConfiguration(account);
      const policy = icePolicyFor(rtc.iceServers, options.iceCapMs, rtc.iceTransportPolicy);
      return (session) => {
        const prep = prepared.get(session) ?? {};
        prepared.delete(session);
        // Click-to-call legs never open the microphone (platform.ts ClickToCallMedia).
        if (prep.clickToCall === "signalling-only") return new SignallingOnlySessionDescriptionHandler();
        if (prep.clickToCall === "listen-only")
          return new ListenOnlySessionDescriptionHandler(() => media.createPeerConnection(rtc), policy);
        // The microphone opened while the call rang, or while the user typed its number.
        const ringing = prep.microphone;
        // Not SIP.js's constraints: every microphone is opened with the audio settings in force.
        const microphone = ringing ? () => ringing : openMicrophone;
        // Its video constraint only: a call dialled or answered with video opens the camera too
        // (video-media.ts, loaded then); every other call stays exactly audio-only.
        const mediaStreamFactory = (constraints: MediaStreamConstraints) =>
          constraints.video ? import("./video-media.js").then((v) => v.withCamera(microphone(), media, constraints.video)) : microphone();
        const logger = session.userAgent.getLogger("sip.SessionDescriptionHandler");
        return new PhoneSessionDescriptionHandler(
          logger,
          mediaStreamFactory,
          { iceGatheringTimeout: policy.capMs, peerConnectionConfiguration: rtc },
          policy,
          warmLegFor(prep.standby, rtc, account.codecs),
          account.codecs,
          () => microphoneCheck().likely,
        );
      };
    },
    prepareMedia(session, prep) {
      prepared.set(session, prep);
      // The answer is prepared on the call's own handler, made now instead of at accept().
      if (prep.answerTo !== undefined && audioOnly(prep.answerTo)) {
        const handler = setUpSessionDescriptionHandler(session);
        if (handler instanceof PhoneSessionDescriptionHandler) handler.prepareAnswer(prep.answerTo);
      }
    },
    openStandby(account) {
      // Known before the first call, which may then send its INVITE before the microphone opens.
      microphoneCheck();
      const rtc = rtcConfiguration(account);
      return WarmLeg.open(media, rtc, account.codecs, icePolicyFor(rtc.iceServers, options.iceCapMs, rtc.iceTransportPolicy));
    },
    openMicrophone,
    playRemote: (stream) => media.playRemote(stream, audio),
    tones: options.tones ?? silentTones,
    loadAudio: once(async () => new (await import("./browser-audio.js")).BrowserAudio(media, audio, options.tones)),
    createMixer: async () => new (await import("./conference-mixer.js")).ConferenceMixer(),
    loadRecorder: once(async () => (await import("./mix-recorder.js")).startMixRecorder),
    loadVideo: once(async () => new (await import("./video-media.js")).BrowserVideo(media)),
    readStats: readCallStats,
    onNetworkChange: (changed) => onNetworkChange(options.network ?? browserConnection(), changed),
    watchConnection(pc, restart, { first = true } = {}) {
      const watch = new IceWatch(pc, restart, { timing: options.iceWatchTiming, first });
      const unsubscribe = onNetworkChange(options.network ?? browserConnection(), () => watch.networkChanged());
      return () => {
        unsubscribe();
        watch.stop();
      };
    },
  };
}

/** An offer with audio and nothing else in use (a video or data stream is answered as before). */
function audioOnly(sdp: string): boolean {
  const media = [...sdp.matchAll(/^m=(\w+) (\d+)/gm)].filter((m) => m[2] !== "0");
  return media.length > 0 && media.every((m) => m[1] === "audio");
}

/** The standby leg a call may take: one made under the line's current configuration. */
function warmLegFor(standby: MediaPrep["standby"], rtc: RTCConfiguration, codecs: readonly string[] | undefined): WarmLeg | undefined {
  if (!(standby instanceof WarmLeg)) return undefined;
  if (standby.suits(rtc, codecs)) return standby;
  standby.release();
  return undefined;
}
