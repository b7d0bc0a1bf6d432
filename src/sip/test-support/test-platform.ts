import type { BodyAndContentType, SessionDescriptionHandler, SessionDescriptionHandlerOptions } from "sip.js";
import type { MediaPrep, PhonePlatform, ToneKind } from "../api/platform.js";
import { webPlatform } from "../platform/web/web-platform.js";
import type { MemoryPeer } from "./memory-peer.js";

/**
 * A session description handler with fixed SDP and no media: enough for SIP.js to run whole
 * INVITE/re-INVITE/REFER flows in unit tests. It offers `a=sendonly` when asked to hold (as
 * SIP.js's web handler does), and records what it was asked.
 */
export class FakeMediaHandler implements SessionDescriptionHandler {
  static readonly offers: string[] = [];
  private version = 0;

  close(): void {}

  getDescription(options?: SessionDescriptionHandlerOptions): Promise<BodyAndContentType> {
    const direction = (options as { hold?: boolean } | undefined)?.hold ? "sendonly" : "sendrecv";
    const body = `v=0\r\no=phone 1 ${++this.version} IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 50000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=${direction}\r\n`;
    FakeMediaHandler.offers.push(body);
    return Promise.resolve({ body, contentType: "application/sdp" });
  }

  hasDescription(contentType: string): boolean {
    return contentType === "application/sdp";
  }

  setDescription(): Promise<void> {
    return Promise.resolve();
  }

  rollbackDescription(): Promise<void> {
    return Promise.resolve();
  }

  sendDtmf(): boolean {
    return true;
  }
}

/**
 * The phone's platform for unit tests: the production transport (shared WebSocket flows) over
 * the in-memory peer's sockets, fake media, recorded tones and media preparations.
 */
export function testPlatform(
  peer: MemoryPeer,
): PhonePlatform & { tonesPlayed: ToneKind[]; ringtonesPlayed: (string | undefined)[]; mediaPrepared: MediaPrep[] } {
  const web = webPlatform({ makeSocket: peer.socketFactory() });
  const tonesPlayed: ToneKind[] = [];
  const ringtonesPlayed: (string | undefined)[] = [];
  const mediaPrepared: MediaPrep[] = [];
  return {
    transport: (trace) => web.transport(trace),
    sdhFactory: () => () => new FakeMediaHandler(),
    prepareMedia: (_session, prep) => void mediaPrepared.push(prep),
    openStandby: () => Promise.reject(new Error("no media in unit tests")),
    openMicrophone: () => Promise.resolve({ getTracks: () => [] } as unknown as MediaStream),
    playRemote: () => () => undefined,
    tones: {
      play: (kind, ringtone) => {
        tonesPlayed.push(kind);
        if (kind === "ringtone") ringtonesPlayed.push(ringtone);
        return () => undefined;
      },
    },
    createMixer: () => Promise.reject(new Error("no mixing in unit tests")),
    readStats: () => Promise.reject(new Error("no stats in unit tests")),
    tonesPlayed,
    ringtonesPlayed,
    mediaPrepared,
  };
}
