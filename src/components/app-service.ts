import type { AccountConfig } from "../config/phone-config.js";
import { PHONE_COMMANDS } from "../sip/api/commands.js";
import type { AccountView, AppService, ImportSummary } from "./app-context.js";
import type { AppCore } from "./app-factory.js";
import { downloadText } from "./download.js";
import type { PhoneService } from "./phone-service.js";

/*
 * What `<sip-phone>` provides to its views. The shadow roots are open (host pages style and
 * test through them), so anything a view holds is reachable from the page:
 * `el.shadowRoot.querySelector("sip-lines-editor").app`. These objects are therefore made of
 * closures only (a closure's variables cannot be read from outside): no property leads to the
 * app, the SIP phone or a configuration with passwords.
 */

/** A line without its secrets. */
export function accountView(a: AccountConfig): AccountView {
  const { password, iceServers, ...rest } = a;
  return {
    ...structuredClone(rest),
    passwordSaved: password !== "",
    ...(iceServers ? { iceServers: iceServers.map(({ credential: _c, ...s }) => structuredClone(s)) } : {}),
  };
}

/** The app's services for the views: accounts without secrets, export only as a download. */
export function appServiceFor(app: AppCore): AppService {
  const hadPassword = (id: string) => app.config.accounts.some((a) => a.id === id && a.password !== "");
  const labelOf = (a: AccountConfig) => a.label || a.displayName || a.sipUri;
  return Object.freeze({
    on: (type, listener) => app.on(type, listener),
    get settings() {
      return structuredClone(app.settings);
    },
    get accounts() {
      return app.config.accounts.map(accountView);
    },
    async saveAccount(account) {
      const before = hadPassword(account.id);
      await app.saveAccount(account);
      return { needsPassword: before && !hadPassword(account.id) };
    },
    testAccount: (account) => app.testAccount(account),
    removeAccount: (id) => app.removeAccount(id),
    setEnabled: (id, enabled) => app.setEnabled(id, enabled),
    async importText(text): Promise<ImportSummary> {
      const before = new Set(app.config.accounts.filter((a) => a.password !== "").map((a) => a.id));
      const config = await app.importText(text);
      const needPassword = config.accounts.filter((a) => before.has(a.id) && a.password === "").map(labelOf);
      return { lines: config.accounts.length, needPassword };
    },
    exportFile(includeSecrets) {
      const name = includeSecrets ? "phone-config-with-passwords.json" : "phone-config.json";
      downloadText(name, app.exportText(includeSecrets), "application/json");
    },
    updateSettings: (patch) => app.updateSettings(patch),
    recentHistory: (limit) => app.recentHistory(limit),
    allHistory: () => app.allHistory(),
    clearHistory: () => app.clearHistory(),
    deleteHistoryEntry: (entry) => app.deleteHistoryEntry(entry),
    recordingOf: (entry) => app.recordingOf(entry),
    historyCsv: () => app.historyCsv(),
    missedCount: () => app.missedCount(),
    markHistoryViewed: () => app.markHistoryViewed(),
    recentMessages: (limit) => app.recentMessages(limit),
    unreadMessages: () => app.unreadMessages(),
    markMessagesRead: (remote) => app.markMessagesRead(remote),
    listContacts: () => app.listContacts(),
    saveContact: (c) => app.saveContact(c),
    deleteContact: (id) => app.deleteContact(id),
    setDnd: (on, lineId, code) => app.setDnd(on, lineId, code),
    setForward: (lineId, target, options) => app.setForward(lineId, target, options),
    watch: (target, lineId) => app.watch(target, lineId),
    unwatch: (target) => app.unwatch(target),
    setAudio: (patch) => app.setAudio(patch),
    setRingtones: (id, patch) => app.setRingtones(id, patch),
    ringtones: () => app.ringtones(),
  } satisfies AppService);
}

/**
 * The phone for the views: the commands and the state, as closures. (The phone itself, a
 * proxy over the tab's SharedPhone, would lead to the SIP phone and its lines' credentials.)
 */
export function phoneServiceFor(phone: PhoneService): PhoneService {
  const commands = Object.fromEntries(
    PHONE_COMMANDS.map((name) => [name, (...args: unknown[]) => (phone[name] as (...a: unknown[]) => unknown)(...args)]),
  );
  const service = {
    ...commands,
    get lines() {
      return phone.lines;
    },
    get calls() {
      return phone.calls;
    },
    get trace() {
      return phone.trace;
    },
    get watched() {
      return phone.watched;
    },
    on: ((type: never, listener: never) => phone.on(type, listener)) as PhoneService["on"],
    offHook: (lineId?: string) => phone.offHook(lineId),
    onHook: () => phone.onHook(),
    // The video area's pictures (this tab's media only; a follower tab has none).
    videoMedia: (callId: string) => phone.videoMedia?.(callId),
  };
  return Object.freeze(service) as unknown as PhoneService;
}
