import { Inviter } from "sip.js";
import { getLogger } from "../core/logger.js";
import type { Call } from "./call.js";
import type { ClickToCall } from "./click-to-call.js";
import { followPolicy, MAX_FOLLOW_HOPS } from "./follow-policy.js";
import type { Line } from "./line.js";
import type { DialOptions, PhoneInternals } from "./phone-internals.js";
import { CALL_AUDIO } from "./platform.js";
import { offerHeaders } from "./session-timer.js";
import type { StandbyLegs } from "./standby-legs.js";
import type { TargetResolver } from "./target-resolver.js";

const log = getLogger("outgoing");

/** 3xx responses followed in a row before giving up (a redirect loop rings nobody forever). */
export const MAX_REDIRECTS = MAX_FOLLOW_HOPS;

/**
 * The dial path: the INVITE placed on a standby leg (standby-legs.ts) when one suits, the
 * microphone opened while the user types (off-hook), handing desk-phone modes to ClickToCall,
 * and following 3xx redirects a few hops at most.
 */
export class OutgoingCalls {
  /** The microphone opened while the user types a number on `lineId` (off-hook). */
  private primed: { lineId: string; microphone: Promise<MediaStream> } | undefined;

  constructor(
    private readonly phone: PhoneInternals,
    private readonly targets: TargetResolver,
    private readonly clickToCall: () => Promise<ClickToCall>,
    private readonly standby: Pick<StandbyLegs, "take" | "renew" | "lendMicrophone" | "returnMicrophone">,
  ) {}

  /**
   * The user is dialling on `line` (see Phone.offHook): its standby leg is made again now, and
   * the microphone opens and goes on it, so that the call sends from its first packet. Only while
   * the user types: onHook() closes it (the dial pad calls it when the number is cleared or
   * left alone for a while), and no idle phone has it open.
   */
  offHook(line: Line): void {
    if (this.primed?.lineId === line.id) return;
    this.onHook();
    this.standby.renew(line);
    const microphone = this.phone.platform.openMicrophone();
    microphone.catch((e: unknown) => log.info("off-hook microphone not opened", e));
    this.primed = { lineId: line.id, microphone };
    this.standby.lendMicrophone(line, microphone);
  }

  /** Closes the microphone offHook() opened, unless a call took it. */
  onHook(): void {
    const primed = this.primed;
    this.primed = undefined;
    if (primed) this.standby.returnMicrophone();
    void primed?.microphone.then(
      (m) => m.getTracks().forEach((t) => t.stop()),
      () => undefined,
    );
  }

  /** The microphone settings changed: one opened while the user types is opened again under them. */
  reopenStandby(): void {
    const line = this.primed && this.phone.line(this.primed.lineId);
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
    const primed = this.primed?.lineId === line.id && !media ? this.primed.microphone : undefined;
    if (primed) this.primed = undefined;
    // The standby leg's offer is audio-only and already made: a video call makes its own.
    const leg = media ? undefined : await this.standby.take(line);
    if (leg || primed)
      this.phone.platform.prepareMedia(inviter, { ...(leg ? { standby: leg } : {}), ...(primed ? { microphone: primed } : {}) });
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
