import { createStore, get, update } from "idb-keyval";

/**
 * Secrets at rest: AES-GCM under a non-extractable key that lives only in this browser's
 * IndexedDB. Script on the page can use the key but never read it, and a copy of the database
 * files or an export holds only ciphertext.
 */
export interface Sealed {
  /** Marks the value as encrypted; plain strings are never stored for secrets. */
  sealed: 1;
  iv: Uint8Array;
  data: ArrayBuffer;
}

const keyStore = createStore("webphone-keys", "keys");
const KEY_NAME = "secrets-v1";
let keyPromise: Promise<CryptoKey> | undefined;

async function secretKey(): Promise<CryptoKey> {
  const existing = await get<CryptoKey>(KEY_NAME, keyStore);
  if (existing) return existing;
  const fresh = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
  // Two tabs may race to create the key: the first one stored wins and both use it.
  await update<CryptoKey>(KEY_NAME, (old) => old ?? fresh, keyStore);
  return (await get<CryptoKey>(KEY_NAME, keyStore))!;
}

function key(): Promise<CryptoKey> {
  keyPromise ??= secretKey().catch((e: unknown) => {
    keyPromise = undefined;
    throw e;
  });
  return keyPromise;
}

/** Starts opening the key store now, so that a later unseal() does not wait for it. */
export function prepareKey(): void {
  void key().catch(() => undefined);
}

export async function seal(text: string): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await key(), new TextEncoder().encode(text));
  return { sealed: 1, iv, data };
}

export async function unseal(box: Sealed): Promise<string> {
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: box.iv as BufferSource }, await key(), box.data);
  return new TextDecoder().decode(plain);
}

export function isSealed(v: unknown): v is Sealed {
  return typeof v === "object" && v !== null && (v as Sealed).sealed === 1;
}
