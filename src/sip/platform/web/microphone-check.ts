/** What the browser tells of the microphone without opening it. */
export interface MicrophoneAccess {
  /** The permission's state; undefined where the Permissions API does not know "microphone". */
  permission: PermissionState | undefined;
  /** Audio inputs the browser lists. */
  inputs: number;
}

/**
 * Whether a call's microphone will open without asking anybody: permission granted (or, where
 * the browser does not say, a microphone opened before in this page) and a device present.
 * Only then does a call on a standby leg send its INVITE before the microphone is open: with a
 * permission prompt up, or no device, the far end would ring for a call that cannot have a
 * sound, and a refusal would have to CANCEL it. Kept up to date as devices and the permission
 * change, and after every microphone opened or refused.
 */
export class MicrophoneCheck {
  private known = false;
  private openedBefore = false;

  constructor(
    private readonly access: () => Promise<MicrophoneAccess>,
    /** Registers a listener for device and permission changes. */
    subscribe?: (changed: () => void) => void,
  ) {
    subscribe?.(() => void this.refresh());
    void this.refresh();
  }

  /** True when the microphone is expected to open at once. */
  get likely(): boolean {
    return this.known;
  }

  /** A microphone was opened (`ok`) or refused: what the next call can expect. */
  noted(ok: boolean): void {
    this.openedBefore = ok;
    if (!ok) this.known = false;
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    try {
      const { permission, inputs } = await this.access();
      this.known = inputs > 0 && (permission === "granted" || (permission === undefined && this.openedBefore));
    } catch {
      this.known = false;
    }
  }
}
