import type { Call } from "./call.js";
import type { Line } from "./line.js";
import { PhoneError } from "./phone-errors.js";

/**
 * Park: the other party of a call is sent (blind transfer, REFER) to the line's park extension,
 * where the PBX holds it in a slot that anyone can dial to take it back ("retrieve" is dialling
 * the slot, and busy lamps can watch slots). The slot the PBX chose is announced by the PBX
 * (Asterisk speaks it) or shown on the lamps of the watched slots: a REFER's NOTIFYs carry the
 * status line of the transferee's INVITE only (RFC 3515), never the slot.
 */
export async function park(call: Call, line: Line, transfer: (callId: string, target: string) => Promise<void>): Promise<void> {
  const extension = line.account.parkExtension;
  if (!extension) throw new PhoneError("This line has no park extension", "no-park", { lineId: line.id, callId: call.id });
  await transfer(call.id, extension);
}
