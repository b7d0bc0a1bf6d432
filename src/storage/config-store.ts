import { createStore, get, set } from "idb-keyval";
import type { AccountConfig, PhoneConfig } from "../config/phone-config.js";
import { isSealed, seal, unseal, type Sealed } from "./secret-box.js";

/**
 * The saved configuration. One record written in one IndexedDB transaction, so a reload in the
 * middle of a save leaves either the old or the new configuration, never half of one.
 */
const store = createStore("webphone-config", "config");
const KEY = "phone-config";
export const STORAGE_SCHEMA = 1;

interface StoredAccount extends Omit<AccountConfig, "password"> {
  password: Sealed;
}

interface StoredConfig {
  schema: typeof STORAGE_SCHEMA;
  config: { version: 1; accounts: StoredAccount[] };
  savedAt: number;
}

export class StorageError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = "StorageError";
  }
}

function describeStorageFailure(e: unknown): string {
  const name = (e as { name?: string } | null)?.name;
  if (name === "QuotaExceededError") return "The browser's storage for this site is full: free some space and save again";
  if (name === "InvalidStateError" || name === "UnknownError") return "The browser refused to open its storage (private window or disk problem)";
  return `Could not save the settings (${name ?? String(e)})`;
}

export async function saveConfig(config: PhoneConfig): Promise<void> {
  let record: StoredConfig;
  try {
    const accounts = await Promise.all(
      config.accounts.map(async (a) => ({ ...a, password: await seal(a.password) }) satisfies StoredAccount),
    );
    record = { schema: STORAGE_SCHEMA, config: { version: 1, accounts }, savedAt: Date.now() };
    await set(KEY, record, store);
  } catch (e) {
    throw new StorageError(describeStorageFailure(e), e);
  }
}

export async function loadConfig(): Promise<PhoneConfig | undefined> {
  const record = await get<StoredConfig>(KEY, store);
  if (!record) return undefined;
  const accounts = await Promise.all(
    record.config.accounts.map(async (a): Promise<AccountConfig> => ({
      ...a,
      password: isSealed(a.password) ? await unseal(a.password) : "",
    })),
  );
  return { version: 1, accounts };
}
