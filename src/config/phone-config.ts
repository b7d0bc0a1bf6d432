/**
 * The phone's configuration as `configure()`, the import file and storage take it.
 * Version 1. Keys are a contract with host pages: rename nothing, only add.
 */
export interface IceServerConfig {
  urls: string | string[];
  username?: string;
  credential?: string;
}

import {
  checkInternalCallers,
  checkLocation,
  checkNumberRules,
  type InternalCallers,
  type LocationConfig,
  type NumberRules,
} from "./number-config.js";
import { checkTrust, TRUST_KEYS, type TrustConfig } from "./trust-config.js";
import { checkFeatureCodes, FEATURE_KEYS, type FeatureCodesConfig } from "./feature-codes.js";
import { checkCodecs, type CodecsConfig } from "./codecs.js";
import { checkScreenPop, type ScreenPopConfig } from "./screen-pop.js";
import { checkRingtones, type RingtonesConfig } from "./ringtones.js";
import { ConfigError, type ConfigProblem } from "./config-error.js";

export type { InternalCallers, LocationConfig, NumberRule, NumberRules } from "./number-config.js";
export type { TrustConfig } from "./trust-config.js";
export type { FeatureCodesConfig } from "./feature-codes.js";
export type { CodecsConfig } from "./codecs.js";
export type { ScreenPop, ScreenPopConfig } from "./screen-pop.js";
export type { RingtonesConfig } from "./ringtones.js";
export type DtmfMethod = "rfc4733" | "info";
export type ClickToCallMode = "browser" | "desk" | "reverse";
/** How the desk phone is asked to answer by itself (vendors differ). */
export type DeskPhoneAnswer = "call-info" | "alert-info" | "ring-answer" | "none";
/** What to do when the other party transfers us (an incoming REFER). */
export type ReferPolicy = "always" | "ask" | "never";
/** Which ICE candidates a call may use: any, or only a TURN relay (networks that allow nothing else). */
export type IceTransportPolicy = "all" | "relay";

/** One account ("line"). docs/config.md documents every key; host pages rely on the names. */
export interface AccountConfig extends TrustConfig, FeatureCodesConfig, CodecsConfig, ScreenPopConfig, RingtonesConfig {
  id: string;
  label?: string;
  /** `sip:user@domain` */
  sipUri: string;
  password: string;
  authUser?: string;
  displayName?: string;
  /** WebSocket servers, tried in order: the next one when one fails. */
  servers: string[];
  /** Sent as a Route header on every request (`sip:proxy.example.com;lr`). */
  outboundProxy?: string;
  /** false: configured but not connected. Default true. */
  enabled?: boolean;
  /** false: connect for outgoing calls only, no REGISTER. Default true. */
  register?: boolean;
  /** Registration expiry in seconds (default 600). */
  expires?: number;
  dtmf?: DtmfMethod;
  iceServers?: IceServerConfig[];
  /** "relay": media only through a TURN server of `iceServers` (default "all"). */
  iceTransportPolicy?: IceTransportPolicy;
  /** Answer at once when the INVITE asks for it (Call-Info answer-after / Alert-Info autoanswer). */
  autoAnswer?: boolean;
  /** Record every connected call of this line, both sides (docs/config.md); default false. */
  autoRecord?: boolean;
  /** The user's own desk phone (`sip:…`), for click-to-call. */
  deskPhone?: string;
  /** Default click-to-call mode. */
  clickToCall?: ClickToCallMode;
  /** The auto-answer header sent to the desk phone (default "call-info"). */
  deskPhoneAnswer?: DeskPhoneAnswer;
  /** Seconds the desk phone has to answer before the attempt is given up (default 20). */
  deskPhoneTimeout?: number;
  /** Where this line is, to make numbers canonical and dial them as the PBX wants. */
  location?: LocationConfig;
  /** Search-and-replace rules for numbers dialled and shown. */
  numberRules?: NumberRules;
  /** Who is internal, for forwarding of internal or external callers only (else location.extensionLength). */
  internalCallers?: InternalCallers;
  /** Being transferred by the other party: follow at once (default), ask the user, or refuse. */
  referPolicy?: ReferPolicy;
  /** Seconds without media from the other side before a call is ended (default 60; 0 = never). */
  rtpTimeout?: number;
  /** What "Call voicemail" dials: a number or feature code (`*97`), or a `sip:` address. */
  voicemailNumber?: string;
}

export interface PhoneConfig {
  version: 1;
  accounts: AccountConfig[];
}

export const CONFIG_VERSION = 1;
export const DEFAULT_EXPIRES = 600;

export { ConfigError, type ConfigProblem };

