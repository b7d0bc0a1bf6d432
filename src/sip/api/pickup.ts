import { checkTargetUri, parseReplaces } from "../core/header-guard.js";
import type { Line } from "./line.js";
import type { DialogEntry } from "./presence-body.js";
import type { OutgoingCalls } from "./outgoing-calls.js";
import { PhoneError } from "./phone-errors.js";
import type { Presence } from "./presence.js";

/**
 * Call pickup: answering, here, a call that rings at a colleague's phone.
 *
 * Directed pickup where the dialog event gave us the ringing dialog (RFC 4235 call-id and both
 * tags): an INVITE to the caller with `Replaces` naming the caller's early dialog, `early-only`
 * so that a call answered meanwhile is not taken over (RFC 3891 3, 7.1; the caller's UA, which
 * started that early dialog, accepts, connects to us and CANCELs the ringing at the colleague,
 * saying it was answered elsewhere).
 *
 * Otherwise the line's feature codes: `pickupPrefix` + the extension (directed), or
 * `groupPickupCode` alone (group pickup, no target). A PBX that anchors every call (Asterisk,
 * FreePBX) wants the code: its callers' dialogs are its own, not the caller's.
 */
export class Pickup {
  constructor(
    /** The watched parties' dialogs, when busy lamps were loaded (pickup by Replaces). */
    private readonly presence: Pick<Presence, "get">,
    private readonly outgoing: OutgoingCalls,
    private readonly line: (id: string | undefined) => Line | undefined,
  ) {}

  async pickup(target: string | undefined, lineId?: string): Promise<string> {
    const watch = target ? this.presence.get(target) : undefined;
    const line = this.line(lineId ?? watch?.lineId);
    if (!line) throw new PhoneError(lineId ? `No line "${lineId}"` : "No account is set up: add one first", "no-line", { lineId });
    const codes = line.account;
    if (!target) {
      if (!codes.groupPickupCode) throw new PhoneError("This line has no group pickup code", "no-pickup", { lineId: line.id });
      return this.outgoing.place(line, codes.groupPickupCode, { lineId: line.id, mode: "browser" });
    }
    const replacing = watch?.ringing && this.replacing(line, watch.ringing, true);
    if (replacing) return replacing;
    if (codes.pickupPrefix) {
      const extension = watch?.uri.user ?? target;
      if (!/^[A-Za-z0-9*#+._-]{1,32}$/.test(extension))
        throw new PhoneError(`"${target}" is no extension`, "bad-target", { input: target });
      return this.outgoing.place(line, codes.pickupPrefix + extension, { lineId: line.id, mode: "browser" });
    }
    throw new PhoneError(`Nothing rings at "${target}" to pick up`, "no-pickup", { input: target, lineId: line.id });
  }

  /**
   * Takes back a parked call. Where the slot is watched and the dialog event named the call held
   * there (call-id, tags, the parked party), an INVITE to the parked party with `Replaces` naming
   * its call with the slot (no early-only: that call is answered), as phones on Kamailio or
   * OpenSIPS park servers do; the parked party's UA connects to us and says BYE to the slot.
   * Otherwise the slot is dialled, as on Asterisk and FreeSWITCH, whose slots hand the call over.
   */
  async retrieve(slot: string, lineId?: string): Promise<string> {
    const watch = this.presence.get(slot);
    const line = this.line(lineId ?? watch?.lineId);
    if (!line) throw new PhoneError(lineId ? `No line "${lineId}"` : "No account is set up: add one first", "no-line", { lineId });
    const replacing = watch?.parked && this.replacing(line, watch.parked, false);
    return replacing || this.outgoing.place(line, slot, { lineId: line.id, mode: "browser" });
  }

  /**
   * An INVITE to the other party of a watched party's dialog, replacing that dialog (RFC 3891);
   * undefined when the dialog event did not give all of it, or gave values that are no SIP. The
   * tags are the watched party's view (RFC 4235 local/remote) and the Replaces is read by the
   * other party, whose local tag is the watched party's remote tag: to-tag = remote-tag.
   */
  private replacing(line: Line, dialog: DialogEntry, earlyOnly: boolean): Promise<string> | undefined {
    if (!dialog.callId || !dialog.localTag || !dialog.remoteTag || !dialog.remoteIdentity) return undefined;
    const to = checkTargetUri(dialog.remoteIdentity);
    const replaces = parseReplaces(`${dialog.callId};to-tag=${dialog.remoteTag};from-tag=${dialog.localTag}`);
    if (!to.ok || !replaces) return undefined;
    const header = `Replaces: ${replaces.callId};to-tag=${replaces.toTag};from-tag=${replaces.fromTag}${earlyOnly ? ";early-only" : ""}`;
    return this.outgoing.place(line, to.uri, { lineId: line.id, mode: "browser" }, 0, [header]);
  }
}
