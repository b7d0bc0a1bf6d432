/**
 * Every private SIP.js 0.21 hook this phone relies on, in one audited place, each with why.
 * SIP.js is unmaintained upstream (its last release is 0.21.2), so these do not move under us;
 * if the dependency is ever upgraded, this file is the list to check. Anything else in src/sip
 * uses SIP.js's public API only (plus the in-tree patches in patches/, which say why).
 */
import type { Invitation, Notification, Registerer, Session, UserAgent } from "sip.js";
import type { IncomingResponse, OutgoingRequestDelegate } from "sip.js/lib/core/index.js";

/**
 * The Registerer's "REGISTER in flight" flag and its change emitter. SIP.js rejects a
 * register() made while one is in flight (SIP.js #1071); the line waits for the flag to drop
 * instead. Public API in later upstream code.
 */
export function registerInFlight(r: Registerer): {
  readonly waiting: boolean;
  readonly waitingChange: { addListener(l: (waiting: boolean) => void): void };
} {
  return r as unknown as ReturnType<typeof registerInFlight>;
}

/**
 * Points a UserAgent's transport at another server URL: SIP.js's WebSocket transport and ours
 * (SharedTransport) read `configuration.server` on every connect(). Used for server failover.
 */
export function pointTransportAt(ua: UserAgent, server: string): void {
  const transport = ua.transport as unknown as { configuration?: { server: string } };
  if (transport.configuration) transport.configuration.server = server;
}

/** Closes the transport's socket for every line that shares it (keep-alive found it dead). */
export function abortTransport(ua: UserAgent, reason: string): void {
  const transport = ua.transport as unknown as { abort?(reason: string): void };
  if (transport.abort) transport.abort(reason);
  else void ua.transport.disconnect().catch(() => undefined);
}

/**
 * Sends a REFER whose Refer-To we write ourselves. SIP.js's public refer() builds the Refer-To
 * of an attended transfer from the target's Contact, and a WebRTC contact (`*.invalid`) is only
 * reachable through the proxy that holds its flow; we send the target's address of record with
 * `?Replaces=` instead (see call-transfer.ts). `_refer` and `referExtraHeaders` are private.
 */
export function referWithRawReferTo(
  session: Session,
  referTo: string,
  onNotify: (n: Notification) => void,
  delegate: OutgoingRequestDelegate,
): Promise<unknown> {
  const s = session as unknown as {
    referExtraHeaders(referTo: string): string[];
    _refer(onNotify: (n: Notification) => void, delegate: object, options: object): Promise<unknown>;
  };
  return s._refer(onNotify, delegate, { extraHeaders: s.referExtraHeaders(referTo) });
}

/**
 * Sends an in-dialog NOTIFY (the progress of a transfer we follow, RFC 3515) on the REFER's
 * implicit subscription. SIP.js's Referral has no API for it; the session's dialog does.
 */
export function notifyInDialog(session: Session, extraHeaders: string[], body: { contentType: string; content: string }): void {
  const dialog = (session as unknown as { dialog?: { notify(d: undefined, o: object): unknown } }).dialog;
  dialog?.notify(undefined, { extraHeaders, body: { contentDisposition: "render", ...body } });
}

/** The final response of a request delegate, read the same way everywhere. */
export function statusOf(response: IncomingResponse): number {
  return response.message.statusCode ?? 0;
}

/**
 * SIP.js's web session description handler creates its own RTCPeerConnection in its
 * constructor; to hand it a prepared one (standby leg) we must re-run its private
 * `initPeerConnectionEventHandlers` on the swapped connection.
 */
export function rebindPeerConnectionHandlers(handler: object): void {
  (handler as { initPeerConnectionEventHandlers(): void }).initPeerConnectionEventHandlers();
}

/**
 * What a REGISTER's delegate may also get from our patch of SIP.js (patches/, item 3): the 2xx
 * SIP.js dropped because none of its bindings is ours.
 */
export type RegisterDelegate = OutgoingRequestDelegate & { onDropped?(response: IncomingResponse): void };

/** The expiry the Registerer asks for now: ours, or a registrar's Min-Expires after a 423 (patches/, item 4). */
export function registererExpires(r: Registerer): number {
  return (r as unknown as { expires: number }).expires;
}

/**
 * Stops the timer with which SIP.js's Invitation ends every unanswered INVITE with 480 after
 * `UserAgentOptions.noAnswerTimeout` (60 s, one value per UserAgent): the phone ends ringing
 * calls itself after the line's `ringTimeout` (10-600 s), on its own clock, with the call's end
 * reason set ("missed"). `userNoAnswerTimer` is private; dispose() clears it again, harmlessly.
 */
export function stopNoAnswerTimer(invitation: Invitation): void {
  const timer = (invitation as unknown as { userNoAnswerTimer?: ReturnType<typeof setTimeout> }).userNoAnswerTimer;
  if (timer !== undefined) clearTimeout(timer);
}

/**
 * Detaches an Inviter made by Referral.makeInviter from the session that was referred. SIP.js
 * links them (`_referred`) and then NOTIFYs the referrer of every response to the new INVITE
 * itself, always with `Subscription-State: terminated`, on top of the NOTIFYs referrals.ts sends
 * (100 and 180 active, the final one terminated): the referrer got six NOTIFYs for one REFER,
 * progress marked as the end, and more after the end (JsSIP answers the last 400, our own phone
 * 481). Found by e2e/jssip.test.mjs. referrals.ts is the one that reports the progress.
 */
export function detachFromReferrer(inviter: Session): void {
  (inviter as unknown as { _referred?: Session })._referred = undefined;
}

/**
 * Creates a session's description handler now rather than when SIP.js first needs it (accept):
 * a ringing call's answer is prepared on it while it rings (prepared-answer in phone-sdh.ts).
 * SIP.js then finds it (`setupSessionDescriptionHandler` returns the existing one) and closes it
 * with the session. The method is marked @internal.
 */
export function setUpSessionDescriptionHandler(session: Session): unknown {
  return (session as unknown as { setupSessionDescriptionHandler(): unknown }).setupSessionDescriptionHandler();
}

/**
 * Tells SIP.js's web handler which constraints its local stream was opened with, for a stream we
 * put on the sender ourselves (a standby leg's or a prepared answer's microphone, by
 * replaceTrack): SIP.js opens a new stream for every later offer whose constraints differ from
 * these (`localMediaStreamConstraints` is private), and would otherwise open a second microphone
 * at the first hold.
 */
export function setLocalStreamConstraints(handler: object, constraints: MediaStreamConstraints): void {
  (handler as { localMediaStreamConstraints?: MediaStreamConstraints }).localMediaStreamConstraints = constraints;
}
