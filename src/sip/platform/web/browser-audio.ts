import type { AudioSettings } from "../../../config/audio-settings.js";
import { microphoneConstraints, voiceProcessing, type AudioDevice, type AudioRole } from "../../api/audio-devices.js";
import type { AudioPlatform, TonePlayer } from "../../api/platform.js";
import type { CallOutput, MediaPlatform } from "./media-platform.js";
import { canChoose, routeTones, sendTo, type ToneOutput, type ToneSink } from "./output-devices.js";
import { WebAudioTonePlayer } from "./tones.js";

/** What the web platform lets the audio settings replace (web-platform.ts). */
export interface AudioPorts extends CallOutput {
  /** Opens every microphone (calls, standby leg, ringing): from the first `apply`, with the settings. */
  openMicrophone(): Promise<MediaStream>;
}

/**
 * The browser's audio devices for the phone (AudioPlatform): listed by enumerateDevices(), the
 * microphone opened with the chosen device and voice processing, calls played on the chosen
 * output (HTMLMediaElement.setSinkId) and tones on theirs (AudioContext.setSinkId,
 * output-devices.ts). Loaded on first use (audio settings, or the first call).
 */
export class BrowserAudio implements AudioPlatform {
  private settings: AudioSettings = {};
  private sinkId = "";
  private volume = 1;
  /** The tones' outputs, when the player is the Web Audio one. */
  private readonly tones: Record<ToneOutput, ToneSink> | undefined;

  constructor(
    private readonly media: MediaPlatform,
    private readonly ports: AudioPorts,
    tones?: TonePlayer,
    private readonly mediaDevices: MediaDevices | undefined = globalThis.navigator?.mediaDevices,
  ) {
    this.tones = tones instanceof WebAudioTonePlayer ? routeTones(tones) : undefined;
  }

  get outputs(): { speaker: boolean; ringer: boolean } {
    return { speaker: canChoose(globalThis.HTMLMediaElement), ringer: !!this.tones && canChoose(globalThis.AudioContext) };
  }

  async devices(): Promise<AudioDevice[]> {
    const all = (await this.mediaDevices?.enumerateDevices()) ?? [];
    return all.flatMap((d) =>
      d.kind === "audioinput" || d.kind === "audiooutput" ? [{ kind: d.kind, id: d.deviceId, label: d.label }] : [],
    );
  }

  onDeviceChange(listener: () => void): () => void {
    this.mediaDevices?.addEventListener("devicechange", listener);
    return () => this.mediaDevices?.removeEventListener("devicechange", listener);
  }

  async apply(settings: AudioSettings): Promise<AudioRole[]> {
    this.settings = settings;
    this.ports.openMicrophone = () => this.openMicrophone();
    this.ports.started = (audio) => {
      audio.volume = this.volume;
      // A device gone by now: the element stays on the default.
      if (this.sinkId) void audio.setSinkId?.(this.sinkId).catch(() => undefined);
    };
    const speaker = settings.speaker ?? "";
    const callVolume = settings.callVolume ?? 1;
    const failed = new Set<AudioRole>();
    if (!(await this.routeCalls(speaker, callVolume))) failed.add("speaker");
    const tones = this.tones;
    if (tones && !(await tones.call.route(speaker, callVolume))) failed.add("speaker");
    if (tones && !(await tones.ringer.route(settings.ringer ?? "", settings.ringVolume ?? 1))) failed.add("ringer");
    return [...failed];
  }

  /**
   * Voice processing in place. Chrome (to 156 at least, https://crbug.com/390804131) resolves
   * applyConstraints for these without changing anything, which getSettings() shows:
   * audio-routing.ts checks that and opens a new track where needed.
   */
  async adjust(track: MediaStreamTrack): Promise<boolean> {
    try {
      await track.applyConstraints(voiceProcessing(this.settings));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The chosen microphone, or the default where it cannot be opened (OverconstrainedError: not
   * there; NotReadableError: busy elsewhere): a call goes on with a microphone rather than
   * failing. A refusal (NotAllowedError) is not asked twice.
   */
  private async openMicrophone(): Promise<MediaStream> {
    const settings = this.settings;
    try {
      return await this.media.getUserMedia(microphoneConstraints(settings));
    } catch (e) {
      if (!settings.microphone || (e as Error).name === "NotAllowedError") throw e;
      return this.media.getUserMedia(microphoneConstraints({ ...settings, microphone: "" }));
    }
  }

  /** Every element playing a call, and every later one, on `sinkId` at `volume`; false when the device failed (the default then). */
  private async routeCalls(sinkId: string, volume: number): Promise<boolean> {
    this.volume = volume;
    this.sinkId = canChoose(globalThis.HTMLMediaElement) ? sinkId : "";
    let ok = true;
    for (const audio of this.ports.playing) {
      audio.volume = volume;
      ok = (await sendTo(audio, this.sinkId)) && ok;
    }
    if (!ok) this.sinkId = "";
    return ok;
  }
}
