import { ContextProvider } from "@lit/context";
import type { AudioSettings } from "../../config/audio-settings.js";
import type { AudioDeviceList, AudioDeviceNotice } from "../../sip/api/audio-devices.js";
import { CallState, type CallSnapshot } from "../../sip/api/call-state.js";
import { Emitter } from "../../sip/core/emitter.js";
import { RecordingState } from "../../sip/api/recording-media.js";
import { SipTrace } from "../../sip/core/sip-trace.js";
import { LineState, type LineSnapshot } from "../../sip/api/line-state.js";
import type { DialOptions, PhoneEvents } from "../../sip/api/phone.js";
import type { MessageSnapshot } from "../../sip/api/text-message.js";
import type { PresenceSnapshot } from "../../sip/api/presence-state.js";
import { appContext } from "../app-context.js";
import type { AppCore } from "../app-factory.js";
import { appServiceFor, phoneServiceFor } from "../app-service.js";
import { phoneContext } from "../phone-context.js";
import type { PhoneService } from "../phone-service.js";

/** A phone for component tests: records what the components ask, lets tests push states. */
export class FakePhone extends Emitter<PhoneEvents> implements PhoneService {
  lines: LineSnapshot[] = [{ id: "l1", label: "Alice", aor: "sip:1001@pbx.test", state: LineState.Registered, server: "wss://pbx.test" }];
  calls: CallSnapshot[] = [];
  readonly actions: string[] = [];
  /** The options of each dial, in order (`actions` has the target). */
  readonly dialOptions: Array<DialOptions | undefined> = [];
  readonly trace = new SipTrace();
  dialError: Error | undefined;
  /** This tab holds the connection (`<sip-phone>`'s `holdsConnection`). */
  isLeader = true;

  async dial(target: string, options?: DialOptions): Promise<string> {
    this.actions.push(`dial ${target}`);
    this.dialOptions.push(options);
    if (this.dialError) throw this.dialError;
    return "c1";
  }
  async answer(id?: string, options?: { video?: boolean }) {
    this.actions.push(`answer ${id}${options?.video ? " video" : ""}`);
  }
  async decline(id?: string, code?: number) {
    this.actions.push(`decline ${id} ${code}`);
  }
  async hangup(id?: string) {
    this.actions.push(`hangup ${id}`);
  }
  async mute(id: string, on: boolean) {
    this.actions.push(`mute ${id} ${on}`);
  }
  async sendDtmf(id: string, digits: string) {
    this.actions.push(`dtmf ${id} ${digits}`);
  }
  async hold(id: string, on = true) {
    this.actions.push(`hold ${id} ${on}`);
  }
  async swap(id: string) {
    this.actions.push(`swap ${id}`);
  }
  async transfer(id: string, target: string) {
    this.actions.push(`transfer ${id} ${target}`);
  }
  async redirect(id: string, target: string) {
    this.actions.push(`redirect ${id} ${target}`);
  }
  async startConsultation(id: string, target: string) {
    this.actions.push(`consult ${id} ${target}`);
    return "c2";
  }
  async completeTransfer(id: string) {
    this.actions.push(`complete ${id}`);
  }
  async cancelConsultation(id: string) {
    this.actions.push(`cancel-consult ${id}`);
  }
  async conference(ids: string[]) {
    this.actions.push(`conference ${ids.join(",")}`);
  }
  async splitConference() {
    this.actions.push("split");
  }
  async leaveConference() {
    this.actions.push("leave");
  }
  async acceptReferral(id: string) {
    this.actions.push(`referral ${id} yes`);
  }
  async declineReferral(id: string) {
    this.actions.push(`referral ${id} no`);
  }
  offHook() {
    this.actions.push("offHook");
  }
  onHook() {
    this.actions.push("onHook");
  }
  async callStats() {
    return undefined;
  }
  async setDnd(on: boolean, lineId?: string, code?: 486 | 603) {
    this.actions.push(`dnd ${on} ${lineId} ${code}`);
  }
  async setForward(lineId: string, target: string | undefined) {
    this.actions.push(`forward ${lineId} ${target}`);
  }
  /** What sendMessage rejects with, when set. */
  messageError: Error | undefined;
  async sendMessage(target: string, text: string, options?: { lineId?: string }) {
    this.actions.push(`message ${target} ${options?.lineId ?? ""} ${text}`);
    if (this.messageError) throw this.messageError;
    return "m1";
  }

