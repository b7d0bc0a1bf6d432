import { mergeAudioSettings, validateAudioSettings, type AudioSettings } from "../../config/audio-settings.js";
import { getLogger } from "../core/logger.js";
import {
  inEffect,
  microphoneDiffers,
  microphoneFit,
  noticesBetween,
  unavailableRoles,
  type AudioDevice,
  type AudioDeviceList,
  type AudioDeviceNotice,
  type AudioRole,
} from "./audio-devices.js";
import type { AudioPlatform } from "./platform.js";

const log = getLogger("audio");

/** A call as the routing sees it: its microphone tracks (none for click-to-call legs). */
export interface MicrophoneUser {
  readonly id: string;
  readonly microphone: MediaStreamTrack[];
}

export interface AudioRoutingDeps {
  /** Undefined on a platform without devices: settings are kept, nothing is applied. */
  audio: AudioPlatform | undefined;
  /** A microphone opened with the settings in force (platform.openMicrophone). */
  openMicrophone(): Promise<MediaStream>;
  /** The calls, whose microphones follow the settings. */
  calls(): MicrophoneUser[];
  /** Puts `track` in place of a call's microphone: RTCRtpSender.replaceTrack, no re-INVITE. */
  replaceMicrophone(callId: string, track: MediaStreamTrack): Promise<void>;
  /** The microphone settings changed: a standby leg opened under the old ones is opened again. */
  microphoneChanged(): void;
  /** A chosen device went away or came back: the phone's `audio-device` event. */
  announce(notice: AudioDeviceNotice): void;
}

/**
 * Which devices the phone uses, kept in force while devices come and go:
 * - `set()` takes the user's choice and voice processing; calls move to the new microphone at
 *   once (RTCRtpSender.replaceTrack: the other side sees no re-INVITE, RTP goes on), or keep
 *   their track where the browser changes its processing in place (applyConstraints);
 * - a chosen device that is missing (unplugged, or an id from before) gives way to the system's
 *   default, with an `audio-device` notice; calls on it move to the default without dropping;
 *   when it is back it is used again, with a notice too;
 * - a call's microphone track that ends (the device went away) is replaced the same way.
 * Nothing here opens a microphone while no call is up: microphones are opened for calls only.
 * Every refresh runs after the previous one (device events come in bursts).
 */
export class AudioRouting {
  private settings: AudioSettings = {};
  private applied: AudioSettings | undefined;
  private unavailable = new Set<AudioRole>();
  private devices: AudioDevice[] = [];
  private queue: Promise<void> = Promise.resolve();
  private readonly watched = new WeakSet<MediaStreamTrack>();
  /** The chosen microphone is listed but would not open (busy): until one opens it, or another is chosen. */
  private micWontOpen = false;
  /** Calls seen established (checked once each). */
  private readonly up = new Set<string>();

  constructor(private readonly deps: AudioRoutingDeps) {
    deps.audio?.onDeviceChange(() => void this.refresh());
  }

  get current(): AudioSettings {
    return { ...this.settings };
  }

  /** Changes some settings (a key left out stays); resolves, with all the settings, once calls use them. */
  async set(patch: AudioSettings): Promise<AudioSettings> {
    const valid = validateAudioSettings(patch);
    const next = mergeAudioSettings(this.settings, valid);
    // A role chosen anew starts afresh: no "back" notice for a device the user has just picked.
    for (const role of ["microphone", "speaker", "ringer"] as const) if (next[role] !== this.settings[role]) this.unavailable.delete(role);
    if (next.microphone !== this.settings.microphone) this.micWontOpen = false;
    this.settings = next;
    await this.refresh();
    return this.current;
  }

  /** The devices, what the browser lets us choose, and the settings in force. */
  async list(): Promise<AudioDeviceList> {
    const audio = this.deps.audio;
    const devices = audio ? await audio.devices() : [];
    return {
      devices,
      outputs: audio?.outputs ?? { speaker: false, ringer: false },
      settings: this.current,
      unavailable: [...this.unavailable],
    };
  }

