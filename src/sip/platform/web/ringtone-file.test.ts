import { describe, expect, it } from "vitest";
import { MAX_RINGTONE_BYTES, ringtoneFileProblem } from "../../../config/ringtone-files.js";
import { isRingtone } from "../../../config/ringtones.js";
import { checkRingtoneFile } from "./ringtone-file.js";

const blob = (size: number, type: string) => new Blob([new Uint8Array(size)], { type });

describe("a user's ringtone file: checked before it is kept", () => {
  it("type and size, before decoding", () => {
    expect(ringtoneFileProblem({ type: "audio/mpeg", size: 1000 })).toBeUndefined();
    expect(ringtoneFileProblem({ type: "audio/ogg; codecs=opus", size: 1000 })).toBe("not-audio");
    expect(ringtoneFileProblem({ type: "video/mp4", size: 1000 })).toBe("not-audio");
    expect(ringtoneFileProblem({ type: "", size: 1000 })).toBe("not-audio");
    expect(ringtoneFileProblem({ type: "audio/wav", size: 0 })).toBe("empty");
    expect(ringtoneFileProblem({ type: "audio/wav", size: MAX_RINGTONE_BYTES })).toBeUndefined();
    expect(ringtoneFileProblem({ type: "audio/wav", size: MAX_RINGTONE_BYTES + 1 })).toBe("too-big");
  });

  it("decoded once: a file the browser cannot decode, or that holds no sound, is refused", async () => {
    let decoded = 0;
    const ok = async () => (decoded++, { duration: 2.5 });
    expect(await checkRingtoneFile(blob(100, "audio/wav"), ok)).toBeUndefined();
    expect(decoded).toBe(1);
    expect(await checkRingtoneFile(blob(100, "audio/wav"), () => Promise.reject(new DOMException("bad", "EncodingError")))).toBe(
      "undecodable",
    );
    expect(await checkRingtoneFile(blob(100, "audio/wav"), async () => ({ duration: 0 }))).toBe("undecodable");
    // Refused by type or size: not even decoded.
    expect(await checkRingtoneFile(blob(MAX_RINGTONE_BYTES + 1, "audio/wav"), ok)).toBe("too-big");
    expect(await checkRingtoneFile(blob(100, "text/html"), ok)).toBe("not-audio");
    expect(decoded).toBe(1);
  });

  it("a ringtone in the configuration: a built-in name or file:<id>", () => {
    expect(isRingtone("chime")).toBe(true);
    expect(isRingtone("file:3f1c-9a")).toBe(true);
    expect(isRingtone("file:")).toBe(false);
    expect(isRingtone("file:../x")).toBe(false);
    expect(isRingtone("https://example.com/ring.mp3")).toBe(false);
    expect(isRingtone(42)).toBe(false);
  });
});
