import type { ConferenceMember, ConferenceMix } from "../../api/platform.js";

/**
 * A 3-way (or larger) conference mixed in the browser: each member's sender carries our
 * microphone plus the audio of every other member, so every party hears all the others. We hear
 * every member already, since each call's remote audio keeps playing.
 *
 * ```
 *   mic(A) ──┐                    mic(B) ──┐
 *   remote(B)┴─▶ dest(A) ─▶ sender(A)   remote(A)┴─▶ dest(B) ─▶ sender(B)
 * ```
 * Chrome only feeds a remote WebRTC track into Web Audio while the track is also played by a
 * media element; the phone plays every call's remote stream, which meets that.
 */

interface Wired {
  member: ConferenceMember;
  mic: MediaStreamAudioSourceNode;
  remote: MediaStreamAudioSourceNode;
  dest: MediaStreamAudioDestinationNode;
}

export class ConferenceMixer implements ConferenceMix {
  private readonly ctx: AudioContext;
  private readonly wired = new Map<string, Wired>();

  constructor(createContext: () => AudioContext = () => new AudioContext()) {
    this.ctx = createContext();
  }

  get memberIds(): string[] {
    return [...this.wired.keys()];
  }

  has(id: string): boolean {
    return this.wired.has(id);
  }

  /** Adds a member and rewires every mix; its sender now carries the mix. */
  async add(member: ConferenceMember): Promise<void> {
    if (this.wired.has(member.id)) return;
    // A context made outside a user gesture starts suspended and would mix silence.
    await this.ctx.resume().catch(() => undefined);
    const w: Wired = {
      member,
      mic: this.ctx.createMediaStreamSource(new MediaStream([member.microphone])),
      remote: this.ctx.createMediaStreamSource(member.remote),
      dest: this.ctx.createMediaStreamDestination(),
    };
    for (const other of this.wired.values()) {
      w.remote.connect(other.dest);
      other.remote.connect(w.dest);
    }
    w.mic.connect(w.dest);
    this.wired.set(member.id, w);
    await member.sender.replaceTrack(w.dest.stream.getAudioTracks()[0]!);
  }

  /** Our microphone in a member's call moved to `track` (another device): its mix takes the new one. */
  async replaceMicrophone(id: string, track: MediaStreamTrack): Promise<void> {
    const w = this.wired.get(id);
    if (!w) return;
    w.mic.disconnect();
    w.mic = this.ctx.createMediaStreamSource(new MediaStream([track]));
    w.mic.connect(w.dest);
    // Leaving the conference gives the sender this one back (remove()).
    w.member = { ...w.member, microphone: track };
  }

  /** Takes a member out: its sender gets the microphone back, the others stop hearing it. */
  async remove(id: string): Promise<void> {
    const w = this.wired.get(id);
    if (!w) return;
    this.wired.delete(id);
    w.mic.disconnect();
    w.remote.disconnect();
    for (const other of this.wired.values()) other.remote.disconnect(w.dest);
    w.dest.stream.getTracks().forEach((t) => t.stop());
    // The call may have ended already; its sender is then gone with the connection.
    await w.member.sender.replaceTrack(w.member.microphone).catch(() => undefined);
  }

  /** Ends the conference: every member back to a plain call; the audio context is closed. */
  async close(): Promise<void> {
    for (const id of [...this.wired.keys()]) await this.remove(id);
    await this.ctx.close().catch(() => undefined);
  }
}