  /**
   * A call is up (told at each of its changes while established): its microphone is checked
   * once (a ringing call's or the standby leg's may have been opened before a change) and
   * watched for its end.
   */
  callUp(callId: string): void {
    if (this.up.has(callId)) return;
    this.up.add(callId);
    void this.refresh();
  }

  /** Re-reads the devices and brings the platform and every call in line (one at a time; a failure is logged). */
  refresh(): Promise<void> {
    return (this.queue = this.queue.then(() => this.bringInLine()).catch((e: Error) => log.warn("audio devices not applied:", e.message)));
  }

  private async bringInLine(): Promise<void> {
    const audio = this.deps.audio;
    if (!audio) return;
    const settings = this.settings;
    // An unplugged device is named from the list before it went.
    const known = this.devices;
    this.devices = await audio.devices().catch(() => known);
    const missing = new Set(unavailableRoles(settings, this.devices));
    // Plugged in again: worth opening.
    if (unavailableRoles(settings, known).includes("microphone") && !missing.has("microphone")) this.micWontOpen = false;
    const effective = inEffect(settings, missing);
    for (const role of await audio.apply(effective)) missing.add(role);
    if (this.applied && microphoneDiffers(this.applied, effective)) this.deps.microphoneChanged();
    this.applied = effective;
    await this.moveMicrophones(effective);
    if (this.micWontOpen) missing.add("microphone");
    const before = this.unavailable;
    this.unavailable = missing;
    for (const notice of noticesBetween(settings, before, missing, [...this.devices, ...known])) this.deps.announce(notice);
  }

  /** Moves each call whose microphone does not fit (noting whether the chosen one opens). */
  private async moveMicrophones(settings: AudioSettings): Promise<void> {
    const calls = this.deps.calls();
    for (const id of this.up) if (!calls.some((c) => c.id === id)) this.up.delete(id);
    for (const call of calls) {
      const track = call.microphone[0];
      if (!track) continue;
      this.watch(track);
      let fit = track.readyState === "live" ? microphoneFit(track.getSettings(), settings, this.devices) : "device";
      if (fit === "processing" && (await this.deps.audio!.adjust(track))) fit = microphoneFit(track.getSettings(), settings, this.devices);
      if (fit === "fits") {
        if (settings.microphone && track.getSettings().deviceId === settings.microphone) this.micWontOpen = false;
        continue;
      }
      const next = await this.deps.openMicrophone().then(
        (s) => s.getAudioTracks()[0],
        (e: Error) => void log.warn(`call ${call.id}: no microphone to move to:`, e.message),
      );
      if (!next) continue;
      const opened = next.getSettings().deviceId;
      const failed = !!settings.microphone && !!opened && opened !== settings.microphone;
      if (settings.microphone && opened) this.micWontOpen = failed;
      if (failed) {
        // The chosen one would not open (busy, gone meanwhile): a live track already on the
        // device the browser gave instead stays, rather than being swapped at every refresh.
        const now = track.getSettings();
        if (
          track.readyState === "live" &&
          now.deviceId === opened &&
          microphoneFit(now, { ...settings, microphone: "" }, this.devices) === "fits"
        ) {
          next.stop();
          continue;
        }
      }
      this.watch(next);
      try {
        await this.deps.replaceMicrophone(call.id, next);
        log.info(`call ${call.id}: microphone now ${next.label || opened || "default"}`);
      } catch (e) {
        next.stop();
        log.warn(`call ${call.id}: microphone not replaced:`, (e as Error).message);
      }
    }
  }

  /**
   * A track that ends (its device unplugged: the source is gone, Media Capture and Streams
   * https://w3c.github.io/mediacapture-main/#track-ended) sends the call to the device in force.
   * A track we stop ourselves fires no `ended`.
   */
  private watch(track: MediaStreamTrack): void {
    if (this.watched.has(track)) return;
    this.watched.add(track);
    track.addEventListener?.("ended", () => void this.refresh());
  }
}
