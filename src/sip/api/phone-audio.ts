import type { SessionDescriptionHandler } from "sip.js/lib/platform/web/index.js";
import type { Emitter } from "../core/emitter.js";
import type { AudioDeviceNotice } from "./audio-devices.js";
import { AudioRouting } from "./audio-routing.js";
import { CallState } from "./call-state.js";
import type { Conference } from "./conference.js";
import type { OutgoingCalls } from "./outgoing-calls.js";
import type { PhoneInternals } from "./phone-internals.js";
import type { PhoneEvents } from "./phone-options.js";

type LocalMedia = Pick<SessionDescriptionHandler, "localMediaStream">;

/** What moving a call's microphone touches (Call has it). */
export interface MicrophoneHolder {
  /** Its handler keeps our microphone in `localMediaStream` (mute and the hang-up act on what is there). */
  readonly session: { readonly sessionDescriptionHandler?: unknown };
  readonly audioSender: RTCRtpSender | undefined;
  readonly snapshot: { muted: boolean };
  /** The microphone moved from `old` to `next`: a held call resumes with the new one. */
  microphoneMoved(old: MediaStreamTrack, next: MediaStreamTrack): void;
}

/**
 * Puts `next` in place of a call's microphone (another device, other voice processing): on the
 * sender where it carries the microphone, by RTCRtpSender.replaceTrack, which needs no
 * renegotiation and so no re-INVITE (https://w3c.github.io/webrtc-pc/#dom-rtcrtpsender-replacetrack);
 * while held (the sender carries nothing) or mixed (it carries the conference) the sender is
 * left alone and whoever keeps the old track takes the new one. It is muted as the call is; the
 * old track is stopped.
 */
export async function moveMicrophone(call: MicrophoneHolder, next: MediaStreamTrack): Promise<void> {
  const stream = (call.session.sessionDescriptionHandler as LocalMedia | undefined)?.localMediaStream;
  const old = stream?.getAudioTracks()[0];
  next.enabled = !call.snapshot.muted;
  const sender = call.audioSender;
  if (old && sender?.track === old) await sender.replaceTrack(next);
  if (old) {
    stream?.removeTrack(old);
    old.stop();
    call.microphoneMoved(old, next);
  }
  stream?.addTrack(next);
}

/** The phone's parts the routing works with besides its calls and platform (phone.ts passes its own). */
export interface PhoneAudioParts {
  /** The conference, once one was asked for: it mixes each member's microphone. */
  conference(): Pick<Conference, "microphoneReplaced"> | undefined;
  outgoing: Pick<OutgoingCalls, "reopenStandby">;
  announce(notice: AudioDeviceNotice): void;
}

/**
 * The audio routing of a phone (loaded with the first call or the first audio setting): it
 * follows the phone's calls from then on (each checked once it is up, the ones up now included).
 */
export async function phoneAudio(
  phone: Pick<PhoneInternals, "platform" | "liveCalls" | "call"> & Pick<Emitter<PhoneEvents>, "on">,
  parts: PhoneAudioParts,
): Promise<AudioRouting> {
  const { platform } = phone;
  const routing = new AudioRouting({
    audio: await platform.loadAudio?.(),
    openMicrophone: () => platform.openMicrophone(),
    calls: () => phone.liveCalls(),
    async replaceMicrophone(id, track) {
      const call = phone.call(id);
      if (!call) return track.stop();
      if (call.inConference) await parts.conference()?.microphoneReplaced(id, track);
      await moveMicrophone(call, track);
    },
    microphoneChanged: () => parts.outgoing.reopenStandby(),
    announce: (notice) => parts.announce(notice),
  });
  phone.on("call-state", (s) => s.state === CallState.Established && routing.callUp(s.id));
  for (const call of phone.liveCalls()) if (call.state === CallState.Established) routing.callUp(call.id);
  return routing;
}
