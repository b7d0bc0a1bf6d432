import { checkTargetUri, parseReplaces } from "../core/header-guard.js";
import type { Line } from "./line.js";
import type { OutgoingCalls } from "./outgoing-calls.js";
import { PhoneError } from "./phone-errors.js";
import type { Presence } from "./presence.js";

/**
 * Call pickup: answering, here, a call that rings at a colleague's phone.
 *
 * Directed pickup where the dialog event gave us the ringing dialog (RFC 4235 call-id and both
 * tags): an INVITE to the caller with `Replaces` naming the caller's early dialog, `early-only`
 * so that a call answered meanwhile is not taken over (RFC 3891 3, 7.1; the caller's UA, which
 * started that early dialog, accepts, connects to us and CANCELs the ringing at the colleague).
 * The tags are the watched party's view (RFC 4235 local/remote), and the Replaces is read by
 * the caller's UA, whose local tag is the watched party's remote tag: to-tag = remote-tag,
 * from-tag = local-tag.
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
    const ringing = watch?.ringing;
    if (ringing?.callId && ringing.localTag && ringing.remoteTag && ringing.remoteIdentity) {
      const to = checkTargetUri(ringing.remoteIdentity);
      const replaces = parseReplaces(`${ringing.callId};to-tag=${ringing.remoteTag};from-tag=${ringing.localTag};early-only`);
      if (to.ok && replaces) {
        const header = `Replaces: ${replaces.callId};to-tag=${replaces.toTag};from-tag=${replaces.fromTag};early-only`;
        return this.outgoing.place(line, to.uri, { lineId: line.id, mode: "browser" }, 0, [header]);
      }
    }
    if (codes.pickupPrefix) {
      const extension = watch?.uri.user ?? target;
      if (!/^[A-Za-z0-9*#+._-]{1,32}$/.test(extension))
        throw new PhoneError(`"${target}" is no extension`, "bad-target", { input: target });
      return this.outgoing.place(line, codes.pickupPrefix + extension, { lineId: line.id, mode: "browser" });
    }
    throw new PhoneError(`Nothing rings at "${target}" to pick up`, "no-pickup", { input: target, lineId: line.id });
  }
}
