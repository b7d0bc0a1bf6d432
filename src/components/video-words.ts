import type { Words } from "../i18n/words.js";
import { PhoneError } from "../sip/api/phone-errors.js";

/** Why a video action failed, in words (the catalogue's `video.*` messages). */
export function videoError(w: Words, e: unknown): string {
  const name = (e as Error | undefined)?.name;
  if (name === "NotAllowedError") return w.t("video.notAllowed");
  if (name === "NotFoundError" || name === "OverconstrainedError") return w.t("video.noCamera");
  if (name === "NotReadableError") return w.t("video.cameraInUse");
  if (e instanceof PhoneError && e.code === "no-video") return w.t("video.refused");
  if (e instanceof PhoneError && e.code === "bad-state") return w.t("video.notConnected");
  return (e as Error | undefined)?.message ?? String(e);
}
