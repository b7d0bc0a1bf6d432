import { ContextConsumer } from "@lit/context";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { CallSnapshot } from "../sip/api/call-state.js";
import type { LineSnapshot } from "../sip/api/line-state.js";
import { phoneContext } from "./phone-context.js";
import type { PhoneService } from "./phone-service.js";

/**
 * Gives a component the phone (from context) and live copies of its lines and calls:
 * subscribes while the host is connected, unsubscribes when it is removed.
 *
 * The copies are taken when the host reads them, once per change, not at every event: a phone
 * with 1000 lines sends 3000 line events while they register, and copying all 1000 lines at
 * each made registering the whole set take 11 s of main thread (npm run bench, "1000 lines").
 * Lit renders the host once for many requestUpdate() calls in a row.
 */
export class PhoneStateController implements ReactiveController {
  phone: PhoneService | undefined;
  private lines_: LineSnapshot[] = [];
  private calls_: CallSnapshot[] = [];
  private linesStale = false;
  private callsStale = false;
  private unsubscribe: Array<() => void> = [];

  get lines(): LineSnapshot[] {
    if (this.linesStale && this.phone) this.lines_ = this.phone.lines;
    this.linesStale = false;
    return this.lines_;
  }

  get calls(): CallSnapshot[] {
    if (this.callsStale && this.phone) this.calls_ = this.phone.calls;
    this.callsStale = false;
    return this.calls_;
  }

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
    new ContextConsumer(host, {
      context: phoneContext,
      subscribe: true,
      callback: (phone) => this.attach(phone),
    });
  }

  hostConnected(): void {
    if (this.phone) this.attach(this.phone);
  }

  hostDisconnected(): void {
    this.detach();
  }

  private attach(phone: PhoneService | undefined): void {
    this.detach();
    this.phone = phone;
    if (!phone) return;
    const linesChanged = () => {
      this.linesStale = true;
      this.host.requestUpdate();
    };
    const callsChanged = () => {
      this.callsStale = true;
      this.host.requestUpdate();
    };
    this.unsubscribe = [phone.on("line-state", linesChanged), phone.on("call-state", callsChanged)];
    this.linesStale = this.callsStale = true;
    this.host.requestUpdate();
  }

  private detach(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
  }
}
