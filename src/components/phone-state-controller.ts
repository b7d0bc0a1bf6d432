import { ContextConsumer } from "@lit/context";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { CallSnapshot } from "../sip/api/call-state.js";
import type { LineSnapshot } from "../sip/api/line-state.js";
import { phoneContext } from "./phone-context.js";
import type { PhoneService } from "./phone-service.js";

/**
 * Gives a component the phone (from context) and live copies of its lines and calls:
 * subscribes while the host is connected, unsubscribes when it is removed.
 */
export class PhoneStateController implements ReactiveController {
  phone: PhoneService | undefined;
  lines: LineSnapshot[] = [];
  calls: CallSnapshot[] = [];
  private unsubscribe: Array<() => void> = [];

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
    const refresh = () => {
      this.lines = phone.lines;
      this.calls = phone.calls;
      this.host.requestUpdate();
    };
    this.unsubscribe = [phone.on("line-state", refresh), phone.on("call-state", refresh)];
    refresh();
  }

  private detach(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
  }
}
