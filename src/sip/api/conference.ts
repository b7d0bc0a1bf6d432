import { getLogger } from "../core/logger.js";
import type { AttendedTransfer } from "./attended-transfer.js";
import type { Call } from "./call.js";
import { CallState } from "./call-state.js";
import { PhoneError } from "./phone-errors.js";
import type { PhoneInternals } from "./phone-internals.js";
import type { ConferenceMix } from "./platform.js";

const log = getLogger("conference");

/**
 * The 3-way (or larger) conference, mixed in the browser by the platform's mixer: every party
 * hears all the others. Hanging up a member takes it out; one member left is a plain call again.
 * Hold and mute act on the whole conference (one microphone for the user).
 */
export class Conference {
  private mixer: ConferenceMix | undefined;

  constructor(
    private readonly phone: PhoneInternals,
    private readonly transfers: () => Promise<AttendedTransfer>,
  ) {}

  has(callId: string): boolean {
    return this.mixer?.has(callId) ?? false;
  }

  /** The calls that act together with `call`: the conference it is in, or itself. */
  group(call: Call): Call[] {
    if (!this.mixer?.has(call.id)) return [call];
    return this.members();
  }

  /** Takes the given connected calls off hold and mixes them. */
  async start(callIds: string[]): Promise<void> {
    const calls = [...new Set(callIds)].map((id) => this.phone.findCall(id));
    if (calls.length < 2) throw new PhoneError("A conference needs at least two calls", "bad-state");
    const notUp = calls.find((c) => c.state !== CallState.Established);
    if (notUp) throw new PhoneError(`The call with ${notUp.snapshot.remote} is not connected`, "bad-state", { callId: notUp.id });
    await Promise.all(calls.filter((c) => c.snapshot.held).map((c) => c.hold(false)));
    const mixer = (this.mixer ??= await this.phone.platform.createMixer());
    const muted = calls.some((c) => c.snapshot.muted);
    for (const call of calls) {
      const sender = call.audioSender;
      const microphone = call.microphone[0];
      const remote = call.remoteStream;
      if (!sender || !microphone || !remote) {
        throw new PhoneError(`The call with ${call.snapshot.remote} has no audio to mix`, "bad-state", { callId: call.id });
      }
      await mixer.add({ id: call.id, sender, microphone, remote });
      call.inConference = true;
      call.changed();
    }
    // One microphone for the user: muted in one member means muted in all.
    if (muted) for (const c of calls) c.mute(true);
  }

  /** Our microphone in a member's call moved to `track` (audio-routing.ts): the mix takes it. */
  async microphoneReplaced(callId: string, track: MediaStreamTrack): Promise<void> {
    await this.mixer?.replaceMicrophone(callId, track);
  }

  /** Back to separate calls: each gets its own microphone again, all but the last one held. */
  async split(): Promise<void> {
    const mixer = this.mixer;
    if (!mixer) throw new PhoneError("There is no conference", "bad-state");
    const members = this.members();
    this.mixer = undefined;
    await mixer.close();
    for (const c of members) {
      c.inConference = false;
      c.changed();
    }
    const [keep, ...rest] = members.reverse();
    await Promise.all(rest.map((c) => c.hold(true).catch((e: Error) => log.warn("hold failed", e.message))));
    if (keep) log.info("conference split; active:", keep.id);
  }

  /** Leaves a two-party conference so the other two stay connected (attended transfer). */
  async leave(): Promise<void> {
    const members = this.members();
    if (members.length !== 2) throw new PhoneError("Leaving keeps the others connected only with exactly two other parties", "bad-state");
    await this.split();
    await (await this.transfers()).join(members[0]!, members[1]!);
  }

  /** A member ended: take it out; one member left is a plain call again. */
  async memberEnded(callId: string): Promise<void> {
    const mixer = this.mixer;
    if (!mixer?.has(callId)) return;
    await mixer.remove(callId);
    if (mixer.memberIds.length >= 2) return;
    const last = this.members();
    this.mixer = undefined;
    await mixer.close();
    for (const c of last) {
      c.inConference = false;
      c.changed();
    }
  }

  private members(): Call[] {
    return (this.mixer?.memberIds ?? []).map((id) => this.phone.call(id)).filter((c): c is Call => !!c);
  }
}
