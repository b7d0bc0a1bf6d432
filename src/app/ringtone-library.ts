import type { AudioSettings } from "../config/audio-settings.js";
import { MAX_RINGTONE_FILES, type RingtoneFileProblem } from "../config/ringtone-files.js";
import type { RingtoneInfo } from "../storage/ringtone-store.js";
// Static, not import(): the tone player is in the page's first load already (web-platform.ts),
// and a dynamic import of a module the entry holds makes Rolldown split the entry into many
// chunks (rolldown/rolldown#10731; see shared-styles.ts).
import { WebAudioTonePlayer } from "../sip/platform/web/tones.js";

export type { RingtoneInfo };

/** A file refused as a ringtone, with the reason as a code (components/ringing-words.ts words it). */
export class RingtoneFileError extends Error {
  constructor(readonly problem: RingtoneFileProblem) {
    super(`Not a usable ringtone file (${problem})`);
    this.name = "RingtoneFileError";
  }
}

/** The user's ringtone files and the preview of any ringtone, for Settings → Ringtones. */
export interface RingtoneLibrary {
  list(): Promise<RingtoneInfo[]>;
  /** Checks `file` (type, size, decoded once) and keeps it; rejects with RingtoneFileError. */
  add(file: File): Promise<RingtoneInfo>;
  remove(id: string): Promise<void>;
  /** Plays `tone` (built-in name or `file:<id>`) on the ringer device at the ring volume; resolves with its stop. */
  preview(tone: string): Promise<() => void>;
}

/**
 * Loaded when Settings shows the ringtones (app/phone-app.ts `ringtones()`): storage, the file
 * check and the tone player come with it, not with the page.
 */
export async function ringtoneLibrary(audio: () => AudioSettings | undefined): Promise<RingtoneLibrary> {
  const [store, { checkRingtoneFile }, { ToneSink }] = await Promise.all([
    import("../storage/ringtone-store.js"),
    import("../sip/platform/web/ringtone-file.js"),
    import("../sip/platform/web/output-devices.js"),
  ]);
  return {
    list: () => store.listRingtones(),
    async add(file) {
      if ((await store.listRingtones()).length >= MAX_RINGTONE_FILES) throw new RingtoneFileError("full");
      const problem = await checkRingtoneFile(file);
      if (problem) throw new RingtoneFileError(problem);
      return store.addRingtone(file.name, file);
    },
    remove: (id) => store.deleteRingtone(id),
    async preview(tone) {
      // Its own context on the ringer device, as a call would ring (output-devices.ts).
      const sink = new ToneSink();
      const settings = audio() ?? {};
      await sink.route(settings.ringer ?? "", settings.ringVolume ?? 1);
      const player = new WebAudioTonePlayer((id) => store.readRingtone(id));
      player.output = () => sink.input();
      const stop = player.play("ringtone", tone);
      return () => {
        stop();
        void sink.ctx?.close().catch(() => undefined);
      };
    },
  };
}
