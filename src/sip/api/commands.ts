import type { Phone } from "./phone.js";

/**
 * The phone's operations on calls and lines, named once. Everything else that offers them is
 * derived from this list or checked against it: the tab proxy (app/shared-phone.ts installs one
 * method per name, and a leading tab runs only these names for its followers), the service
 * components use (components/phone-service.ts), the test fake, and the `<sip-phone>` methods and
 * docs/embedding.md (checked by components/sip-phone.test.ts).
 *
 * Every argument and result MUST survive structured cloning: a follower tab's command and its
 * answer cross a BroadcastChannel.
 */
export const PHONE_COMMANDS = [
  "dial",
  "answer",
  "decline",
  "hangup",
  "mute",
  "sendDtmf",
  "hold",
  "swap",
  "transfer",
  "redirect",
  "startConsultation",
  "completeTransfer",
  "cancelConsultation",
  "conference",
  "splitConference",
  "leaveConference",
  "acceptReferral",
  "declineReferral",
  "callStats",
  "setDnd",
  "setForward",
  "watch",
  "unwatch",
  "pickup",
  "park",
  "retrieve",
  "sendMessage",
  "setAudio",
  "audioDevices",
  "record",
  "setVideo",
  "shareScreen",
  "acceptVideo",
  "declineVideo",
  "cameras",
] as const;

export type PhoneCommand = (typeof PHONE_COMMANDS)[number];

/** The commands as `Phone` declares them. */
export type PhoneCommands = Pick<Phone, PhoneCommand>;

/**
 * The commands as seen from another tab: the same parameters, and every result a promise (the
 * leader may be elsewhere; a synchronous refusal becomes a rejection).
 */
export type RemoteCommands = {
  [K in PhoneCommand]: (...args: Parameters<Phone[K]>) => Promise<Awaited<ReturnType<Phone[K]>>>;
};

/** `name` is one of the commands (a name from a message, say). */
export function isPhoneCommand(name: unknown): name is PhoneCommand {
  return (PHONE_COMMANDS as readonly unknown[]).includes(name);
}
