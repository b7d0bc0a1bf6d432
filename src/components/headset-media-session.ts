import type { CallSnapshot } from "../sip/api/call-state.js";
import { english } from "../i18n/languages.js";
import type { Words } from "../i18n/words.js";

/**
 * Media Session actions as headset buttons (https://w3c.github.io/mediasession/): play/pause
 * answers a ringing call, hangup ends the call (or declines the one ringing alone),
 * togglemicrophone mutes. Bluetooth and USB headsets' media keys reach a page this way where the
 * browser passes them on (docs/media.md says where). Handlers are set only while there is a call,
 * and cleared after: a page without calls must not take the user's media keys.
 */
export type MediaAction = "play" | "pause" | "hangup" | "togglemicrophone";
const ACTIONS: readonly MediaAction[] = ["play", "pause", "hangup", "togglemicrophone"];

export type MediaCommand =
  | { action: "answer"; callId: string }
  | { action: "decline"; callId: string }
  | { action: "hangup"; callId: string }
  | { action: "mute"; callId: string; on: boolean };

type Call = Pick<CallSnapshot, "id" | "state" | "muted" | "remote" | "remoteName">;

/** Which action does what with these calls (pure). */
export function mediaActions(calls: readonly Call[]): Partial<Record<MediaAction, MediaCommand>> {
  const live = calls.filter((c) => c.state !== "ended");
  const up = live.find((c) => c.state === "established") ?? live.find((c) => c.state === "dialing" || c.state === "ringing");
  const ringing = live.find((c) => c.state === "incoming");
  const actions: Partial<Record<MediaAction, MediaCommand>> = {};
  if (ringing) actions.play = actions.pause = { action: "answer", callId: ringing.id };
  if (up) {
    actions.hangup = { action: "hangup", callId: up.id };
    actions.togglemicrophone = { action: "mute", callId: up.id, on: !up.muted };
  } else if (ringing) actions.hangup = { action: "decline", callId: ringing.id };
  return actions;
}

/** What of `navigator.mediaSession` is used (every member optional: browsers differ). */
export interface MediaSessionLike {
  setActionHandler(action: MediaAction, handler: (() => void) | null): void;
  playbackState?: "none" | "paused" | "playing";
  metadata?: unknown;
  setMicrophoneActive?(active: boolean): unknown;
}

/** The phone's commands the actions run. */
export interface MediaPhone {
  answer(callId: string): unknown;
  decline(callId: string, code?: 486 | 603): unknown;
  hangup(callId: string): unknown;
  mute(callId: string, on: boolean): unknown;
}

export function runCommand(phone: MediaPhone, c: MediaCommand): Promise<unknown> {
  const run = () => {
    if (c.action === "answer") return phone.answer(c.callId);
    if (c.action === "decline") return phone.decline(c.callId, 603);
    if (c.action === "mute") return phone.mute(c.callId, c.on);
    return phone.hangup(c.callId);
  };
  return Promise.resolve().then(run);
}

/** Sets (or clears) the handlers and the session's state for `calls`; `w` words the shown call (the phone's language). */
export function syncMediaSession(
  session: MediaSessionLike,
  calls: readonly Call[],
  phone: MediaPhone,
  failed: (e: Error) => void,
  w: Words = english,
): void {
  const actions = mediaActions(calls);
  for (const action of ACTIONS) {
    const command = actions[action];
    try {
      session.setActionHandler(action, command ? () => void runCommand(phone, command).catch(failed) : null);
    } catch {
      // This browser does not know the action (Firefox: hangup, togglemicrophone): the others still work.
    }
  }
  const live = calls.filter((c) => c.state !== "ended");
  session.playbackState = live.length ? "playing" : "none";
  const shown = live.find((c) => c.state === "incoming") ?? live[0];
  const Metadata = (globalThis as { MediaMetadata?: new (init: { title: string; artist: string }) => unknown }).MediaMetadata;
  if (Metadata)
    session.metadata = shown
      ? new Metadata({
          title: shown.remoteName || shown.remote,
          artist: shown.state === "incoming" ? w.t("headset.incomingCall") : w.t("headset.call"),
        })
      : null;
  const up = actions.togglemicrophone;
  // The command mutes when the microphone is live: `on` (mute next) says it is live now.
  if (up?.action === "mute") void Promise.resolve(session.setMicrophoneActive?.(up.on)).catch(() => undefined);
}
