import { ContextConsumer } from "@lit/context";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { CallSnapshot } from "../sip/api/call-state.js";
import type { LineSnapshot } from "../sip/api/line-state.js";
import { frames, type FrameGate } from "./frame-gate.js";
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
 *
 * But line events come one per SIP message, each in a task of its own, so Lit still rendered
 * the host at every one of them. An update that a line event asked for waits for the next
 * frame (frame-gate.ts): at most one render a frame, whatever the number of events. The
 * controller puts that wait into the host's `scheduleUpdate`, Lit's hook for timing updates,
 * so that every component that shows lines gets it and `updateComplete` still means rendered.
 * Updates for anything else (calls, the user's input) are not held back.
 */
export class PhoneStateController implements ReactiveController {
  phone: PhoneService | undefined;
  private lines_: LineSnapshot[] = [];
  private calls_: CallSnapshot[] = [];
  private linesStale = false;
  private callsStale = false;
  /** A line event asked for the pending update (cleared when it runs). */
  private lineEvent = false;
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

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    gate: FrameGate = frames,
  ) {
    host.addController(this);
    const timed = host as unknown as Scheduled;
    const schedule = timed.scheduleUpdate.bind(host);
    timed.scheduleUpdate = () => {
      const frame = this.lineEvent && timed.hasUpdated ? gate.next() : undefined;
      return frame ? frame.then(schedule) : schedule();
    };
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

  hostUpdate(): void {
    this.lineEvent = false;
  }

  private attach(phone: PhoneService | undefined): void {
    this.detach();
    this.phone = phone;
    if (!phone) return;
    const linesChanged = () => {
      this.linesStale = true;
      this.lineEvent = true;
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

/** Lit's update timing hook (protected in ReactiveElement) and whether the host rendered once. */
interface Scheduled {
  scheduleUpdate(): void | Promise<unknown>;
  readonly hasUpdated: boolean;
}
