import type { AccountConfig, PhoneConfig } from "../config/phone-config.js";
import { validateConfig } from "../config/phone-config.js";
import { Phone, type PhoneOptions } from "../sip/phone.js";
import { WebAudioTonePlayer } from "../sip/tones.js";
import { loadConfig, saveConfig } from "../storage/config-store.js";

/**
 * Joins the phone to this page: saved configuration in, configuration changes saved
 * (validated first, all or nothing), browser network events to the lines.
 */
export class PhoneApp {
  readonly phone: Phone;
  private readonly onOnline = () => this.phone.networkOnline();

  constructor(options: PhoneOptions = {}) {
    this.phone = new Phone({ tones: new WebAudioTonePlayer(), ...options });
  }

  /** Loads the saved configuration and starts its lines. Returns it (undefined on first run). */
  async start(): Promise<PhoneConfig | undefined> {
    globalThis.addEventListener?.("online", this.onOnline);
    const saved = await loadConfig();
    if (saved) this.phone.configure(saved);
    return saved;
  }

  async stop(): Promise<void> {
    globalThis.removeEventListener?.("online", this.onOnline);
    await this.phone.dispose();
  }

  /** Validates (ConfigError names every bad field), saves, then applies. Nothing changes on error. */
  async configure(input: unknown): Promise<void> {
    const config = validateConfig(input);
    await saveConfig(config);
    this.phone.configure(config);
  }

  /** Adds or replaces one account, keeping the others. */
  async saveAccount(account: AccountConfig): Promise<void> {
    const current = this.phone.currentConfig;
    const accounts = current.accounts.some((a) => a.id === account.id)
      ? current.accounts.map((a) => (a.id === account.id ? account : a))
      : [...current.accounts, account];
    await this.configure({ version: 1, accounts });
  }
}
