/**
 * The PBX feature codes of a line: what it dials to pick up a colleague's ringing call or to
 * park one. PBXs differ (Asterisk/FreePBX: `**` + extension for directed pickup, `*8` for group
 * pickup, 700 for park; others use their own), so each is per line and none has a default: an
 * unset code means the feature is not offered by feature code on that line.
 */
import type { ConfigProblem } from "./phone-config.js";

export interface FeatureCodesConfig {
  /**
   * Dialled before an extension for directed pickup where the PBX gives no dialog details to
   * pick up with (RFC 3891 Replaces): `"**"` dials `**1001` to pick up 1001's ringing call.
   */
  pickupPrefix?: string;
  /** Dialled alone to pick up any ringing call of the user's pickup group (`"*8"`). */
  groupPickupCode?: string;
  /** Where a parked call is sent (blind transfer): `"700"`; the PBX announces or returns the slot. */
  parkExtension?: string;
}

export const FEATURE_KEYS = ["pickupPrefix", "groupPickupCode", "parkExtension"] as const;

/** Keypad characters only: a code is dialled, and must not become a URI part of its own. */
const CODE = /^[0-9*#]{1,16}$/;
/** A user part of a SIP URI without escapes, parameters or headers. */
const EXTENSION = /^[A-Za-z0-9*#+._-]{1,32}$/;

export function checkFeatureCodes(a: Record<string, unknown>, at: string, problems: ConfigProblem[]): void {
  for (const key of ["pickupPrefix", "groupPickupCode"] as const) {
    const v = a[key];
    if (v !== undefined && (typeof v !== "string" || !CODE.test(v))) {
      problems.push({ field: `${at}.${key}`, message: 'must be 1 to 16 keypad characters (0-9, *, #), such as "*8"' });
    }
  }
  const park = a.parkExtension;
  if (park !== undefined && (typeof park !== "string" || !EXTENSION.test(park))) {
    problems.push({ field: `${at}.parkExtension`, message: 'must be an extension such as "700" (letters, digits, * # + . _ -)' });
  }
}
