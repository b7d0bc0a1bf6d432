import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { Words } from "../i18n/words.js";
import type { HeadsetConnectRequest } from "./headset-connect.js";
import type { HeadsetPhone } from "./headset-hid.js";
import type { HeadsetLink } from "./headset-link.js";

/**
 * Headset buttons for `<sip-phone>` (docs/media.md): Media Session actions while there are
 * calls, and a WebHID headset, found again at start when one was connected before, or connected
 * on the Settings button (its `sip-headset-connect` event). All of it loads on first use
 * (headset-link.ts); a page without calls or headsets loads nothing.
 */
export class HeadsetButtons implements ReactiveController {
  private link: Promise<HeadsetLink> | undefined;
  private off: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly phone: HeadsetPhone & { on(type: "call-state", listener: () => void): () => void },
    /** The host's words now: the call shown to the system's media controls is worded in them. */
    private readonly words: () => Words,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.off = this.phone.on("call-state", () => {
      if (this.link || this.phone.calls.length) void this.load().then((l) => l.sync());
    });
    this.host.addEventListener("sip-headset-connect", this.onConnect);
    const hid = (navigator as { hid?: { getDevices(): Promise<unknown[]> } }).hid;
    void hid
      ?.getDevices()
      .then(async (granted) => void (granted.length && (await this.load()).remembered()))
      .catch(() => undefined);
  }

  hostDisconnected(): void {
    this.off?.();
    this.host.removeEventListener("sip-headset-connect", this.onConnect);
  }

  /** The button's click: requestDevice runs within its user activation (the import is local). */
  private readonly onConnect = (e: CustomEvent<HeadsetConnectRequest>) => {
    e.detail.result = this.load().then((l) => l.connect());
  };

  private load(): Promise<HeadsetLink> {
    return (this.link ??= import("./headset-link.js").then((m) => new m.HeadsetLink(this.phone, this.words)));
  }
}
