import type { Clock } from "../core/clock.js";
import type { AudioDeviceNotice } from "./audio-devices.js";
import type { CallSnapshot } from "./call-state.js";
import type { LineTiming } from "./line-options.js";
import type { LineSnapshot } from "./line-state.js";
import type { PhonePlatform } from "./platform.js";
import type { PresenceSnapshot } from "./presence-state.js";
import type { MessageSnapshot } from "./text-message.js";

/** What a Phone tells its listeners, and what it is built from (app/compose.ts, tests). */
export interface PhoneEvents {
  "line-state": LineSnapshot;
  "call-state": CallSnapshot;
  "incoming-call": CallSnapshot;
  /** A watched party's lamp changed, or a watch began (presence.ts). */
  presence: PresenceSnapshot;
  /** A text message sent, received, or whose delivery status changed (text-message.ts). */
  message: MessageSnapshot;
  /** A chosen audio device went away (the default took over) or came back (audio-routing.ts). */
  "audio-device": AudioDeviceNotice;
}

export interface PhoneOptions {
  /** Sockets, media, tones: `webPlatform()` in a browser, a test platform in unit tests. */
  platform: PhonePlatform;
  clock?: Clock;
  lineTiming?: Partial<LineTiming>;
  /** Open the microphone while an incoming call rings, so answering starts audio at once. */
  preopenMicrophoneOnRing?: boolean;
  /**
   * Prepare a ringing call's answer (offer applied, answer set, ICE and DTLS started, no track
   * on the sender), so answering only sends the 200. Default true; it needs the microphone
   * opened while ringing (above) to be of use.
   */
  prepareAnswerOnRing?: boolean;
  /** Resolves true when the device has no network at all (see LineDeps.probeOffline). */
  probeOffline?: () => Promise<boolean>;
}
