import type { CallSnapshot } from "../sip/api/call-state.js";
import {
  headsetLayout,
  isTelephonyHeadset,
  lightReports,
  readInput,
  TELEPHONY_PAGE,
  type HeadsetLayout,
  type HidCollectionInfo,
} from "../sip/api/headset-reports.js";
import { HeadsetState } from "../sip/api/headset-state.js";
import { runCommand, type MediaPhone } from "./headset-media-session.js";

/**
 * USB headsets' call buttons and lights through WebHID (https://wicg.github.io/webhid/; Chromium
 * desktop only, docs/media.md): the hook switch answers and hangs up, the mute button mutes, and
 * the ring / off-hook / mute lights follow the phone. A device is asked for once, on the user's
 * "Connect headset" click (requestDevice needs that gesture); the browser remembers the grant,
 * and the next start finds it again (getDevices). Loaded on first use.
 */

/** What of WebHID's HIDDevice is used. */
export interface HidDeviceLike {
  readonly opened: boolean;
  readonly productName: string;
  readonly collections: HidCollectionInfo[];
  open(): Promise<void>;
  close(): Promise<void>;
  sendReport(reportId: number, data: Uint8Array<ArrayBuffer>): Promise<void>;
  addEventListener(type: "inputreport", listener: (e: { reportId: number; data: DataView }) => void): void;
  removeEventListener(type: "inputreport", listener: (e: { reportId: number; data: DataView }) => void): void;
}

/** What of `navigator.hid` is used. */
export interface HidLike {
  requestDevice(options: { filters: { usagePage?: number; usage?: number }[] }): Promise<HidDeviceLike[]>;
  getDevices(): Promise<HidDeviceLike[]>;
  addEventListener(type: "disconnect", listener: (e: { device: HidDeviceLike }) => void): void;
}

export type HeadsetPhone = MediaPhone & { readonly calls: readonly CallSnapshot[] };

interface Attached {
  layout: HeadsetLayout;
  state: HeadsetState;
  stop(): void;
}

/** Thrown by connect() when the chosen device has no telephony controls. */
export class NotTelephonyError extends Error {
  override name = "NotTelephonyError";
}

export class HidHeadsets {
  private readonly attached = new Map<HidDeviceLike, Attached>();

  constructor(
    private readonly hid: HidLike,
    private readonly phone: HeadsetPhone,
    private readonly failed: (e: Error) => void,
  ) {
    hid.addEventListener("disconnect", (e) => this.detach(e.device));
  }

  /** Asks the user for a headset (call from a click); resolves with the names of those connected. */
  async connect(): Promise<string[]> {
    const chosen = await this.hid.requestDevice({ filters: [{ usagePage: TELEPHONY_PAGE }] });
    const names = await this.attachAll(chosen);
    if (chosen.length && !names.length) throw new NotTelephonyError();
    return names;
  }

  /** The headsets this site was given before (a new start): connected again without asking. */
  remembered(): Promise<string[]> {
    return this.hid.getDevices().then((d) => this.attachAll(d));
  }

  get names(): string[] {
    return [...this.attached.keys()].map((d) => d.productName);
  }

  /** The phone changed: each headset's lights follow. */
  sync(calls: readonly CallSnapshot[]): void {
    for (const [device, a] of this.attached) {
      const lights = a.state.update(calls);
      if (!lights) continue;
      for (const r of lightReports(a.layout, lights))
        void device.sendReport(r.reportId, new Uint8Array(r.data)).catch((e: Error) => this.failed(e));
    }
  }

  private async attachAll(devices: HidDeviceLike[]): Promise<string[]> {
    const names: string[] = [];
    for (const device of devices) if (await this.attach(device)) names.push(device.productName);
    return names;
  }

  private async attach(device: HidDeviceLike): Promise<boolean> {
    if (this.attached.has(device)) return true;
    const layout = headsetLayout(device.collections);
    if (!isTelephonyHeadset(layout)) return false;
    if (!device.opened) await device.open();
    const state = new HeadsetState();
    const onReport = (e: { reportId: number; data: DataView }) => {
      const calls = this.phone.calls;
      for (const command of state.press(readInput(layout, e.reportId, e.data), calls)) {
        void runCommand(this.phone, command).catch((err: Error) => this.failed(err));
      }
      // A press that asked nothing (lifted with no call): the lights put the headset back.
      this.sync(calls);
    };
    device.addEventListener("inputreport", onReport);
    this.attached.set(device, { layout, state, stop: () => device.removeEventListener("inputreport", onReport) });
    this.sync(this.phone.calls);
    return true;
  }

  private detach(device: HidDeviceLike): void {
    this.attached.get(device)?.stop();
    this.attached.delete(device);
  }
}
