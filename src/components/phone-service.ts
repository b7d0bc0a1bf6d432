import type { SharedPhone } from "../app/shared-phone.js";

/**
 * What components may use of the phone. Components get it through `phoneContext`; tests
 * provide a fake with the same shape.
 */
export type PhoneService = Pick<
  SharedPhone,
  | "lines"
  | "calls"
  | "on"
  | "dial"
  | "answer"
  | "decline"
  | "hangup"
  | "mute"
  | "sendDtmf"
  | "offHook"
  | "onHook"
  | "callStats"
  | "trace"
  | "hold"
  | "swap"
  | "transfer"
  | "redirect"
  | "startConsultation"
  | "completeTransfer"
  | "cancelConsultation"
  | "conference"
  | "splitConference"
  | "leaveConference"
  | "acceptReferral"
  | "declineReferral"
>;
