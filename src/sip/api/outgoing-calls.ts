import { Inviter } from "sip.js";
import { getLogger } from "../core/logger.js";
import type { Call } from "./call.js";
import type { ClickToCall } from "./click-to-call.js";
import { followPolicy, MAX_FOLLOW_HOPS } from "./follow-policy.js";
import type { Line } from "./line.js";
import type { DialOptions, PhoneInternals } from "./phone-internals.js";
import { CALL_AUDIO, type StandbyLeg } from "./platform.js";
import { offerHeaders } from "./session-timer.js";
import type { TargetResolver } from "./target-resolver.js";

const log = getLogger("outgoing");

/** 3xx responses followed in a row before giving up (a redirect loop rings nobody forever). */
export const MAX_REDIRECTS = MAX_FOLLOW_HOPS;

/**
 * The dial path: the standby leg opened while the user types (off-hook), placing the INVITE on
 * it, handing desk-phone modes to ClickToCall, and following 3xx redirects a few hops at most.
 */
export class OutgoingCalls {
  private standby: { lineId: string; leg: Promise<StandbyLeg | undefined> } | undefined;

  constructor(
    private readonly phone: PhoneInternals,
    private readonly targets: TargetResolver,
    private readonly clickToCall: () => Promise<ClickToCall>,
  ) {}

  /** Prepares a standby leg (microphone, connection, offer, ICE) on `line`; see Phone.offHook. */
  offHook(line: Line): void {
    if (this.standby?.lineId === line.id) return;
    this.onHook();
    const leg = this.phone.platform.openStandby(line.account).catch((e: unknown) => {
      log.info("off-hook failed", e);
      return undefined;
    });
    this.standby = { lineId: line.id, leg };
  }

  /** Releases what offHook() opened, if no call took it. */
  onHook(): void {
    const standby = this.standby;
    this.standby = undefined;
    void standby?.leg.then((leg) => leg?.release());
  }

  /** The microphone settings changed: a standby leg, if one is up, is opened again under the new ones. */
  reopenStandby(): void {
    const line = this.standby && this.phone.line(this.standby.lineId);
    if (!line) return;
    this.onHook();
    this.offHook(line);
  }

  /** Places a call on `line`; resolves with its id once the INVITE is on its way. */
  /** `extraHeaders`: for the phone's own features only (pickup's Replaces), never from the public dial(). */
  /** `media`: a video call's constraints (video-calls.ts); absent: audio, as every call before. */
  async place(
    line: Line,
    target: string,
    options: DialOptions,
    redirectHops = 0,
    extraHeaders: string[] = [],
    media?: MediaStreamConstraints,
  ): Promise<string> {
    const mode = options.mode ?? line.account.clickToCall ?? "browser";
    const { uri, display } = await this.targets.resolve(target, line.account, line.domain);
    if (mode !== "browser") return (await this.clickToCall()).place(line, mode, uri, display);
    await this.phone.holdOthers();
    const inviter = new Inviter(line.ua, uri, {
      earlyMedia: true,
      // Session timers (RFC 4028): a callee that vanishes without BYE is found out.
      extraHeaders: [...offerHeaders(), ...extraHeaders],
      sessionDescriptionHandlerOptions: { constraints: media ?? CALL_AUDIO },
    });
    const standby = this.standby?.lineId === line.id ? this.standby : undefined;
    this.standby = undefined;
    const leg = standby ? await standby.leg : undefined;
    // The standby leg's offer is audio-only and already made: a video call makes its own.
    if (leg?.usable && !media) this.phone.platform.prepareMedia(inviter, { standby: leg });
    else leg?.release();
    const call = this.phone.newCall(inviter, line, "out", { user: display, uri: uri.toString() });
    call.redirectHops = redirectHops;
    call.sessionTimers = true;
    call.followRedirect = (contact) => followPolicy(contact, line.account, line.domain, redirectHops);
    this.phone.track(call);
    await call.invite();
    return call.id;
  }

  /**
   * A call ended: when a 3xx sent it elsewhere and follow-policy.ts allowed it, follow it as a
   * desk phone does. The hop count travels with the chain of calls, so a peer that always
   * redirects is given up on after MAX_REDIRECTS.
   */
  callEnded(call: Call): void {
    if (call.snapshot.reason !== "redirected" || !call.redirectTarget) return;
    const line = this.phone.line(call.lineId);
    if (!line) return;
    void this.place(line, call.redirectTarget, { lineId: call.lineId }, call.redirectHops + 1).catch((e: Error) =>
      log.warn("redirect not followed:", e.message),
    );
  }
}