  /** What audioDevices() answers; setAudio() merges into its settings. */
  audio: AudioDeviceList = { devices: [], outputs: { speaker: true, ringer: true }, settings: {}, unavailable: [] };
  async setAudio(settings: AudioSettings) {
    this.actions.push(`audio ${JSON.stringify(settings)}`);
    this.audio = { ...this.audio, settings: { ...this.audio.settings, ...settings } };
    return structuredClone(this.audio.settings);
  }
  async audioDevices() {
    return structuredClone(this.audio);
  }
  /** Recording (call-recordings.ts), recorded; the call's snapshot is the test's to change. */
  async record(id: string, on = true) {
    this.actions.push(`record ${id} ${on}`);
    return on ? RecordingState.On : RecordingState.Paused;
  }
  /** Video commands (video-calls.ts), recorded. */
  async setVideo(id: string, on: boolean) {
    this.actions.push(`video ${id} ${on}`);
  }
  async shareScreen(id: string, on: boolean) {
    this.actions.push(`screen ${id} ${on}`);
  }
  async acceptVideo(id: string) {
    this.actions.push(`accept-video ${id}`);
  }
  async declineVideo(id: string) {
    this.actions.push(`decline-video ${id}`);
  }
  /** What cameras() answers. */
  cameraList: { id: string; label: string }[] = [];
  async cameras() {
    return structuredClone(this.cameraList);
  }
  /** An audio-device event, as the phone sends it. */
  audioNotice(notice: AudioDeviceNotice) {
    this.emit("audio-device", notice);
  }

  /** The watched parties, as the phone reports them (`watched`). */
  watched: PresenceSnapshot[] = [];
  async watch(target: string, options?: { lineId?: string }) {
    this.actions.push(`watch ${target} ${options?.lineId ?? ""}`);
  }
  async unwatch(target: string) {
    this.actions.push(`unwatch ${target}`);
  }
  async pickup(target?: string, options?: { lineId?: string }) {
    this.actions.push(`pickup ${target ?? ""} ${options?.lineId ?? ""}`);
    return "c3";
  }
  async retrieve(slot: string) {
    this.actions.push(`retrieve ${slot}`);
    return "c-retrieved";
  }
  async park(id: string) {
    this.actions.push(`park ${id}`);
  }

  /** A presence event, as the phone sends it (and `watched` updated). */
  lamp(snapshot: PresenceSnapshot) {
    this.watched = [...this.watched.filter((w) => w.target !== snapshot.target), snapshot];
    this.emit("presence", snapshot);
  }

  /** A message event, as the phone sends it. */
  message(snapshot: MessageSnapshot) {
    this.emit("message", snapshot);
  }

  setLine(patch: Partial<LineSnapshot>) {
    this.lines = [{ ...this.lines[0], ...patch }];
    this.emit("line-state", this.lines[0]);
  }

  setCall(patch: Partial<CallSnapshot>) {
    const base: CallSnapshot = {
      id: "c1",
      lineId: "l1",
      direction: "in",
      remote: "1002",
      remoteUri: "sip:1002@pbx.test",
      state: CallState.Incoming,
      muted: false,
      held: false,
      heldByRemote: false,
      startedAt: Date.now(),
    };
    this.calls = [{ ...(this.calls[0] ?? base), ...patch }, ...this.calls.slice(1)];
    this.emit("call-state", this.calls[0]);
  }

  /** A call rings: `call-state` then `incoming-call`, as the phone sends them. */
  ring(patch: Partial<CallSnapshot> = {}) {
    this.setCall({ state: CallState.Incoming, ...patch });
    this.emit("incoming-call", this.calls[0]!);
  }

  /** Adds or updates a second call (consultation, conference). */
  setCall2(patch: Partial<CallSnapshot>) {
    const base: CallSnapshot = {
      id: "c2",
      lineId: "l1",
      direction: "out",
      remote: "1003",
      remoteUri: "sip:1003@pbx.test",
      state: CallState.Established,
      muted: false,
      held: false,
      heldByRemote: false,
      startedAt: Date.now(),
    };
    this.calls = [this.calls[0]!, { ...(this.calls[1] ?? base), ...patch }];
    this.emit("call-state", this.calls[1]!);
  }
}

/** Mounts `tag` inside an element that provides `phone` through the context. */
export function mount<T extends HTMLElement>(tag: string, phone: FakePhone, setup?: (el: T) => void): Promise<T> {
  return mountWith(tag, { phone }, setup);
}

/**
 * Mounts `tag` inside an element that provides the phone and the app (either may be left out),
 * each through the narrow service `<sip-phone>` provides (app-service.ts).
 */
export async function mountWith<T extends HTMLElement>(
  tag: string,
  services: { phone?: PhoneService; app?: AppCore },
  setup?: (el: T) => void,
): Promise<T> {
  const host = document.createElement("div");
  if (services.phone) new ContextProvider(host, { context: phoneContext, initialValue: phoneServiceFor(services.phone) });
  if (services.app) new ContextProvider(host, { context: appContext, initialValue: appServiceFor(services.app) });
  document.body.append(host);
  const el = document.createElement(tag) as T;
  setup?.(el);
  host.append(el);
  await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  return el;
}

/** Text of an element's shadow tree, spaces folded. */
export function text(el: Element): string {
  const walk = (n: Node): string =>
    [...n.childNodes]
      .map((c) => (c.nodeType === 3 ? c.textContent : (c as Element).shadowRoot ? walk((c as Element).shadowRoot!) + walk(c) : walk(c)))
      .join(" ");
  return walk(el.shadowRoot!).replace(/\s+/g, " ").trim();
}
