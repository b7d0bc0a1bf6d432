import { parsePhoneNumberFromString, validatePhoneNumberLength } from "libphonenumber-js/min";
import type { AccountConfig, LocationConfig } from "../../config/phone-config.js";
import { applyRules } from "./number-rules.js";
import { cleanNumber, TargetError } from "./sip-target.js";

/**
 * Numbers as people and links write them, made canonical (E.164, with libphonenumber-js) for the
 * line's location, then put in the form its PBX wants and run through the line's dial rules.
 * Loaded on demand (libphonenumber's metadata is the bulk of it): the phone preloads it when a
 * line has a location or rules, so a click does not wait for it.
 */

/** E.164 (`+4315056410`) for a cleaned number, or the number itself if it is internal. */
export function canonicalNumber(number: string, location: LocationConfig): string {
  if (/[*#]/.test(number)) return number; // service codes (*21#) go as they are
  if (!number.startsWith("+") && location.extensionLength && number.length <= location.extensionLength) return number;
  const intl = location.internationalPrefix ?? "00";
  const natl = location.nationalPrefix ?? "0";
  let e164: string;
  if (number.startsWith("+")) e164 = number;
  else if (intl && number.startsWith(intl)) e164 = "+" + number.slice(intl.length);
  else if (natl && number.startsWith(natl)) e164 = `+${location.countryCode}${number.slice(natl.length)}`;
  else e164 = `+${location.countryCode}${location.areaCode ?? ""}${number}`;
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed || !parsed.isPossible()) {
    const why = validatePhoneNumberLength(e164);
    const reason =
      why === "TOO_SHORT"
        ? "is too short"
        : why === "TOO_LONG"
          ? "is too long"
          : why === "INVALID_COUNTRY"
            ? "has no known country code"
            : "is not a possible phone number";
    throw new TargetError(`${number} ${reason} (read as ${e164})`);
  }
  return parsed.number;
}

/** The form the PBX wants: E.164 as it is, or with outside-line and trunk prefixes. */
export function pbxNumber(e164: string, location: LocationConfig): string {
  if (location.dialFormat !== "prefixed" || !e164.startsWith("+")) return e164;
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  const outside = location.outsideLine ?? "";
  if (parsed.countryCallingCode === location.countryCode) return outside + (location.nationalPrefix ?? "0") + parsed.nationalNumber;
  return outside + (location.internationalPrefix ?? "00") + parsed.countryCallingCode + parsed.nationalNumber;
}

export interface DialNumber {
  /** What goes into the request URI. */
  number: string;
  /** What the call screen and history show (outgoing rules applied). */
  display: string;
}

/**
 * A number to dial on a line: cleaned, made canonical and put in the PBX's form when the line
 * has a location, then rewritten by its dial rules. Undefined when `input` is not a number.
 */
export function dialNumber(input: string, account: Pick<AccountConfig, "location" | "numberRules">): DialNumber | undefined {
  const cleaned = cleanNumber(input);
  if (cleaned === undefined) return undefined;
  const location = account.location;
  const canonical = location ? canonicalNumber(cleaned, location) : cleaned;
  const pbx = location ? pbxNumber(canonical, location) : canonical;
  const { number } = applyRules(account.numberRules?.dial, pbx);
  if (!number) throw new TargetError(`A dial rule turns ${cleaned} into nothing: that number is not dialled (see the line's number rules)`);
  if (!/^\+?[0-9*#A-Za-z]+$/.test(number)) throw new TargetError(`A dial rule turns ${cleaned} into "${number}", which is not a number`);
  const shown = applyRules(account.numberRules?.outgoing, canonical).number;
  return { number, display: shown || "withheld" };
}
