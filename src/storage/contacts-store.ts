import { createStore, del, set, values } from "idb-keyval";
import { describeStorageFailure, StorageError } from "./storage-error.js";

export interface ContactNumber {
  label: string;
  number: string;
}

export interface Contact {
  id: string;
  name: string;
  numbers: ContactNumber[];
  notes?: string;
}

const store = createStore("webphone-contacts", "contacts");

export async function listContacts(): Promise<Contact[]> {
  return (await values<Contact>(store)).sort((a, b) => a.name.localeCompare(b.name));
}

export async function saveContact(contact: Contact): Promise<void> {
  try {
    await set(contact.id, contact, store);
  } catch (e) {
    throw new StorageError(describeStorageFailure(e), e);
  }
}

export function deleteContact(id: string): Promise<void> {
  return del(id, store);
}
