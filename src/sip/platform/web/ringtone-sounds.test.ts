import { afterEach, describe, expect, it, vi } from "vitest";
import { WebAudioTonePlayer } from "./tones.js";

/** An AudioContext at 8 kHz whose buffers are plain arrays, and what it played. */
class FakeContext {
  static played: Float32Array[] = [];
  static decodes = 0;
  readonly sampleRate = 8000;
  readonly destination = { context: this };
  async resume() {}
  createBuffer(_channels: number, length: number) {
    const data = new Float32Array(length);
    return { duration: length / this.sampleRate, getChannelData: () => data };
  }
  createBufferSource() {
    const source = {
      buffer: undefined as { getChannelData(): Float32Array } | undefined,
      loop: false,
      connect: () => undefined,
      start: () => FakeContext.played.push(source.buffer!.getChannelData()),
      stop: () => undefined,
      disconnect: () => undefined,
    };
    return source;
  }
  async decodeAudioData(data: ArrayBuffer) {
    FakeContext.decodes++;
    if (new TextDecoder().decode(data) !== "RIFF") throw new DOMException("cannot decode", "EncodingError");
    return this.createBuffer(1, 800);
  }
}

/** The strongest of `freqs` in `data` (a crude DFT at those frequencies). */
function strongest(data: Float32Array, freqs: number[], rate = 8000): number {
  const power = (f: number) => {
    let re = 0,
      im = 0;
    for (let i = 0; i < Math.min(data.length, rate); i++) {
      re += data[i]! * Math.cos((2 * Math.PI * f * i) / rate);
      im += data[i]! * Math.sin((2 * Math.PI * f * i) / rate);
    }
    return re * re + im * im;
  };
  return freqs.reduce((best, f) => (power(f) > power(best) ? f : best));
}

const settle = () => new Promise((r) => setTimeout(r, 10));
const CANDIDATES = [400, 425, 440, 660, 1046.5, 1318.5];

afterEach(() => vi.unstubAllGlobals());

describe("the web tone player: each line's ringtone sounds as chosen, never silence", () => {
  it("built-in tones by name, each with its own frequencies; unknown and missing ones ring with the default", async () => {
    vi.stubGlobal("AudioContext", FakeContext);
    FakeContext.played = [];
    const files: Record<string, Blob> = { good: new Blob(["RIFF"]), bad: new Blob(["nope"]) };
    const player = new WebAudioTonePlayer(async (id) => files[id]);
    await import("./ringtone-sounds.js");
    for (const tone of ["classic", "european", "internal", "chime", "no-such-tone", "file:gone", "file:bad"]) {
      const stop = player.play("ringtone", tone);
      await settle();
      stop();
    }
    const heard = FakeContext.played.map((d) => strongest(d, CANDIDATES));
    expect(heard.slice(0, 4)).toEqual([400, 425, 660, expect.toSatisfy((f: number) => f === 1318.5 || f === 1046.5)]);
    // Unknown name, a file gone from storage, a file that does not decode: the default (classic).
    expect(heard.slice(4)).toEqual([400, 400, 400]);
    const stop = player.play("ringtone", "file:good");
    await settle();
    stop();
    expect(FakeContext.played).toHaveLength(8);
    expect(FakeContext.played[7]).toHaveLength(800);
  });

  it("a ring stopped before its sound loaded never starts", async () => {
    vi.stubGlobal("AudioContext", FakeContext);
    FakeContext.played = [];
    const player = new WebAudioTonePlayer();
    player.play("ringtone", "north-american")();
    await settle();
    expect(FakeContext.played).toEqual([]);
  });
});
