import type { HeadsetInput, HeadsetLights } from "./headset-state.js";

/**
 * Where a telephony headset keeps its controls and lights in its HID reports, read from the
 * report descriptor as WebHID gives it (`HIDDevice.collections`), and the reports read and built
 * with that layout. Pure: structural types of WebHID's, no browser API (unit-tested on
 * recorded-style descriptors). USB HID Usage Tables 1.5: Telephony page 0x0B (Hook Switch 0x20,
 * Phone Mute 0x2F), LED page 0x08 (Mute 0x09, Off-Hook 0x17, Ring 0x18). WebHID gives usages as
 * extended usages, page << 16 | id.
 */
export const TELEPHONY_PAGE = 0x0b;
export const HEADSET_USAGE = 0x05;
const LED_PAGE = 0x08;
const usage = (page: number, id: number) => ((page << 16) | id) >>> 0;
export const USAGES = {
  hook: usage(TELEPHONY_PAGE, 0x20),
  mute: usage(TELEPHONY_PAGE, 0x2f),
  ledMute: usage(LED_PAGE, 0x09),
  ledOffHook: usage(LED_PAGE, 0x17),
  ledRing: usage(LED_PAGE, 0x18),
} as const;

/** The parts of WebHID's HIDReportItem, HIDReportInfo and HIDCollectionInfo read here. */
export interface HidReportItem {
  isRange?: boolean;
  isArray?: boolean;
  usages?: number[];
  usageMinimum?: number;
  usageMaximum?: number;
  reportSize?: number;
  reportCount?: number;
}
export interface HidReportInfo {
  reportId?: number;
  items?: HidReportItem[];
}
export interface HidCollectionInfo {
  usagePage?: number;
  usage?: number;
  children?: HidCollectionInfo[];
  inputReports?: HidReportInfo[];
  outputReports?: HidReportInfo[];
}

/** One control: its report, and its first bit after the report id (LSB first, HID 1.11 5.8). */
export interface HidField {
  reportId: number;
  bit: number;
  bits: number;
}

export interface HeadsetLayout {
  hook?: HidField;
  mute?: HidField;
  ledMute?: HidField;
  ledOffHook?: HidField;
  ledRing?: HidField;
  /** Each output report's length in bytes (without its id), for building it whole. */
  outputBytes: Map<number, number>;
}

/** Upper bounds: a descriptor is the device's to write, and a hostile one must not loop for long. */
const MAX_ITEMS = 512;
const MAX_DEPTH = 8;

/** The layout of every telephony control and light in `collections`; empty when there are none. */
export function headsetLayout(collections: readonly HidCollectionInfo[]): HeadsetLayout {
  const layout: HeadsetLayout = { outputBytes: new Map() };
  const wanted = Object.entries(USAGES) as [keyof typeof USAGES, number][];
  let items = 0;
  const scan = (reports: readonly HidReportInfo[] | undefined, output: boolean) => {
    for (const report of reports ?? []) {
      const reportId = report.reportId ?? 0;
      let bit = 0;
      for (const item of report.items ?? []) {
        if (++items > MAX_ITEMS) return;
        const size = clamp(item.reportSize),
          count = clamp(item.reportCount);
        if (!item.isArray) {
          for (let i = 0; i < count; i++) {
            const u = usageAt(item, i);
            const hit = wanted.find(([, v]) => v === u);
            if (hit && !layout[hit[0]]) layout[hit[0]] = { reportId, bit: bit + i * size, bits: size };
          }
        }
        bit += size * count;
      }
      if (output) layout.outputBytes.set(reportId, Math.max(layout.outputBytes.get(reportId) ?? 0, Math.ceil(bit / 8)));
    }
  };
  const walk = (list: readonly HidCollectionInfo[] | undefined, depth: number) => {
    if (depth > MAX_DEPTH) return;
    for (const c of list ?? []) {
      scan(c.inputReports, false);
      scan(c.outputReports, true);
      walk(c.children, depth + 1);
    }
  };
  walk(collections, 0);
  return layout;
}

/** Whether the device has a hook switch or a phone mute button: one worth connecting. */
export function isTelephonyHeadset(layout: HeadsetLayout): boolean {
  return !!(layout.hook ?? layout.mute);
}

/** What an input report with `reportId` says of the hook switch and the mute button. */
export function readInput(layout: HeadsetLayout, reportId: number, data: DataView): HeadsetInput {
  const input: HeadsetInput = {};
  if (layout.hook?.reportId === reportId) input.hook = readBits(data, layout.hook) !== 0;
  if (layout.mute?.reportId === reportId) input.mute = readBits(data, layout.mute) !== 0;
  return input;
}

/** The output reports that show `lights`, one per report id that carries any of them. */
export function lightReports(layout: HeadsetLayout, lights: HeadsetLights): { reportId: number; data: Uint8Array }[] {
  const fields: [HidField | undefined, boolean][] = [
    [layout.ledRing, lights.ring],
    [layout.ledOffHook, lights.offHook],
    [layout.ledMute, lights.mute],
  ];
  const reports = new Map<number, Uint8Array>();
  for (const [field, on] of fields) {
    if (!field) continue;
    let data = reports.get(field.reportId);
    if (!data) reports.set(field.reportId, (data = new Uint8Array(layout.outputBytes.get(field.reportId) ?? 0)));
    if (on) writeBit(data, field.bit);
  }
  return [...reports].map(([reportId, data]) => ({ reportId, data }));
}

function usageAt(item: HidReportItem, i: number): number | undefined {
  if (item.isRange) {
    const min = item.usageMinimum ?? 0,
      max = item.usageMaximum ?? 0;
    return min + i <= max ? (min + i) >>> 0 : undefined;
  }
  const list = item.usages ?? [];
  // HID 1.11 6.2.2.8: fewer usages than fields, the last one applies to the rest.
  return (list[Math.min(i, list.length - 1)] ?? undefined) as number | undefined;
}

function clamp(n: number | undefined): number {
  return Number.isInteger(n) && n! > 0 ? Math.min(n!, 256) : 0;
}

function readBits(data: DataView, field: HidField): number {
  let value = 0;
  for (let i = 0; i < Math.min(field.bits, 32); i++) {
    const bit = field.bit + i;
    const byte = bit >> 3;
    if (byte >= data.byteLength) break;
    if ((data.getUint8(byte) >> (bit & 7)) & 1) value |= 1 << i;
  }
  return value;
}

function writeBit(data: Uint8Array, bit: number): void {
  const byte = bit >> 3;
  if (byte < data.length) data[byte]! |= 1 << (bit & 7);
}
