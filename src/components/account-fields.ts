import type { AccountConfig, DeskPhoneAnswer, LocationConfig, NumberRules } from "../config/phone-config.js";
import type { AccountView } from "./app-context.js";
import { iceServersFromText, iceServersToText } from "./ice-servers-text.js";

/**
 * The account form's fields and the account they stand for, both ways: what each text field
 * shows for a line, and the line built back from the fields and choices. Pure functions, so
 * `<sip-account-form>` only renders and collects.
 */
export type TextField =
  | "label"
  | "sipUri"
  | "displayName"
  | "authUser"
  | "password"
  | "servers"
  | "outboundProxy"
  | "expires"
  | "iceServers"
  | "deskPhone"
  | "deskPhoneTimeout";

/** How a field is typed in; its label and help are in the catalogue as `field.<name>` and `field.<name>.help`. */
export interface FieldSpec {
  type?: string;
  multiline?: boolean;
}

export const FIELDS: Record<TextField, FieldSpec> = {
  label: {},
  sipUri: {},
  displayName: {},
  authUser: {},
  password: { type: "password" },
  servers: { multiline: true },
  outboundProxy: {},
  expires: { type: "number" },
  iceServers: { multiline: true },
  deskPhone: {},
  deskPhoneTimeout: { type: "number" },
};

/** The choices the form makes with checkboxes and selects, and the number settings. */
export interface FormChoices {
  enabled: boolean;
  register: boolean;
  autoAnswer: boolean;
  dtmf: "rfc4733" | "info";
  clickToCall: "browser" | "desk" | "reverse";
  referPolicy: "always" | "ask" | "never";
  deskPhoneAnswer: DeskPhoneAnswer;
  location?: LocationConfig;
  numberRules?: NumberRules;
}

/** What each text field shows for `a` (a new line when undefined); the password is never shown. */
export function fieldValues(a: AccountView | undefined): Record<TextField, string> {
  return {
    label: a?.label ?? "",
    sipUri: a?.sipUri ?? "",
    displayName: a?.displayName ?? "",
    authUser: a?.authUser ?? "",
    password: "",
    servers: (a?.servers ?? []).join("\n"),
    outboundProxy: a?.outboundProxy ?? "",
    expires: String(a?.expires ?? 600),
    iceServers: iceServersToText(a?.iceServers),
    deskPhone: a?.deskPhone ?? "",
    deskPhoneTimeout: a?.deskPhoneTimeout ? String(a.deskPhoneTimeout) : "",
  };
}

/**
 * The line as the form says, on top of the line as it was: settings without a field here
 * (trust, relay policy, timeouts, feature codes, voicemail number...: they come from
 * configuration files) are kept. A field emptied, or a choice back at its default, removes its
 * key. Numbers go as typed, for the host to check the range.
 */
export function accountFromForm(base: AccountView | undefined, v: Record<TextField, string>, c: FormChoices): AccountConfig {
  const kept = Object.fromEntries(Object.entries(base ?? {}).filter(([k]) => k !== "passwordSaved"));
  const opt = (s: string) => s.trim() || undefined;
  const expires = Number(v.expires);
  const account: Record<string, unknown> = {
    ...kept,
    id: base?.id ?? `line-${Date.now().toString(36)}`,
    label: opt(v.label),
    sipUri: v.sipUri.trim(),
    password: v.password,
    servers: v.servers
      .split("\n")
      .map((s) => s.trim())
      .filter(Boolean),
    displayName: opt(v.displayName),
    authUser: opt(v.authUser),
    outboundProxy: opt(v.outboundProxy),
    enabled: c.enabled,
    register: c.register,
    expires: v.expires.trim() === "" ? undefined : Number.isFinite(expires) ? expires : v.expires,
    dtmf: c.dtmf,
    iceServers: v.iceServers.trim() ? iceServersFromText(v.iceServers) : undefined,
    autoAnswer: c.autoAnswer,
    deskPhone: opt(v.deskPhone),
    clickToCall: c.clickToCall,
    referPolicy: c.referPolicy !== "always" ? c.referPolicy : undefined,
    deskPhoneAnswer: c.deskPhoneAnswer !== "call-info" ? c.deskPhoneAnswer : undefined,
    deskPhoneTimeout: v.deskPhoneTimeout.trim() === "" ? undefined : Number(v.deskPhoneTimeout),
    location: c.location,
    numberRules: c.numberRules,
  };
  for (const k of Object.keys(account)) if (account[k] === undefined) delete account[k];
  return account as unknown as AccountConfig;
}
