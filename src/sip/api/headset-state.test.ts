import { describe, expect, it } from "vitest";
import { CallState } from "./call-state.js";
import { HeadsetState, lightsFor } from "./headset-state.js";

type C = { id: string; state: CallState; direction: "in" | "out"; muted: boolean };
const ringing: C = { id: "r", state: CallState.Incoming, direction: "in", muted: false };
const up: C = { id: "u", state: CallState.Established, direction: "in", muted: false };

describe("HeadsetState: hook switch and mute to commands, the phone's state to the lights", () => {
  it("lights: ring while a call rings and none is up; off-hook and mute with the call", () => {
    expect(lightsFor([])).toEqual({ ring: false, offHook: false, mute: false });
    expect(lightsFor([ringing])).toEqual({ ring: true, offHook: false, mute: false });
    expect(lightsFor([up, ringing])).toEqual({ ring: false, offHook: true, mute: false });
    expect(lightsFor([{ ...up, muted: true }])).toEqual({ ring: false, offHook: true, mute: true });
    expect(lightsFor([{ ...up, state: CallState.Dialing, direction: "out" }])).toEqual({ ring: false, offHook: true, mute: false });
  });

  it("lifting the hook answers the ringing call; putting it down hangs up; the echo of our light is no press", () => {
    const h = new HeadsetState();
    expect(h.update([ringing])).toEqual({ ring: true, offHook: false, mute: false });
    expect(h.update([ringing])).toBeUndefined();
    expect(h.press({ hook: true }, [ringing])).toEqual([{ action: "answer", callId: "r" }]);
    // The same state reported again (a second report, or after our light): nothing more.
    expect(h.press({ hook: true }, [ringing])).toEqual([]);
    const answered = { ...ringing, state: CallState.Established };
    expect(h.update([answered])).toEqual({ ring: false, offHook: true, mute: false });
    expect(h.press({ hook: true }, [answered])).toEqual([]);
    expect(h.press({ hook: false }, [answered])).toEqual([{ action: "hangup", callId: "r" }]);
    expect(h.update([])).toEqual({ ring: false, offHook: false, mute: false });
  });

  it("answered on screen: the off-hook light goes first, so the headset following it is no hang-up or answer", () => {
    const h = new HeadsetState();
    h.update([ringing]);
    expect(h.update([up])).toEqual({ ring: false, offHook: true, mute: false });
    expect(h.press({ hook: true }, [up])).toEqual([]);
    // Hung up on screen: the light goes off; the headset's on-hook echo is nothing either.
    h.update([]);
    expect(h.press({ hook: false }, [])).toEqual([]);
  });

  it("mute: each press (rising edge) toggles the call's mute; nothing without a call", () => {
    const h = new HeadsetState();
    h.update([up]);
    expect(h.press({ mute: true }, [up])).toEqual([{ action: "mute", callId: "u", on: true }]);
    expect(h.press({ mute: true }, [up])).toEqual([]);
    expect(h.press({ mute: false }, [{ ...up, muted: true }])).toEqual([]);
    expect(h.press({ mute: true }, [{ ...up, muted: true }])).toEqual([{ action: "mute", callId: "u", on: false }]);
    expect(h.press({ mute: false }, [])).toEqual([]);
    expect(h.press({ mute: true }, [])).toEqual([]);
  });

  it("lifting the hook with no call rings nothing, and the light puts the headset back", () => {
    const h = new HeadsetState();
    h.update([]);
    expect(h.press({ hook: true }, [])).toEqual([]);
    expect(h.update([])).toEqual({ ring: false, offHook: false, mute: false });
  });
});
