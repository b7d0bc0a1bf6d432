import type { PhoneConfig } from "../config/phone-config.js";
import { PHONE_COMMANDS } from "../sip/api/commands.js";
import type { SipTrace } from "../sip/core/sip-trace.js";
import type { Settings } from "../storage/settings-store.js";
import type { AppCore, SipPhoneApp } from "./app-factory.js";

/**
 * The app's code (the SIP stack, storage, the tab election: src/app/compose.ts and all it
 * imports) is most of the phone's JavaScript, and none of it is needed to paint the phone.
 * `<sip-phone>` gets this stand-in at once and the real app when its chunk has loaded: the
 * element paints (with no lines yet, as it does until the saved configuration is read anyway)
 * while the SIP stack downloads and compiles in parallel. Loading starts the moment the element
 * is built; `start()` waits for it, then starts the real app.
 *
 * `startNow` (the app page, src/main.ts): the app starts (reads what was saved, registers its
 * lines) as soon as its code has loaded, before any element exists; the first start() then
 * takes that start instead of beginning another.
 *
 * Until then: no lines, no calls, default settings and an empty configuration; subscriptions
 * are kept and made on the real app when it comes; every command and storage call waits for
 * it. Nothing can call before `start()` has been asked for: the element starts its app when it
 * connects, before anything is rendered.
 */
export function deferredApp(load: () => Promise<SipPhoneApp>, options: { startNow?: boolean } = {}): EarlyStartedApp {
  return new DeferredApp(load, options.startNow ?? false);
}

/** An app, and the start begun with `startNow` (which its first start() returns). */
export type EarlyStartedApp = SipPhoneApp & { readonly startedEarly?: Promise<PhoneConfig | undefined> };

/** The app's code could not be loaded (offline without the cached app, a deployment mid-update). */
export class AppLoadError extends Error {
  override readonly name = "AppLoadError";
}

/** The app's methods that return a promise: each waits for the real app, then runs on it. */
const WAITING_METHODS = [
  "saveAccount",
  "testAccount",
  "removeAccount",
  "setEnabled",
  "importText",
  "updateSettings",
  "recentHistory",
  "allHistory",
  "clearHistory",
  "deleteHistoryEntry",
  "recordingOf",
  "historyCsv",
  "missedCount",
  "markHistoryViewed",
  "recentMessages",
  "unreadMessages",
  "markMessagesRead",
  "listContacts",
  "saveContact",
  "deleteContact",
  "setDnd",
  "setForward",
  "watch",
  "unwatch",
  "setAudio",
  "setRingtones",
  "ringtones",
  "configure",
] as const satisfies ReadonlyArray<keyof SipPhoneApp>;

// Every method of the app is either waited for, or one of the synchronous members written out
// below: a member added to AppCore and forgotten here is a compile error.
type Unhandled = Exclude<keyof AppCore, (typeof WAITING_METHODS)[number] | "on" | "config" | "settings" | "exportText">;
const everyMethodHandled: [Unhandled] extends [never] ? true : Unhandled = true;
void everyMethodHandled;

type Off = () => void;

/** Subscriptions made before there is anything to subscribe to, made when there is. */
class PendingSubscriptions<T extends { on(type: never, listener: never): Off }> {
  private readonly pending = new Set<{ type: string; listener: unknown; off?: Off }>();
  private target: T | undefined;

  on(type: string, listener: unknown): Off {
    const on = this.target?.on as ((t: string, l: unknown) => Off) | undefined;
    if (on) return on.call(this.target, type, listener);
    const sub: { type: string; listener: unknown; off?: Off } = { type, listener };
    this.pending.add(sub);
    return () => {
      this.pending.delete(sub);
      sub.off?.();
    };
  }

  attach(target: T): void {
    this.target = target;
    const on = target.on as (t: string, l: unknown) => Off;
    for (const sub of this.pending) sub.off = on.call(target, sub.type, sub.listener);
  }
}

const EMPTY_CONFIG: PhoneConfig = Object.freeze({ version: 1, accounts: Object.freeze([]) as unknown as PhoneConfig["accounts"] });
const DEFAULT_SETTINGS: Settings = Object.freeze({ historyViewedAt: 0 });

