import type { Words } from "../i18n/words.js";
import { getLogger } from "../sip/core/logger.js";
import { HidHeadsets, type HeadsetPhone, type HidLike } from "./headset-hid.js";
import { syncMediaSession, type MediaSessionLike } from "./headset-media-session.js";

const log = getLogger("headset");

/** What headset-buttons.ts loads on first use: the Media Session handlers and the WebHID headsets. */
export class HeadsetLink {
  private readonly hid: HidHeadsets | undefined;
  private readonly session: MediaSessionLike | undefined;
  private readonly failed = (e: Error) => log.warn("headset button:", e.message);

  constructor(
    private readonly phone: HeadsetPhone,
    /** The phone's words now (its language may change while it runs). */
    private readonly words: () => Words,
  ) {
    const nav = globalThis.navigator as (Navigator & { hid?: HidLike }) | undefined;
    this.session = nav?.mediaSession as MediaSessionLike | undefined;
    this.hid = nav?.hid ? new HidHeadsets(nav.hid, phone, this.failed) : undefined;
  }

  sync(): void {
    const calls = this.phone.calls;
    if (this.session) syncMediaSession(this.session, calls, this.phone, this.failed, this.words());
    this.hid?.sync(calls);
  }

  /** Resolves with the connected headsets' names; rejects where WebHID is missing (the button says so first). */
  connect(): Promise<string[]> {
    return this.hid ? this.hid.connect() : Promise.reject(new Error("WebHID is not available"));
  }

  async remembered(): Promise<string[]> {
    const names = (await this.hid?.remembered()) ?? [];
    if (names.length) log.info("headset connected again:", names.join(", "));
    return names;
  }
}
