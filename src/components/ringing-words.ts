import type { RingtoneFileProblem } from "../config/ringtone-files.js";
import { MAX_RINGTONE_FILES } from "../config/ringtone-files.js";
import type { BuiltInRingtone } from "../config/ringtones.js";
import type { PlainId } from "../i18n/catalogue.js";
import type { Words } from "../i18n/words.js";

/** The catalogue's name of each built-in ringtone. */
export const RINGTONE_NAMES: Record<BuiltInRingtone, PlainId> = {
  classic: "ringtone.classic",
  european: "ringtone.european",
  "north-american": "ringtone.northAmerican",
  chime: "ringtone.chime",
  internal: "ringtone.internal",
};

/** Why a ringtone file was refused, in words. */
export function fileProblemText(w: Words, problem: RingtoneFileProblem): string {
  switch (problem) {
    case "not-audio":
      return w.t("ringtone.notAudio");
    case "too-big":
      return w.t("ringtone.tooBig");
    case "empty":
      return w.t("ringtone.empty");
    case "undecodable":
      return w.t("ringtone.undecodable");
    case "full":
      return w.t("ringtone.tooMany", { count: MAX_RINGTONE_FILES });
  }
}
