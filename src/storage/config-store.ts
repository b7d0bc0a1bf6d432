import { createStore, get, set } from "idb-keyval";
import type { AccountConfig, IceServerConfig, PhoneConfig } from "../config/phone-config.js";
import { describeStorageFailure, StorageError } from "./storage-error.js";
import { isSealed, prepareKey, seal, unseal, type Sealed } from "./secret-box.js";

/**
 * The saved configuration. One record written in one IndexedDB transaction, so a reload in the
 * middle of a save leaves either the old or the new configuration, never half of one.
 *
 * Schema history (migrations in `migrate()`, tested on records written in each old format):
 * - 1: `{schema: 1, config: {version: 1, accounts: [{...account, password: Sealed}]}, savedAt}`;
 *      ICE server credentials in plain text.
 * - 2: as 1, and every `iceServers[].credential` is Sealed too.
 */
const store = createStore("webphone-config", "config");
const KEY = "phone-config";
export const CONFIG_SCHEMA = 2;

interface StoredIceServer extends Omit<IceServerConfig, "credential"> {
  credential?: Sealed | string;
}

interface StoredAccount extends Omit<AccountConfig, "password" | "iceServers"> {
  password: Sealed;
  iceServers?: StoredIceServer[];
}

export interface StoredConfig {
  schema: number;
  config: { version: 1; accounts: StoredAccount[] };
  savedAt: number;
}

async function sealAccount(a: AccountConfig): Promise<StoredAccount> {
  const iceServers = a.iceServers
    ? await Promise.all(
        a.iceServers.map(async (s) => (s.credential === undefined ? { ...s } : { ...s, credential: await seal(s.credential) })),
      )
    : undefined;
  return { ...a, password: await seal(a.password), ...(iceServers ? { iceServers } : {}) };
}

async function unsealAccount(a: StoredAccount): Promise<AccountConfig> {
  const { iceServers: stored, password, ...rest } = a;
  const iceServers: IceServerConfig[] | undefined = stored
    ? await Promise.all(
        stored.map(async ({ credential, ...server }) =>
          credential === undefined
            ? server
            : { ...server, credential: isSealed(credential) ? await unseal(credential) : String(credential) },
        ),
      )
    : undefined;
  return { ...rest, password: isSealed(password) ? await unseal(password) : "", ...(iceServers ? { iceServers } : {}) };
}

/** Brings a record of any earlier schema to the current one. */
async function migrate(record: StoredConfig): Promise<{ record: StoredConfig; changed: boolean }> {
  if (record.schema > CONFIG_SCHEMA) {
    throw new StorageError(`The saved settings were written by a newer version of the phone (schema ${record.schema}); update the app`);
  }
  if (record.schema === CONFIG_SCHEMA) return { record, changed: false };
  // 1 -> 2: seal ICE credentials that version 1 kept in plain text.
  const accounts = await Promise.all(record.config.accounts.map(async (a) => sealAccount(await unsealAccount(a))));
  return { record: { schema: CONFIG_SCHEMA, config: { version: 1, accounts }, savedAt: record.savedAt }, changed: true };
}

export async function saveConfig(config: PhoneConfig): Promise<void> {
  try {
    const accounts = await Promise.all(config.accounts.map(sealAccount));
    const record: StoredConfig = { schema: CONFIG_SCHEMA, config: { version: 1, accounts }, savedAt: Date.now() };
    await set(KEY, record, store);
  } catch (e) {
    throw new StorageError(describeStorageFailure(e), e);
  }
}

export async function loadConfig(): Promise<PhoneConfig | undefined> {
  prepareKey();
  const stored = await get<StoredConfig>(KEY, store);
  if (!stored) return undefined;
  const { record, changed } = await migrate(stored);
  if (changed) await set(KEY, record, store);
  return { version: 1, accounts: await Promise.all(record.config.accounts.map(unsealAccount)) };
}

/** For migration tests: writes a record exactly as given. */
export function writeRawConfigRecord(record: unknown): Promise<void> {
  return set(KEY, record, store);
}

export function readRawConfigRecord(): Promise<unknown> {
  return get(KEY, store);
}
