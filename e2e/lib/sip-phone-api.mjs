// The <sip-phone> element's public API as the e2e tests drive it: types only, for checking the
// tests (tsconfig.e2e.json). They follow src/components/sip-phone.ts, src/sip/api/call-state.ts,
// src/sip/api/line-state.ts and src/config/phone-config.ts by hand: the e2e program does not
// compile src/ (other compiler settings), and it must type-check before anything is built.
// Only what the tests use is here.

/** @typedef {"dialing" | "ringing" | "incoming" | "established" | "terminating" | "ended"} CallState */
/** @typedef {"disabled" | "connecting" | "registering" | "registered" | "unregistering" | "failed" | "connected"} LineState */

/**
 * What a test sees of a call (`el.calls`, `call-state` and `incoming-call` events).
 * @typedef {object} CallSnapshot
 * @property {string} id
 * @property {string} lineId
 * @property {"in" | "out"} direction
 * @property {string} remote
 * @property {string} [remoteName]
 * @property {CallState} state
 * @property {boolean} muted
 * @property {boolean} held
 * @property {boolean} heldByRemote
 * @property {boolean} [earlyMedia]
 * @property {{ target: string, state: "trying" | "ringing" | "answered" | "failed", code?: number }} [transfer]
 * @property {string} [consultFor]
 * @property {string} [replaces]
 * @property {boolean} [conference]
 * @property {{ target: string }} [referral]
 * @property {{ mode: "desk" | "reverse", target: string, deskPhone: string }} [clickToCall]
 * @property {Record<string, string>} [headers]
 * @property {"off" | "starting" | "on" | "paused" | "failed"} [recording]
 * @property {string} [recordingFailure]
 * @property {{ local: boolean, remote: boolean, screen: boolean, requested: boolean }} [video]
 * @property {number} [sipCode]
 * @property {string} [reason]
 * @property {{ kind: string, [key: string]: unknown }} [failure]
 * @property {string} [message]
 */

/**
 * @typedef {object} LineSnapshot
 * @property {string} id
 * @property {string} label
 * @property {string} aor
 * @property {LineState} state
 * @property {{ kind: string, code?: number, message: string, retryAt?: number }} [error]
 * @property {string} server
 * @property {{ waiting: boolean, new: number, old: number }} [voicemail]
 * @property {string} [voicemailNumber]
 */

/**
 * A text message (`message` events).
 * @typedef {object} MessageSnapshot
 * @property {string} id
 * @property {string} lineId
 * @property {"in" | "out"} direction
 * @property {string} remote
 * @property {string} [remoteName]
 * @property {string} text
 * @property {number} at
 * @property {"queued" | "sending" | "sent" | "delivered" | "failed" | "received"} status
 * @property {number} [sipCode]
 * @property {string} [reason]
 */

/**
 * @typedef {object} CallStats
 * @property {number} packetsReceived
 * @property {number} packetsSent
 * @property {number} audioLevel
 * @property {number} totalAudioEnergy
 * @property {number} [packetsLost]
 * @property {number} [jitterMs]
 * @property {number} [roundTripMs]
 * @property {number} [rttMs]
 * @property {string} [codec]
 * @property {number} [lossPercent]
 * @property {number} [mos]
 * @property {"good" | "fair" | "poor"} [quality]
 */

/**
 * How a call sounded, kept in its history entry (`quality`, src/storage/history-store.ts).
 * @typedef {object} CallQualitySummary
 * @property {number} mosAvg
 * @property {number} mosWorst
 * @property {number} lossWorstPercent
 * @property {number} jitterAvgMs
 * @property {number} [rttAvgMs]
 * @property {string} [codec]
 * @property {number} samples
 */

/**
 * One account. `version` and the fields are loose where tests feed configurations the phone
 * must refuse.
 * @typedef {object} AccountConfig
 * @property {string} id
 * @property {string} [label]
 * @property {string} sipUri
 * @property {string} password
 * @property {string} [displayName]
 * @property {string[]} servers
 * @property {"rfc4733" | "info"} [dtmf]
 * @property {{ urls: string | string[], username?: string, credential?: string }[]} [iceServers]
 * @property {"all" | "relay"} [iceTransportPolicy]
 * @property {string[]} [codecs]
 * @property {string} [ringtone]
 * @property {Record<string, string>} [alertTones]
 * @property {boolean} [autoAnswer]
 * @property {boolean} [autoRecord]
 * @property {string} [deskPhone]
 * @property {"browser" | "desk" | "reverse"} [clickToCall]
 * @property {"call-info" | "alert-info" | "ring-answer" | "none"} [deskPhoneAnswer]
 * @property {number} [deskPhoneTimeout]
 * @property {Record<string, unknown>} [location]
 * @property {{ incoming?: { search: string, replace: string }[], outgoing?: { search: string, replace: string }[] }} [numberRules]
 * @property {{ extensionLength?: number, pattern?: string }} [internalCallers]
 * @property {"always" | "ask" | "never"} [referPolicy]
 * @property {number} [rtpTimeout]
 * @property {string} [voicemailNumber]
 * @property {string} [parkExtension]
 * @property {string} [pickupPrefix]
 * @property {string} [groupPickupCode]
 */

