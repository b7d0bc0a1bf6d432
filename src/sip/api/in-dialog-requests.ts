import type { Referral, Session } from "sip.js";
import { getLogger } from "../core/logger.js";
import { notifyInDialog } from "../core/sipjs-internals.js";
import type { CallEnding } from "./call-ending.js";
import { cancelReason } from "./cancel-reason.js";
import { isHoldOffer } from "./sdp.js";

const log = getLogger("call");

/** What the other party's requests within the call need of it. */
export interface InDialogHooks {
  /** Why the call will end (call-ending.ts). */
  ending: Pick<CallEnding, "intend">;
  /** An incoming REFER: the phone decides (referrals.ts). */
  referred(referral: Referral): void;
  /** A re-INVITE came, with this Session-Expires (the other side refreshed the session). */
  refreshed(sessionExpires: string | undefined): void;
  /** Something in the snapshot changed. */
  changed(): void;
  /** The other side's re-INVITE offered this SDP (video-calls.ts looks at its video). */
  offered?(body: string): void;
}

/**
 * What the other party asks of us within a call, as SIP.js's session delegate: BYE, CANCEL
 * (with its Reason), REFER (and the NOTIFYs that tell it how its transfer goes), and
 * re-INVITEs, whose offer says whether it holds us.
 */
export class InDialogRequests {
  private held = false;

  constructor(
    private readonly id: string,
    private readonly session: Session,
    hooks: InDialogHooks,
  ) {
    session.delegate = {
      // With a delegate, SIP.js leaves the answer to the BYE to us: without this 200 the other
      // side retransmits its BYE until it times out (found by the sipp auto-answer test).
      onBye: (bye) => {
        hooks.ending.intend("remote-hangup");
        void bye.accept().catch(() => undefined);
      },
      // A forking registrar CANCELs the other devices of a number once one answers (or
      // declines), and says so in a Reason header (RFC 3326): that is not a missed call.
      onCancel: (cancel) => hooks.ending.intend(cancelReason(cancel.request.getHeaders("reason"))),
      onRefer: (referral) => hooks.referred(referral),
      // Called after SIP.js answered an in-dialog re-INVITE: its offer tells whether the other
      // side holds us.
      onInvite: (request) => {
        hooks.refreshed(request.getHeader("session-expires"));
        const body = request.body ?? "";
        if (!body) return;
        hooks.offered?.(body);
        const held = isHoldOffer(body);
        if (held !== this.held) {
          this.held = held;
          hooks.changed();
        }
      },
    };
  }

  /** The other party's last offer put us on hold (sendonly or inactive). */
  get heldByRemote(): boolean {
    return this.held;
  }

  /** Reports the progress of a transfer we follow to the party that asked for it (RFC 3515). */
  notifyReferrer(statusLine: string, final: boolean): void {
    try {
      notifyInDialog(
        this.session,
        ["Event: refer", `Subscription-State: ${final ? "terminated;reason=noresource" : "active;expires=60"}`],
        {
          contentType: "message/sipfrag;version=2.0",
          content: statusLine,
        },
      );
    } catch (e) {
      log.info(this.id, "NOTIFY not sent", (e as Error).message);
    }
  }
}
