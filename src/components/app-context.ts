import { createContext } from "@lit/context";
import type { PhoneApp } from "../app/phone-app.js";

/** App-level services (accounts, history, contacts, settings) for the views that need them. */
export type AppService = Pick<
  PhoneApp,
  | "on"
  | "config"
  | "settings"
  | "saveAccount"
  | "removeAccount"
  | "setEnabled"
  | "importText"
  | "exportText"
  | "updateSettings"
  | "recentHistory"
  | "allHistory"
  | "clearHistory"
  | "historyCsv"
  | "missedCount"
  | "markHistoryViewed"
  | "listContacts"
  | "saveContact"
  | "deleteContact"
  | "setDnd"
  | "setForward"
>;

export const appContext = createContext<AppService | undefined>(Symbol("sip-phone-app"));
