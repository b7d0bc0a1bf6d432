import type { Clock } from "../core/clock.js";
import { getLogger } from "../core/logger.js";
import { StateMachine } from "../core/state-machine.js";
import type { Call } from "./call.js";
import { CallState, type CallSnapshot } from "./call-state.js";
import { PhoneError } from "./phone-errors.js";
import {
  RECORDING_MOVES,
  RecordingError,
  RecordingState,
  type CallAudio,
  type MixRecorder,
  type MixRecorderFactory,
  type RecordingFailure,
  type RecordingSink,
} from "./recording-media.js";

const log = getLogger("recording");

export interface CallRecordingsDeps {
  clock: Clock;
  /** The platform's recorder, loaded on first use; undefined where the platform has none. */
  recorder(): Promise<MixRecorderFactory> | undefined;
  /** Where finished files go (the app's storage); undefined when nobody keeps them. */
  sink(): Promise<RecordingSink> | undefined;
  call(id: string): Call | undefined;
  /** The calls heard together with `call`: its conference, or itself. */
  group(call: Call): Call[];
  /** The call's line records every call (`autoRecord`). */
  autoRecord(call: Call): boolean;
}

/**
 * One call's recording (its machine in recording-media.ts). The call goes on whatever happens
 * here: every failure becomes `failed` with a code, nothing is thrown at the call.
 *
 * What is recorded is what the two sides hear of each other: our microphone as the call sends
 * it (silent while muted; left out while we hold the call, since the other party hears nothing
 * of it then) and what the other side sends, of every member in a conference. The mix follows
 * the tracks: a hold, a conference, a microphone moved to another device (Call.onMicrophoneMoved).
 */
class CallRecording {
  private readonly machine: StateMachine<RecordingState>;
  private recorder: MixRecorder | undefined;
  private failure: RecordingFailure | undefined;
  private recordedMs = 0;
  private onSince: number | undefined;
  /** What the user last asked for (an "off" while the recorder starts pauses it once it has). */
  private wanted = false;
  private ended = false;
  private followQueued = false;
  private starting: Promise<void> | undefined;

  constructor(
    private readonly call: Call,
    private readonly deps: CallRecordingsDeps,
  ) {
    this.machine = new StateMachine(`call ${call.id} recording`, RecordingState.Off, RECORDING_MOVES, (to) => {
      call.recording = { state: to, ...(to === RecordingState.Failed && this.failure ? { failure: this.failure } : {}) };
      // An ended call has said its last (a change now would be a second "ended" event).
      if (!this.ended) call.changed();
    });
    call.onMicrophoneMoved = () => this.follow();
  }

  /** Switches the recording on (starting it, or going on in the same file) or pauses it. */
  async set(on: boolean): Promise<RecordingState> {
    this.wanted = on;
    const state = this.machine.state;
    if (!on) {
      if (state === RecordingState.On) this.pause();
    } else if (state === RecordingState.Paused) {
      this.recorder!.resume();
      this.onSince = this.deps.clock.now();
      this.machine.transition(RecordingState.On);
    } else if (state === RecordingState.Off || (state === RecordingState.Failed && !this.recorder)) {
      await (this.starting = this.start());
    } else if (state === RecordingState.Starting) {
      await this.starting;
    }
    return this.machine.state;
  }

  /** The call's tracks changed (or may have): the mix takes them, once the current task is done. */
  follow(): void {
    if (!this.recorder || this.followQueued) return;
    this.followQueued = true;
    // A microtask: moveMicrophone (phone-audio.ts) puts the new track in the stream right after it tells the call.
    queueMicrotask(() => {
      this.followQueued = false;
      if (this.recorder && !this.ended) this.recorder.follow(this.tracks());
    });
  }

  /** The call ended: the file is finished; undefined when nothing was recorded. */
  async finish(): Promise<CallAudio | undefined> {
    this.ended = true;
    this.call.onMicrophoneMoved = undefined;
    const recorder = this.recorder;
    if (!recorder) return undefined;
    this.stopClock();
    const blob = await recorder.stop();
    if (!blob.size) return undefined;
    return {
      callId: this.call.id,
      callStartedAt: this.call.snapshot.startedAt,
      blob,
      mimeType: blob.type,
      durationMs: this.recordedMs,
    };
  }

