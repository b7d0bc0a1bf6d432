// IndexedDB in Node (fake-indexeddb): the real storage code.
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { addRingtone, deleteRingtone, listRingtones, readRingtone } from "./ringtone-store.js";

describe("ringtone files in IndexedDB", () => {
  it("kept with their bytes, listed without them, read back, removed", async () => {
    const data = new Blob([new Uint8Array([1, 2, 3, 4])], { type: "audio/wav" });
    const info = await addRingtone("ring.wav", data, 1000);
    expect(info).toMatchObject({ name: "ring.wav", type: "audio/wav", size: 4, added: 1000 });
    expect(await listRingtones()).toEqual([info]);
    const back = await readRingtone(info.id);
    expect(new Uint8Array(await back!.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3, 4]));
    await deleteRingtone(info.id);
    expect(await listRingtones()).toEqual([]);
    expect(await readRingtone(info.id)).toBeUndefined();
  });
});
