import { Phone, type PhoneOptions } from "../sip/api/phone.js";
import { WebAudioTonePlayer } from "../sip/platform/web/tones.js";
import { webPlatform } from "../sip/platform/web/web-platform.js";
import { PhoneApp } from "./phone-app.js";
import type { StoredStart } from "./stored-start.js";

/**
 * Offline means this page cannot reach even its own server (one no-store request that the
 * service worker does not answer from its cache). `navigator.onLine` is no help: it only says
 * whether some network interface is up, not whether anything is reachable.
 */
async function probeOffline(): Promise<boolean> {
  if (typeof fetch !== "function" || typeof location === "undefined" || !/^https?:$/.test(location.protocol)) return false;
  try {
    await fetch(new URL(`/.well-known/webphone-network-probe?${Date.now()}`, location.href), {
      method: "HEAD",
      cache: "no-store",
      credentials: "omit",
    });
    return false; // any answer, even 404, means the network works
  } catch {
    return true;
  }
}

export type PhoneAppOptions = Partial<PhoneOptions> & { tabGroup?: string; stored?: Promise<StoredStart> };

/**
 * The composition root of the phone in a browser page: a `Phone` on the web platform
 * (WebSockets, WebRTC, Web Audio tones), inside the `PhoneApp` that joins it to storage and to
 * the other tabs. The entry points give it to `<sip-phone>` (src/install-app.ts); tests build
 * their own parts instead.
 */
export function createPhoneApp(options: PhoneAppOptions = {}): PhoneApp {
  const { tabGroup, stored, ...phoneOptions } = options;
  // The user's ringtone files are read from storage when a line first rings with one.
  const tones = new WebAudioTonePlayer(async (id) => (await import("../storage/ringtone-store.js")).readRingtone(id));
  const phone = new Phone({ platform: webPlatform({ tones }), probeOffline, ...phoneOptions });
  return new PhoneApp(phone, { tabGroup, stored });
}
