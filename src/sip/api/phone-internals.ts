import type { Session } from "sip.js";
import type { DtmfMethod } from "../../config/phone-config.js";
import type { Clock } from "../core/clock.js";
import type { Call } from "./call.js";
import type { CallDirection } from "./call-state.js";
import type { Line } from "./line.js";
import type { PhonePlatform } from "./platform.js";

export interface DialOptions {
  lineId?: string;
  /** Browser call, desk-phone call or reverse call; default: the line's `clickToCall`. */
  mode?: "browser" | "desk" | "reverse";
  /** A video call: the camera opens with the microphone (browser calls only; video-calls.ts). */
  video?: boolean;
}

export interface AnswerOptions {
  /** Answer with our camera on (else a video call is answered receive-only: their video, not ours). */
  video?: boolean;
}

/**
 * What the phone's parts (incoming policy, referrals, attended transfer, conference,
 * click-to-call) may use of the Phone that composes them. Implemented by Phone; each part is
 * unit-tested through a real Phone on the in-memory SIP peer.
 */
export interface PhoneInternals {
  readonly clock: Clock;
  readonly platform: PhonePlatform;
  line(id: string): Line | undefined;
  call(id: string): Call | undefined;
  /** A call by id, or the newest that matches; throws PhoneError "no-call". */
  findCall(id: string | undefined, match?: (c: Call) => boolean): Call;
  liveCalls(): Call[];
  /** A new Call on `line`, wired to the platform (media, clock, DTMF method). */
  newCall(
    session: Session,
    line: Line,
    direction: CallDirection,
    remote: { user: string; name?: string; uri: string },
    dtmf?: DtmfMethod,
  ): Call;
  /** Starts listing a call (and placing it after `replaces` in the list). */
  track(call: Call, options?: { replaces?: Call }): Call;
  dial(target: string, options?: DialOptions): Promise<string>;
  /** Answers a ringing call, holding the others first. */
  answer(callId?: string, options?: AnswerOptions): Promise<void>;
  hold(callId: string, on: boolean): Promise<void>;
  /** Holds every established call except those in `keep`. */
  holdOthers(keep?: ReadonlySet<string>): Promise<void>;
}
