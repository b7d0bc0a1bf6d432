import type { Call } from "./call.js";
import { CallState } from "./call-state.js";
import { PhoneError } from "./phone-errors.js";
import type { PhoneInternals } from "./phone-internals.js";

/** After a successful attended transfer, the target should end our call with it; else we do. */
const CONSULT_CLEANUP_MS = 5000;

/**
 * Consultation (attended) transfer, RFC 5589: hold the call, talk to the target first, then
 * REFER the held party to the target with Replaces of our dialog with it, so the two talk and
 * both our calls end. Also used to leave a conference with the other two connected.
 */
export class AttendedTransfer {
  constructor(private readonly phone: PhoneInternals) {}

  /** Holds `callId` and calls `target` on the same line; returns the consultation call's id. */
  async start(callId: string, target: string): Promise<string> {
    const call = this.phone.findCall(callId, (c) => c.state === CallState.Established);
    if (call.state !== CallState.Established) throw new PhoneError("Only a connected call can be transferred", "bad-state", { callId });
    const consultId = await this.phone.dial(target, { lineId: call.lineId });
    const consult = this.phone.call(consultId);
    if (consult) {
      consult.consultFor = call.id;
      consult.changed();
    }
    return consultId;
  }

  /** The held party is REFERred to the consulted one. On failure both calls stay, the first held. */
  async complete(consultCallId: string): Promise<void> {
    const consult = this.phone.findCall(consultCallId);
    const original = consult.consultFor ? this.phone.call(consult.consultFor) : undefined;
    if (!original)
      throw new PhoneError("This call is not a consultation, or the call to transfer has ended", "bad-state", { callId: consultCallId });
    await this.join(original, consult);
  }

  /** Hangs up the consultation and takes the first call back. */
  async cancel(consultCallId: string): Promise<void> {
    const consult = this.phone.findCall(consultCallId);
    const originalId = consult.consultFor;
    await consult.hangup();
    if (originalId && this.phone.call(originalId)) await this.phone.hold(originalId, false);
  }

  /** Connects the parties of two of our calls and leaves: `from`'s party is REFERred to `to`'s. */
  async join(from: Call, to: Call): Promise<void> {
    if (to.state !== CallState.Established)
      throw new PhoneError("The consulted party has not answered yet", "bad-state", { callId: to.id });
    const replaces = to.replacesValue;
    if (!replaces) throw new PhoneError("The consulted call has no dialog to replace", "bad-state", { callId: to.id });
    // The consulted party's address of record (To of our call to them, From of theirs to us).
    const target = to.session.remoteIdentity.uri.clone();
    target.clearHeaders();
    for (const p of Object.keys(target.parameters)) target.deleteParam(p);
    const off = from.on("change", (s) => {
      if (s.transfer?.state === "answered") {
        off();
        to.expectEnd("transferred");
        this.phone.clock.setTimeout(() => void to.hangup().catch(() => undefined), CONSULT_CLEANUP_MS);
      } else if (s.transfer?.state === "failed" || s.state === CallState.Ended) off();
    });
    await from.transfer(target.toString(), to.snapshot.remote, { replaces, resumeOnFailure: false });
  }
}