const SIP_URI = /^sips?:([^@\s;?]+)@([^\s;?>]+)$/i;
/** A dialable number or feature code, or a SIP address (dialled through the line's rules). */
const VOICEMAIL_NUMBER = /^(?:[\w*#+.-]{1,64}|sips?:[^\s<>"@]+@[^\s<>"]{1,200})$/i;

export function parseSipUri(uri: string): { user: string; host: string } | undefined {
  const m = SIP_URI.exec(uri.trim());
  return m ? { user: decodeURIComponent(m[1]), host: m[2].toLowerCase() } : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkServer(url: unknown, field: string, problems: ConfigProblem[]): void {
  if (typeof url !== "string") {
    problems.push({ field, message: "must be a text URL such as wss://pbx.example.com:8089/ws" });
    return;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    problems.push({ field, message: `"${url}" is not a URL (expected wss://host[:port][/path])` });
    return;
  }
  if (parsed.protocol !== "wss:" && parsed.protocol !== "ws:") {
    problems.push({ field, message: `"${url}" must start with wss:// (or ws:// for local testing)` });
  }
}

function checkAccount(a: unknown, i: number, ids: Set<string>, problems: ConfigProblem[]): void {
  const at = `accounts[${i}]`;
  if (!isObject(a)) {
    problems.push({ field: at, message: "must be an object" });
    return;
  }
  if (typeof a.id !== "string" || !/^[\w.-]{1,64}$/.test(a.id)) {
    problems.push({ field: `${at}.id`, message: "must be 1-64 letters, digits, '.', '_' or '-'" });
  } else if (ids.has(a.id)) {
    problems.push({ field: `${at}.id`, message: `"${a.id}" is used by another account` });
  } else {
    ids.add(a.id);
  }
  if (typeof a.sipUri !== "string" || !parseSipUri(a.sipUri)) {
    problems.push({ field: `${at}.sipUri`, message: "must be a SIP address such as sip:alice@pbx.example.com" });
  }
  if (typeof a.password !== "string") {
    problems.push({ field: `${at}.password`, message: "must be text (it may be empty)" });
  }
  for (const key of ["authUser", "displayName", "label"] as const) {
    if (a[key] !== undefined && typeof a[key] !== "string") {
      problems.push({ field: `${at}.${key}`, message: "must be text" });
    }
  }
  if (!Array.isArray(a.servers) || a.servers.length === 0) {
    problems.push({ field: `${at}.servers`, message: "must list at least one wss:// server" });
  } else {
    a.servers.forEach((s, j) => checkServer(s, `${at}.servers[${j}]`, problems));
  }
  if (a.dtmf !== undefined && a.dtmf !== "rfc4733" && a.dtmf !== "info") {
    problems.push({ field: `${at}.dtmf`, message: 'must be "rfc4733" or "info"' });
  }
  if (a.expires !== undefined && (!Number.isInteger(a.expires) || (a.expires as number) < 60 || (a.expires as number) > 86400)) {
    problems.push({ field: `${at}.expires`, message: "must be a whole number of seconds from 60 to 86400" });
  }
  for (const key of ["enabled", "register", "autoAnswer", "autoRecord"] as const) {
    if (a[key] !== undefined && typeof a[key] !== "boolean") {
      problems.push({ field: `${at}.${key}`, message: "must be true or false" });
    }
  }
  if (a.outboundProxy !== undefined && (typeof a.outboundProxy !== "string" || !/^sips?:[^\s]+$/i.test(a.outboundProxy))) {
    problems.push({ field: `${at}.outboundProxy`, message: "must be a SIP URI such as sip:proxy.example.com;lr" });
  }
  if (a.deskPhone !== undefined && (typeof a.deskPhone !== "string" || !/^sips?:[^\s@]+@[^\s]+$/i.test(a.deskPhone))) {
    problems.push({ field: `${at}.deskPhone`, message: "must be a SIP address such as sip:1001-desk@pbx.example.com" });
  }
  if (a.clickToCall !== undefined && !["browser", "desk", "reverse"].includes(a.clickToCall as string)) {
    problems.push({ field: `${at}.clickToCall`, message: 'must be "browser", "desk" or "reverse"' });
  }
  if (a.deskPhoneAnswer !== undefined && !["call-info", "alert-info", "ring-answer", "none"].includes(a.deskPhoneAnswer as string)) {
    problems.push({ field: `${at}.deskPhoneAnswer`, message: 'must be "call-info", "alert-info", "ring-answer" or "none"' });
  }
  if (
    a.deskPhoneTimeout !== undefined &&
    (!Number.isInteger(a.deskPhoneTimeout) || (a.deskPhoneTimeout as number) < 3 || (a.deskPhoneTimeout as number) > 120)
  ) {
    problems.push({ field: `${at}.deskPhoneTimeout`, message: "must be a whole number of seconds from 3 to 120" });
  }
  if (a.location !== undefined) problems.push(...checkLocation(a.location, `${at}.location`));
  if (a.numberRules !== undefined) problems.push(...checkNumberRules(a.numberRules, `${at}.numberRules`));
  if (a.internalCallers !== undefined) problems.push(...checkInternalCallers(a.internalCallers, `${at}.internalCallers`));
  const rtp = a.rtpTimeout;
  if (rtp !== undefined && (!Number.isInteger(rtp) || (rtp !== 0 && ((rtp as number) < 10 || (rtp as number) > 3600)))) {
    problems.push({ field: `${at}.rtpTimeout`, message: "must be 0 (never) or a whole number of seconds from 10 to 3600" });
  }
  if (a.voicemailNumber !== undefined && (typeof a.voicemailNumber !== "string" || !VOICEMAIL_NUMBER.test(a.voicemailNumber))) {
    problems.push({
      field: `${at}.voicemailNumber`,
      message: "must be a number or code such as *97, or a SIP address such as sip:voicemail@pbx.example.com",
    });
  }
  if (a.referPolicy !== undefined && !["always", "ask", "never"].includes(a.referPolicy as string)) {
    problems.push({ field: `${at}.referPolicy`, message: 'must be "always", "ask" or "never"' });
  }
  checkTrust(a, at, problems);
  checkFeatureCodes(a, at, problems);
  checkCodecs(a, at, problems);
  checkScreenPop(a, at, problems);
  checkRingtones(a, at, problems);
  const known = new Set([
    "id",
    "label",
    "sipUri",
    "password",
    "authUser",
    "displayName",
    "servers",
    "outboundProxy",
    "enabled",
    "register",
    "expires",
    "dtmf",
    "iceServers",
    "iceTransportPolicy",
    "codecs",
    "ringtone",
    "alertTones",
    "autoAnswer",
    "autoRecord",
    "deskPhone",
    "clickToCall",
    "referPolicy",
    "deskPhoneAnswer",
    "deskPhoneTimeout",
    "location",
    "numberRules",
    "internalCallers",
    "rtpTimeout",
    "voicemailNumber",
    "screenPop",
    ...TRUST_KEYS,
    ...FEATURE_KEYS,
  ]);
  for (const key of Object.keys(a)) {
    if (!known.has(key)) problems.push({ field: `${at}.${key}`, message: "is not a known setting (misspelt?)" });
  }
  if (a.iceServers !== undefined) {
    if (!Array.isArray(a.iceServers)) {
      problems.push({ field: `${at}.iceServers`, message: "must be a list" });
    } else {
      a.iceServers.forEach((s, j) => {
        const f = `${at}.iceServers[${j}]`;
        const urls = isObject(s) ? s.urls : undefined;
        const list = typeof urls === "string" ? [urls] : Array.isArray(urls) ? urls : undefined;
        if (!list || list.length === 0 || !list.every((u) => typeof u === "string" && /^(stun|stuns|turn|turns):/.test(u))) {
          problems.push({ field: `${f}.urls`, message: "must be stun:, turn: or turns: URLs" });
        } else if (
          list.some((u) => /^turns?:/.test(u as string)) &&
          (typeof (s as IceServerConfig).username !== "string" || typeof (s as IceServerConfig).credential !== "string")
        ) {
          problems.push({ field: f, message: "a TURN server needs username and credential" });
        }
      });
    }
  }
  checkTransportPolicy(a, at, problems);
}

/** A relay-only line without a TURN server would place calls that never carry a sound. */
function checkTransportPolicy(a: Record<string, unknown>, at: string, problems: ConfigProblem[]): void {
  const policy = a.iceTransportPolicy;
  if (policy === undefined || policy === "all") return;
  if (policy !== "relay") {
    problems.push({ field: `${at}.iceTransportPolicy`, message: 'must be "all" or "relay"' });
    return;
  }
  const servers = Array.isArray(a.iceServers) ? (a.iceServers as unknown[]) : [];
  const urls = servers.flatMap((s) => (isObject(s) ? [s.urls].flat() : []));
  if (!urls.some((u) => typeof u === "string" && /^turns?:/.test(u))) {
    problems.push({ field: `${at}.iceTransportPolicy`, message: '"relay" needs a TURN server (turn: or turns:) in iceServers' });
  }
}

/** A new, empty account with the defaults a user expects. */
export function newAccount(id: string): AccountConfig {
  return { id, sipUri: "", password: "", servers: [], enabled: true, register: true, expires: DEFAULT_EXPIRES, dtmf: "rfc4733" };
}

/** Parses the text of an import file: JSON first, then the configuration's own rules. */
export function parseConfigText(text: string): PhoneConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError([{ field: "(file)", message: `is not valid JSON (${(e as Error).message})` }]);
  }
  return validateConfig(json);
}

/**
 * Validates untrusted JSON (an import file, a provisioning response, a host page's call) and
 * returns it typed, or throws a ConfigError listing every problem with its field.
 */
export function validateConfig(input: unknown): PhoneConfig {
  const problems: ConfigProblem[] = [];
  if (!isObject(input)) throw new ConfigError([{ field: "(root)", message: "must be a JSON object" }]);
  if (input.version !== CONFIG_VERSION) {
    problems.push({ field: "version", message: `must be ${CONFIG_VERSION} (got ${JSON.stringify(input.version)})` });
  }
  if (!Array.isArray(input.accounts)) {
    problems.push({ field: "accounts", message: "must be a list of accounts" });
  } else {
    const ids = new Set<string>();
    input.accounts.forEach((a, i) => checkAccount(a, i, ids, problems));
  }
  if (problems.length) throw new ConfigError(problems);
  return input as unknown as PhoneConfig;
}
