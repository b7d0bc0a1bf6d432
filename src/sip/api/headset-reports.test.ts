import { describe, expect, it } from "vitest";
import { headsetLayout, isTelephonyHeadset, lightReports, readInput, USAGES, type HidCollectionInfo } from "./headset-reports.js";

const pad = (bits: number) => ({ usages: [], reportSize: bits, reportCount: 1 });
const one = (u: number) => ({ usages: [u], reportSize: 1, reportCount: 1, isArray: false });

/**
 * Shaped like the descriptors USB headsets give (Jabra- and Poly-style): a Telephony Headset
 * collection with hook switch, line busy tone and phone mute in one input report (id 2), the
 * lights in an output report (id 3), and a consumer-control collection beside it (volume keys).
 */
const jabraLike: HidCollectionInfo[] = [
  {
    usagePage: 0x0c,
    usage: 0x01,
    inputReports: [{ reportId: 1, items: [{ usages: [0x0c00e9, 0x0c00ea], reportSize: 1, reportCount: 2 }, pad(6)] }],
  },
  {
    usagePage: 0x0b,
    usage: 0x05,
    inputReports: [{ reportId: 2, items: [one(USAGES.hook), one(0x0b0097), one(USAGES.mute), pad(5)] }],
    outputReports: [{ reportId: 3, items: [one(USAGES.ledOffHook), one(USAGES.ledMute), one(USAGES.ledRing), pad(5)] }],
  },
];

/** Poly-style: no report ids in use for the lights' report, the LEDs as one usage range of 2-bit fields, inside a child collection. */
const rangeStyle: HidCollectionInfo[] = [
  {
    usagePage: 0x0b,
    usage: 0x05,
    children: [
      {
        usagePage: 0x0b,
        usage: 0x05,
        inputReports: [{ reportId: 5, items: [pad(3), one(USAGES.mute), one(USAGES.hook), pad(3)] }],
        outputReports: [
          {
            reportId: 0,
            items: [
              { isRange: true, usageMinimum: USAGES.ledMute, usageMaximum: USAGES.ledMute, reportSize: 1, reportCount: 1 },
              pad(7),
              { isRange: true, usageMinimum: USAGES.ledOffHook, usageMaximum: USAGES.ledRing, reportSize: 1, reportCount: 2 },
              pad(6),
            ],
          },
        ],
      },
    ],
  },
];

const view = (...bytes: number[]) => new DataView(new Uint8Array(bytes).buffer);

describe("headset reports: layout from the descriptor, reports read and built", () => {
  it("finds hook switch, mute and the three lights in a Jabra-like descriptor", () => {
    const layout = headsetLayout(jabraLike);
    expect(layout.hook).toEqual({ reportId: 2, bit: 0, bits: 1 });
    expect(layout.mute).toEqual({ reportId: 2, bit: 2, bits: 1 });
    expect(layout.ledOffHook).toEqual({ reportId: 3, bit: 0, bits: 1 });
    expect(layout.ledRing).toEqual({ reportId: 3, bit: 2, bits: 1 });
    expect(isTelephonyHeadset(layout)).toBe(true);
  });

  it("reads the hook and mute bits of their report only", () => {
    const layout = headsetLayout(jabraLike);
    expect(readInput(layout, 2, view(0b001))).toEqual({ hook: true, mute: false });
    expect(readInput(layout, 2, view(0b100))).toEqual({ hook: false, mute: true });
    expect(readInput(layout, 2, view(0b010))).toEqual({ hook: false, mute: false });
    expect(readInput(layout, 1, view(0xff))).toEqual({});
    // A short report is read as far as it goes.
    expect(readInput(layout, 2, view())).toEqual({ hook: false, mute: false });
  });

  it("builds the lights' report", () => {
    const layout = headsetLayout(jabraLike);
    expect(lightReports(layout, { ring: true, offHook: false, mute: false })).toEqual([{ reportId: 3, data: new Uint8Array([0b100]) }]);
    expect(lightReports(layout, { ring: false, offHook: true, mute: true })).toEqual([{ reportId: 3, data: new Uint8Array([0b011]) }]);
    expect(lightReports(layout, { ring: false, offHook: false, mute: false })).toEqual([{ reportId: 3, data: new Uint8Array([0]) }]);
  });

  it("usage ranges, nested collections, report id 0", () => {
    const layout = headsetLayout(rangeStyle);
    expect(layout.mute).toEqual({ reportId: 5, bit: 3, bits: 1 });
    expect(layout.hook).toEqual({ reportId: 5, bit: 4, bits: 1 });
    expect(readInput(layout, 5, view(0b10000))).toEqual({ hook: true, mute: false });
    expect(layout.ledOffHook).toEqual({ reportId: 0, bit: 8, bits: 1 });
    expect(layout.ledRing).toEqual({ reportId: 0, bit: 9, bits: 1 });
    expect(lightReports(layout, { ring: true, offHook: true, mute: true })).toEqual([{ reportId: 0, data: new Uint8Array([0b1, 0b11]) }]);
  });

  it("a keyboard or mouse is no telephony headset; a hostile descriptor is bounded", () => {
    expect(isTelephonyHeadset(headsetLayout([{ usagePage: 0x01, usage: 0x06, inputReports: [{ reportId: 1, items: [pad(8)] }] }]))).toBe(
      false,
    );
    expect(isTelephonyHeadset(headsetLayout([]))).toBe(false);
    const huge: HidCollectionInfo[] = [
      {
        inputReports: [
          { reportId: 1, items: Array.from({ length: 10_000 }, () => ({ usages: [1], reportSize: 10 ** 9, reportCount: 10 ** 9 })) },
        ],
      },
    ];
    expect(isTelephonyHeadset(headsetLayout(huge))).toBe(false);
    let deep: HidCollectionInfo = { inputReports: [{ reportId: 1, items: [one(USAGES.hook)] }] };
    for (let i = 0; i < 100; i++) deep = { children: [deep] };
    expect(headsetLayout([deep]).hook).toBeUndefined();
  });
});
