import { describe, expect, it } from "vitest";
import { CallState, type CallSnapshot } from "../sip/api/call-state.js";
import { USAGES, type HidCollectionInfo } from "../sip/api/headset-reports.js";
import { HidHeadsets, NotTelephonyError, type HidDeviceLike, type HidLike } from "./headset-hid.js";

const one = (u: number) => ({ usages: [u], reportSize: 1, reportCount: 1 });
const pad = (bits: number) => ({ usages: [], reportSize: bits, reportCount: 1 });
const HEADSET: HidCollectionInfo[] = [
  {
    usagePage: 0x0b,
    usage: 0x05,
    inputReports: [{ reportId: 2, items: [one(USAGES.hook), pad(1), one(USAGES.mute), pad(5)] }],
    outputReports: [{ reportId: 3, items: [one(USAGES.ledOffHook), one(USAGES.ledMute), one(USAGES.ledRing), pad(5)] }],
  },
];

/** A HIDDevice as WebHID gives it: collections, open(), sendReport() recorded, input reports sent by the test. */
class FakeDevice implements HidDeviceLike {
  opened = false;
  readonly sent: string[] = [];
  private listener: ((e: { reportId: number; data: DataView }) => void) | undefined;
  constructor(
    readonly productName: string,
    readonly collections: HidCollectionInfo[],
  ) {}
  async open() {
    this.opened = true;
  }
  async close() {
    this.opened = false;
  }
  async sendReport(reportId: number, data: Uint8Array) {
    this.sent.push(`${reportId}:${[...data].map((b) => b.toString(2).padStart(3, "0")).join(",")}`);
  }
  addEventListener(_type: "inputreport", l: (e: { reportId: number; data: DataView }) => void) {
    this.listener = l;
  }
  removeEventListener() {
    this.listener = undefined;
  }
  input(reportId: number, byte: number) {
    this.listener?.({ reportId, data: new DataView(new Uint8Array([byte]).buffer) });
  }
}

function setup(devices: FakeDevice[]) {
  const asked: unknown[] = [];
  const hid: HidLike = {
    requestDevice: async (options) => (asked.push(options), devices),
    getDevices: async () => devices,
    addEventListener: () => undefined,
  };
  const ran: string[] = [];
  const phone = {
    calls: [] as CallSnapshot[],
    answer: (id: string) => void ran.push(`answer ${id}`),
    decline: (id: string) => void ran.push(`decline ${id}`),
    hangup: (id: string) => void ran.push(`hangup ${id}`),
    mute: (id: string, on: boolean) => void ran.push(`mute ${id} ${on}`),
  };
  return { headsets: new HidHeadsets(hid, phone, () => undefined), phone, ran, asked };
}

const call = (state: CallState, muted = false) => ({ id: "c1", state, direction: "in", muted, remote: "1002" }) as CallSnapshot;
const settle = () => new Promise((r) => setTimeout(r, 0));

describe("HidHeadsets: a WebHID headset's buttons and lights", () => {
  it("asks with the telephony filter, opens the headset, and its hook switch answers and hangs up while the lights follow", async () => {
    const device = new FakeDevice("Test Headset", HEADSET);
    const { headsets, phone, ran, asked } = setup([device]);
    expect(await headsets.connect()).toEqual(["Test Headset"]);
    expect(asked).toEqual([{ filters: [{ usagePage: 0x0b }] }]);
    expect(device.opened).toBe(true);
    expect(device.sent).toEqual(["3:000"]);

    phone.calls = [call(CallState.Incoming)];
    headsets.sync(phone.calls);
    expect(device.sent.at(-1)).toBe("3:100"); // ring
    device.input(2, 0b001); // hook lifted
    await settle();
    expect(ran).toEqual(["answer c1"]);
    phone.calls = [call(CallState.Established)];
    headsets.sync(phone.calls);
    expect(device.sent.at(-1)).toBe("3:001"); // off-hook
    device.input(2, 0b101); // mute pressed (hook still up)
    device.input(2, 0b001); // mute released
    await settle();
    expect(ran).toEqual(["answer c1", "mute c1 true"]);
    phone.calls = [call(CallState.Established, true)];
    headsets.sync(phone.calls);
    expect(device.sent.at(-1)).toBe("3:011"); // off-hook + mute
    device.input(2, 0b000); // hook down
    await settle();
    expect(ran.at(-1)).toBe("hangup c1");
    phone.calls = [];
    headsets.sync(phone.calls);
    expect(device.sent.at(-1)).toBe("3:000");
  });

  it("the next start finds the granted headset again without asking", async () => {
    const device = new FakeDevice("Test Headset", HEADSET);
    const { headsets, asked } = setup([device]);
    expect(await headsets.remembered()).toEqual(["Test Headset"]);
    expect(asked).toEqual([]);
    expect(headsets.names).toEqual(["Test Headset"]);
  });

  it("a device without telephony controls is refused", async () => {
    const keyboard = new FakeDevice("Keyboard", [{ usagePage: 1, usage: 6, inputReports: [{ reportId: 1, items: [pad(8)] }] }]);
    const { headsets } = setup([keyboard]);
    await expect(headsets.connect()).rejects.toBeInstanceOf(NotTelephonyError);
    expect(keyboard.opened).toBe(false);
  });
});