/** @typedef {{ version: number, accounts: AccountConfig[] }} PhoneConfig */

/**
 * A watched party (busy lamp): `presence` events and `el.watched`.
 * @typedef {object} PresenceSnapshot
 * @property {string} target
 * @property {string} lineId
 * @property {"idle" | "ringing" | "busy" | "offline" | "unknown"} state
 * @property {"dialog" | "presence"} [event]
 * @property {number} [code]
 * @property {string} [reason]
 * @property {string} [remote]
 */

/**
 * The element, as a host page (and a test) uses it.
 * @typedef {HTMLElement & {
 *   readonly lines: LineSnapshot[],
 *   readonly calls: CallSnapshot[],
 *   readonly holdsConnection: boolean,
 *   readonly language: string,
 *   configure(config: PhoneConfig): Promise<void>,
 *   dial(target: string, options?: { lineId?: string, mode?: "browser" | "desk" | "reverse", video?: boolean }): Promise<string>,
 *   answer(callId?: string, options?: { video?: boolean }): Promise<void>,
 *   decline(callId?: string, code?: 486 | 603): Promise<void>,
 *   hangup(callId?: string): Promise<void>,
 *   mute(callId: string, on: boolean): void,
 *   sendDtmf(callId: string, digits: string): Promise<void>,
 *   hold(callId: string): Promise<void>,
 *   unhold(callId: string): Promise<void>,
 *   swap(callId: string): Promise<void>,
 *   conference(callIds: string[]): Promise<void>,
 *   transfer(callId: string, target: string): Promise<void>,
 *   startConsultation(callId: string, target: string): Promise<string>,
 *   completeTransfer(consultCallId: string): Promise<void>,
 *   redirect(callId: string, target: string): Promise<void>,
 *   setDnd(on: boolean, options?: { lineId?: string, code?: 486 | 603 }): Promise<void>,
 *   setForward(lineId: string, target?: string, options?: { mode?: "always" | "busy" | "no-answer" | "internal" | "external", after?: number }): Promise<void>,
 *   callStats(callId: string): Promise<CallStats | undefined>,
 *   readonly watched: PresenceSnapshot[],
 *   watch(target: string, options?: { lineId?: string }): Promise<void>,
 *   unwatch(target: string): Promise<void>,
 *   pickup(target?: string, options?: { lineId?: string }): Promise<string>,
 *   park(callId: string): Promise<void>,
 *   retrieve(slot: string, options?: { lineId?: string }): Promise<string>,
 *   showView(view: "phone" | "history" | "messages" | "contacts" | "lines" | "settings"): void,
 *   sendMessage(target: string, text: string, options?: { lineId?: string }): Promise<string>,
 *   setAudio(settings: AudioSettings): Promise<void>,
 *   audioDevices(): Promise<AudioDeviceList>,
 *   record(callId: string, on?: boolean): Promise<"off" | "starting" | "on" | "paused" | "failed">,
 *   setVideo(callId: string, on: boolean): Promise<void>,
 *   shareScreen(callId: string, on: boolean): Promise<void>,
 *   acceptVideo(callId: string): Promise<void>,
 *   declineVideo(callId: string): Promise<void>,
 *   cameras(): Promise<{ id: string, label: string }[]>,
 * }} SipPhone
 */

/**
 * Audio devices, voice processing and volumes (`setAudio()`, src/config/audio-settings.ts).
 * @typedef {object} AudioSettings
 * @property {string} [microphone]
 * @property {string} [speaker]
 * @property {string} [ringer]
 * @property {boolean} [echoCancellation]
 * @property {boolean} [noiseSuppression]
 * @property {boolean} [autoGainControl]
 * @property {number} [ringVolume]
 * @property {number} [callVolume]
 * @property {string} [camera]
 */

/**
 * `audioDevices()` (src/sip/api/audio-devices.ts).
 * @typedef {object} AudioDeviceList
 * @property {{ kind: "audioinput" | "audiooutput", id: string, label: string }[]} devices
 * @property {{ speaker: boolean, ringer: boolean }} outputs
 * @property {AudioSettings} settings
 * @property {("microphone" | "speaker" | "ringer")[]} unavailable
 */

/**
 * The `audio-device` event's detail.
 * @typedef {{ role: "microphone" | "speaker" | "ringer", deviceId: string, label?: string, state: "unavailable" | "back", message: string }} AudioDeviceNotice
 */

export {};