  private async start(): Promise<void> {
    this.failure = undefined;
    this.machine.transition(RecordingState.Starting);
    let recorder: MixRecorder;
    try {
      const sink = this.deps.sink();
      if (!sink) throw new RecordingError("no-storage");
      const factory = this.deps.recorder();
      if (!factory) throw new RecordingError("unsupported");
      const maxBytes = await (await sink).room();
      recorder = await (await factory)(this.tracks(), { maxBytes, stopped: (reason) => this.stoppedItself(reason) });
    } catch (e) {
      log.warn(`call ${this.call.id}: recording not started:`, (e as Error).message);
      if (this.ended) return;
      // Anything but a refusal with a code (a chunk that would not load, say) is the recorder's failure.
      this.failure = e instanceof RecordingError ? e.code : "recorder-error";
      this.machine.transition(RecordingState.Failed);
      return;
    }
    if (this.ended) {
      // The call ended while the recorder started: nothing of it was recorded.
      void recorder.stop().catch(() => undefined);
      return;
    }
    this.recorder = recorder;
    this.onSince = this.deps.clock.now();
    this.machine.transition(RecordingState.On);
    if (!this.wanted) this.pause();
  }

  private pause(): void {
    this.recorder!.pause();
    this.stopClock();
    this.machine.transition(RecordingState.Paused);
  }

  private stoppedItself(reason: "full" | "recorder-error"): void {
    const state = this.machine.state;
    if (this.ended || (state !== RecordingState.On && state !== RecordingState.Paused)) return;
    log.warn(`call ${this.call.id}: recording stopped:`, reason);
    this.stopClock();
    this.failure = reason;
    this.machine.transition(RecordingState.Failed);
  }

  private stopClock(): void {
    if (this.onSince === undefined) return;
    this.recordedMs += this.deps.clock.now() - this.onSince;
    this.onSince = undefined;
  }

  private tracks(): MediaStreamTrack[] {
    const ours = this.call.snapshot.held ? [] : this.call.microphone;
    const theirs = this.deps.group(this.call).flatMap((c) => c.remoteStream?.getAudioTracks() ?? []);
    return [...ours, ...theirs];
  }
}

/**
 * The phone's recordings (loaded with the first `record()`, or the first call on a line with
 * `autoRecord`): one per call, started on request or when an `autoRecord` line's call connects
 * (once: a recording the user paused stays paused), and finished when its call ends, the file
 * then handed to the sink (the app keeps it with the call's history entry).
 */
export class CallRecordings {
  private readonly recordings = new Map<string, CallRecording>();
  /** Established calls already looked at for `autoRecord`. */
  private readonly autoSeen = new Set<string>();

  constructor(private readonly deps: CallRecordingsDeps) {}

  /** Switches `call`'s recording on or off (paused); resolves with its state. */
  async record(call: Call, on: boolean): Promise<RecordingState> {
    if (call.state !== CallState.Established || call.clickToCall)
      throw new PhoneError("Only a connected call can be recorded", "bad-state", { callId: call.id });
    let recording = this.recordings.get(call.id);
    if (!recording) {
      if (!on) return RecordingState.Off;
      this.recordings.set(call.id, (recording = new CallRecording(call, this.deps)));
    }
    return recording.set(on);
  }

  /** Every change of every call (the phone's `call-state`). */
  callChanged(s: CallSnapshot): void {
    if (s.state === CallState.Ended) {
      this.autoSeen.delete(s.id);
      const recording = this.recordings.get(s.id);
      this.recordings.delete(s.id);
      if (recording) void this.keep(recording);
    } else if (s.state === CallState.Established && !this.autoSeen.has(s.id)) {
      this.autoSeen.add(s.id);
      const call = this.deps.call(s.id);
      if (call && !call.clickToCall && this.deps.autoRecord(call))
        this.record(call, true).catch((e: Error) => log.warn(`call ${s.id}: not auto-recorded:`, e.message));
    }
    // A hold, a conference formed or split, a new remote track: every mix looks again.
    for (const recording of this.recordings.values()) recording.follow();
  }

  private async keep(recording: CallRecording): Promise<void> {
    try {
      const audio = await recording.finish();
      const sink = audio && this.deps.sink();
      if (audio && sink) await (await sink).keep(audio);
    } catch (e) {
      log.warn("recording not kept:", (e as Error).message);
    }
  }
}
