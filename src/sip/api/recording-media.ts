/**
 * Recording a call: the codes the phone reports in the call snapshot, what it needs from the
 * platform (a mixing recorder, declared here, made by `platform/web/mix-recorder.ts` through
 * `PhonePlatform.loadRecorder`) and from the app (somewhere to keep the file:
 * `app/call-audio-recording.ts`). Nothing here touches storage or words.
 */

/**
 * A call's recording, as the call snapshot shows it (`recording`).
 *
 * ```
 *   off ──record──▶ starting ──ready──▶ on ◀──record(on/off)──▶ paused
 *                      │                 │                        │
 *                      │ refused         │ full / recorder error  │
 *                      ▼                 ▼                        ▼
 *                    failed ◀────────────┴────────────────────────┘
 *                      │
 *                      └──record──▶ starting   (only while nothing was recorded)
 * ```
 * One file per call: "off" pauses it, "on" goes on in the same file. The file is finished when
 * the call ends (whatever the state, as long as something was recorded) and handed to the app.
 */
export enum RecordingState {
  Off = "off",
  Starting = "starting",
  On = "on",
  Paused = "paused",
  Failed = "failed",
}

export const RECORDING_MOVES: Readonly<Record<RecordingState, readonly RecordingState[]>> = {
  [RecordingState.Off]: [RecordingState.Starting],
  [RecordingState.Starting]: [RecordingState.On, RecordingState.Failed],
  [RecordingState.On]: [RecordingState.Paused, RecordingState.Failed],
  [RecordingState.Paused]: [RecordingState.On, RecordingState.Failed],
  [RecordingState.Failed]: [RecordingState.Starting],
};

/**
 * Why a recording failed (`recordingFailure` in the call snapshot; the UI words it). The call
 * itself goes on whatever happens here.
 * - `unsupported`: the browser has no MediaRecorder, or it records none of Opus in WebM/Ogg
 * - `blocked`: the browser would not start audio processing (an AudioContext stays suspended
 *   until the page has had a click)
 * - `no-room`: the browser's storage (navigator.storage.estimate) has too little room left
 * - `no-storage`: this phone has nowhere to keep recordings (a Phone used without the app)
 * - `full`: the file reached the room it was given and stopped; what was recorded is kept
 * - `recorder-error`: the browser's recorder failed mid-call; what was recorded is kept
 */
export type RecordingFailure = "unsupported" | "blocked" | "no-room" | "no-storage" | "full" | "recorder-error";

/** A refused start, as a code (thrown by the platform's recorder and by the app's `room()`). */
export class RecordingError extends Error {
  constructor(
    readonly code: RecordingFailure,
    detail = "",
  ) {
    super(`recording ${code}${detail ? `: ${detail}` : ""}`);
    this.name = "RecordingError";
  }
}

/** The platform's recorder of one call: its tracks mixed into one Opus file. */
export interface MixRecorder {
  /**
   * Mixes exactly `tracks` from now on: new ones are added, ones no longer listed (or ended)
   * dropped. MUST NOT stop, disable or otherwise change any of them: they are the call's.
   */
  follow(tracks: readonly MediaStreamTrack[]): void;
  pause(): void;
  resume(): void;
  /** Bytes of the file so far. */
  readonly bytes: number;
  /** Finishes the file (everything recorded so far) and frees the mixer. */
  stop(): Promise<Blob>;
}

export interface MixRecorderOptions {
  /** The file stops by itself once it is this big (`full`). */
  maxBytes: number;
  /** The recorder stopped by itself (full, or the browser's recorder failed); called once. */
  stopped(reason: "full" | "recorder-error"): void;
}

/** Starts a recorder on these tracks; rejects with a RecordingError (`unsupported`, `blocked`). */
export type MixRecorderFactory = (tracks: readonly MediaStreamTrack[], options: MixRecorderOptions) => Promise<MixRecorder>;

/** A finished recording, handed to the app with the call it belongs to. */
export interface CallAudio {
  callId: string;
  /** The call's `startedAt` (with `callId`, what finds its history entry). */
  callStartedAt: number;
  blob: Blob;
  /** The file's type, e.g. `audio/webm;codecs=opus`. */
  mimeType: string;
  /** How long was recorded (pauses left out), ms. */
  durationMs: number;
}

/**
 * Where recordings are kept (the app gives one: IndexedDB with the history entry). Loaded when a
 * recording starts.
 */
export interface RecordingSink {
  /**
   * The bytes a new recording may take; rejects with RecordingError `no-room` when the storage
   * has too little room left for a useful recording.
   */
  room(): Promise<number>;
  /** Keeps the file with its call's history entry; a failure to keep it is the sink's to record. */
  keep(audio: CallAudio): Promise<void>;
}
