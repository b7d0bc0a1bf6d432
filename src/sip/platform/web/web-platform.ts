import type { Session, SessionDescriptionHandlerFactory } from "sip.js";
import { defaultMediaStreamFactory } from "sip.js/lib/platform/web/index.js";
import type { AccountConfig } from "../../../config/phone-config.js";
import type { MediaPrep, PhonePlatform, TonePlayer, TraceSink, TransportConstructor } from "../../api/platform.js";
import { readCallStats } from "./call-stats.js";
import { icePolicyFor } from "./ice-policy.js";
import { browserMediaPlatform, CALL_AUDIO, rtcConfiguration, type MediaPlatform } from "./media-platform.js";
import { PhoneSessionDescriptionHandler } from "./phone-sdh.js";
import { SignallingOnlySessionDescriptionHandler } from "./signalling-only-sdh.js";
import { silentTones } from "./tones.js";
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
}

/**
 * The phone's platform in a browser: one WebSocket per server shared by its lines, WebRTC
 * through SIP.js's web session description handler (with our ICE policy and standby legs),
 * Web Audio tones and conference mixing.
 */
export function webPlatform(options: WebPlatformOptions = {}): PhonePlatform {
  const media = options.media ?? browserMediaPlatform;
  const flows = new FlowRegistry(options.makeSocket);
  const prepared = new WeakMap<Session, MediaPrep>();
  const plainFactory = defaultMediaStreamFactory();
  return {
    transport(trace: TraceSink): TransportConstructor {
      flows.onMessage = trace;
      return flows.transportClass();
    },
    sdhFactory(account: AccountConfig): SessionDescriptionHandlerFactory {
      const iceServers = (account.iceServers ?? []) as RTCIceServer[];
      const policy = icePolicyFor(iceServers, options.iceCapMs);
      return (session) => {
        const prep = prepared.get(session) ?? {};
        prepared.delete(session);
        if (prep.signallingOnly) return new SignallingOnlySessionDescriptionHandler();
        const ringing = prep.microphone;
        const mediaStreamFactory = ringing
          ? () => ringing
          : media === browserMediaPlatform
            ? plainFactory
            : (constraints: MediaStreamConstraints) => media.getUserMedia(constraints);
        const logger = session.userAgent.getLogger("sip.SessionDescriptionHandler");
        return new PhoneSessionDescriptionHandler(
          logger,
          mediaStreamFactory,
          { iceGatheringTimeout: policy.capMs, peerConnectionConfiguration: rtcConfiguration(iceServers) },
          policy,
          prep.standby instanceof WarmLeg ? prep.standby : undefined,
        );
      };
    },
    prepareMedia(session, prep) {
      prepared.set(session, prep);
    },
    openStandby(account) {
      return WarmLeg.open(media, rtcConfiguration(account.iceServers as RTCIceServer[] | undefined));
    },
    openMicrophone: () => media.getUserMedia(CALL_AUDIO),
    playRemote: (stream) => media.playRemote(stream),
    tones: options.tones ?? silentTones,
    createMixer: async () => new (await import("./conference-mixer.js")).ConferenceMixer(),
    readStats: readCallStats,
  };
}