// The waiting methods are installed by the constructor; this merged interface gives them their types.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
interface DeferredApp extends Pick<SipPhoneApp, (typeof WAITING_METHODS)[number]> {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
class DeferredApp {
  private real: SipPhoneApp | undefined;
  private readonly loading: Promise<SipPhoneApp>;
  private readonly appEvents = new PendingSubscriptions<SipPhoneApp>();
  private readonly phoneEvents = new PendingSubscriptions<SipPhoneApp["phone"]>();
  private headers: string[] | undefined;
  /** The start begun before any element asked for it (startNow): the first start() is this one. */
  private early: Promise<PhoneConfig | undefined> | undefined;
  readonly startedEarly: Promise<PhoneConfig | undefined> | undefined;
  readonly phone: SipPhoneApp["phone"];

  constructor(load: () => Promise<SipPhoneApp>, startNow: boolean) {
    this.loading = load().then(
      (app) => {
        this.real = app;
        if (this.headers) app.captureHeaders(this.headers);
        this.appEvents.attach(app);
        this.phoneEvents.attach(app.phone);
        return app;
      },
      (e: Error) => {
        throw new AppLoadError(e.message, { cause: e });
      },
    );
    // A failed load is reported by start(); this keeps it from also being an unhandled rejection.
    this.loading.catch(() => undefined);
    this.phone = deferredPhone(this);
    if (startNow) {
      this.early = this.startedEarly = this.loading.then((app) => app.start());
      this.early.catch(() => undefined); // reported by the start() that takes it
    }
    for (const name of WAITING_METHODS) {
      (this as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
        const app = await this.loading;
        return (app[name] as (...a: unknown[]) => unknown).apply(app, args);
      };
    }
  }

  /** The real app, once loaded. */
  get loaded(): SipPhoneApp | undefined {
    return this.real;
  }

  get ready(): Promise<SipPhoneApp> {
    return this.loading;
  }

  subscribePhone(type: string, listener: unknown): Off {
    return this.phoneEvents.on(type, listener);
  }

  on(type: string, listener: unknown): Off {
    return this.appEvents.on(type, listener);
  }

  get config(): PhoneConfig {
    return this.real?.config ?? EMPTY_CONFIG;
  }

  get settings(): Settings {
    return this.real?.settings ?? DEFAULT_SETTINGS;
  }

  exportText(includeSecrets: boolean): string {
    if (!this.real) throw new Error("The phone is still starting: try again in a moment");
    return this.real.exportText(includeSecrets);
  }

  captureHeaders(names: string[]): void {
    this.headers = names;
    this.real?.captureHeaders(names);
  }

  async start(): Promise<PhoneConfig | undefined> {
    const early = this.early;
    this.early = undefined;
    return early ?? (await this.loading).start();
  }
}

/** The phone of a deferred app: empty until the app is loaded, then the app's. */
function deferredPhone(app: DeferredApp): SipPhoneApp["phone"] {
  const commands = Object.fromEntries(
    PHONE_COMMANDS.map((name) => [
      name,
      async (...args: unknown[]) => {
        const { phone } = await app.ready;
        return (phone[name] as (...a: unknown[]) => unknown).apply(phone, args);
      },
    ]),
  );
  return {
    ...commands,
    get isLeader() {
      return app.loaded?.phone.isLeader ?? false;
    },
    get lines() {
      return app.loaded?.phone.lines ?? [];
    },
    get calls() {
      return app.loaded?.phone.calls ?? [];
    },
    get watched() {
      return app.loaded?.phone.watched ?? [];
    },
    get trace(): SipTrace {
      const real = app.loaded;
      if (!real) throw new Error("The phone is still starting: no SIP trace yet");
      return real.phone.trace;
    },
    on: (type: never, listener: never) => app.subscribePhone(type, listener),
    // Off-hook only prepares a faster call: before the phone is there, there is nothing to prepare.
    offHook: (lineId?: string) => app.loaded?.phone.offHook(lineId),
    onHook: () => app.loaded?.phone.onHook(),
    videoMedia: (callId: string) => app.loaded?.phone.videoMedia?.(callId),
  } as unknown as SipPhoneApp["phone"];
}
