import { describe, expect, it } from "vitest";
import { CallState } from "../sip/api/call-state.js";
import { mediaActions, syncMediaSession, type MediaAction, type MediaSessionLike } from "./headset-media-session.js";

type C = { id: string; state: CallState; muted: boolean; remote: string; remoteName?: string };
const ringing: C = { id: "r", state: CallState.Incoming, muted: false, remote: "1002", remoteName: "Bob" };
const up: C = { id: "u", state: CallState.Established, muted: false, remote: "1003" };

function fakeSession(unknown: MediaAction[] = []) {
  const handlers = new Map<MediaAction, () => void>();
  const micActive: boolean[] = [];
  const session: MediaSessionLike = {
    setActionHandler(action, handler) {
      if (unknown.includes(action)) throw new TypeError(`"${action}" is not a valid MediaSessionAction`);
      if (handler) handlers.set(action, handler);
      else handlers.delete(action);
    },
    setMicrophoneActive: (a: boolean) => void micActive.push(a),
  };
  return { session, handlers, micActive };
}

function fakePhone() {
  const ran: string[] = [];
  return {
    ran,
    phone: {
      answer: (id: string) => void ran.push(`answer ${id}`),
      decline: (id: string, code?: number) => void ran.push(`decline ${id} ${code}`),
      hangup: (id: string) => void ran.push(`hangup ${id}`),
      mute: (id: string, on: boolean) => void ran.push(`mute ${id} ${on}`),
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("Media Session actions run the phone's commands", () => {
  it("mapping: play/pause answer, hangup ends the call or declines the one ringing alone, togglemicrophone mutes", () => {
    expect(mediaActions([])).toEqual({});
    expect(mediaActions([ringing])).toEqual({
      play: { action: "answer", callId: "r" },
      pause: { action: "answer", callId: "r" },
      hangup: { action: "decline", callId: "r" },
    });
    expect(mediaActions([up])).toEqual({
      hangup: { action: "hangup", callId: "u" },
      togglemicrophone: { action: "mute", callId: "u", on: true },
    });
    expect(mediaActions([{ ...up, muted: true }, ringing])).toMatchObject({
      play: { action: "answer", callId: "r" },
      hangup: { action: "hangup", callId: "u" },
      togglemicrophone: { action: "mute", callId: "u", on: false },
    });
  });

  it("the handlers set on navigator.mediaSession call answer, hangup and mute on the right call; cleared without calls", async () => {
    const { session, handlers, micActive } = fakeSession();
    const { phone, ran } = fakePhone();
    syncMediaSession(session, [ringing], phone, () => undefined);
    expect([...handlers.keys()].sort()).toEqual(["hangup", "pause", "play"]);
    expect(session.playbackState).toBe("playing");
    handlers.get("play")!();
    await settle();
    expect(ran).toEqual(["answer r"]);

    syncMediaSession(session, [{ ...ringing, state: CallState.Established }], phone, () => undefined);
    expect([...handlers.keys()].sort()).toEqual(["hangup", "togglemicrophone"]);
    expect(micActive.at(-1)).toBe(true);
    handlers.get("togglemicrophone")!();
    handlers.get("hangup")!();
    await settle();
    expect(ran).toEqual(["answer r", "mute r true", "hangup r"]);

    syncMediaSession(session, [{ ...ringing, state: CallState.Established, muted: true }], phone, () => undefined);
    expect(micActive.at(-1)).toBe(false);

    syncMediaSession(session, [], phone, () => undefined);
    expect(handlers.size).toBe(0);
    expect(session.playbackState).toBe("none");
  });

  it("a browser that does not know an action still gets the others; a failing command is reported, not thrown", async () => {
    const { session, handlers } = fakeSession(["hangup", "togglemicrophone"]);
    const failures: string[] = [];
    const phone = { ...fakePhone().phone, answer: () => Promise.reject(new Error("gone")) };
    syncMediaSession(session, [ringing], phone, (e) => failures.push(e.message));
    expect([...handlers.keys()].sort()).toEqual(["pause", "play"]);
    handlers.get("pause")!();
    await settle();
    expect(failures).toEqual(["gone"]);
  });
});
