import { describe, expect, it } from "vitest";
import { autoAnswerDelay } from "./auto-answer.js";
import { alertCode, MAX_ALERT_INFO } from "./alert-info.js";

describe("alertCode: what Alert-Info says about how a call rings", () => {
  it.each([
    // Asterisk / FreePBX / FreeSWITCH
    ["<http://www.notused.com>;info=alert-internal", "internal"],
    ["<http://127.0.0.1>;info=alert-external", "external"],
    ["<http://x>;info=internal", "internal"],
    ["<http://x>; Info = Alert-External", "external"],
    ['<http://x>;info="alert-internal"', "internal"],
    ["<http://x>;info=alert-group", "pattern:group"],
    // Polycom / Yealink / Grandstream
    ["<http://127.0.0.1>;info=Bellcore-dr2", "pattern:bellcore-dr2"],
    ["<http://www.notused.com>;info=Bellcore-dr5", "pattern:bellcore-dr5"],
    ["<http://x>;info=ring2", "pattern:ring2"],
    // Cisco, older Polycom: the URI names the pattern
    ["<file://Bellcore-dr3.wav>", "pattern:bellcore-dr3"],
    ["<file:///usr/share/ringtones/Bellcore-dr4.wav>", "pattern:bellcore-dr4"],
    ["<http://127.0.0.1/Bellcore-dr4>", "pattern:bellcore-dr4"],
    ["<http://pbx.example.com/sounds/sales.wav>", "pattern:sales"],
    // Bare tokens, no URI
    ["Bellcore-dr2", "pattern:bellcore-dr2"],
    ["internal", "internal"],
    ["alert-external", "external"],
    // The first element with a code wins
    ["<http://127.0.0.1>, <http://x>;info=alert-internal", "internal"],
    ["<http://x>;info=alert-autoanswer, <http://x>;info=Bellcore-dr2", "pattern:bellcore-dr2"],
  ])("%s → %s", (header, code) => {
    expect(alertCode([header])).toBe(code);
  });

  it("reads every Alert-Info header of the INVITE", () => {
    expect(alertCode(["<http://127.0.0.1>", "<http://x>;info=alert-external"])).toBe("external");
  });

  it.each([
    [],
    [""],
    ["<http://127.0.0.1>"],
    ["<http://www.notused.com>;info="],
    // The auto-answer forms are no ring class: they ring (when not answered) with the line's tone
    ["<http://127.0.0.1>;info=alert-autoanswer;delay=0"],
    ["<http://127.0.0.1>;info=intercom"],
    ["Auto Answer"],
    ["intercom"],
    ["info=alert-autoanswer"],
    // Not a short token: never a code
    ["<http://x>;info=<script>alert(1)</script>"],
    ["<http://x>;info=" + "a".repeat(40)],
    ["<http://x>;info=ring two"],
    ["<http://x"],
    ["<http://x>junk;info=alert-internal"],
  ])("%j gives no code", (...values: string[]) => {
    expect(alertCode(values)).toBeUndefined();
  });

  it("keeps the auto-answer forms to auto-answer: the same headers still ask it to answer", () => {
    for (const h of ["<http://127.0.0.1>;info=alert-autoanswer;delay=0", "<http://127.0.0.1>;info=intercom", "Auto Answer"]) {
      expect(alertCode([h])).toBeUndefined();
      expect(autoAnswerDelay({ callInfo: [], alertInfo: [h] })).toBe(0);
    }
    // And a ring class is never a request to answer.
    for (const h of ["<http://x>;info=alert-internal", "<file://Bellcore-dr3.wav>", "<http://x/auto-answer.wav>"]) {
      expect(autoAnswerDelay({ callInfo: [], alertInfo: [h] })).toBeUndefined();
    }
  });

  it("hostile and overlong headers: bounded, never a crash", () => {
    const long = "<http://x>;info=alert-internal".padStart(MAX_ALERT_INFO + 10, " ");
    expect(alertCode([long])).toBeUndefined();
    expect(alertCode(["<".repeat(100_000)])).toBeUndefined();
    expect(alertCode([";".repeat(100_000)])).toBeUndefined();
    expect(alertCode(['"'.repeat(100_000) + ",internal"])).toBeUndefined();
    expect(alertCode([",".repeat(100_000)])).toBeUndefined();
    expect(alertCode(["\u0000\r\n<http://x>;info=alert-internal"])).toBe("internal");
    // Only the first 8 elements are read.
    expect(alertCode([Array(20).fill("<http://x>").join(",") + ",internal"])).toBeUndefined();
    expect(alertCode(["<http://x>;info=ALERT-INTERNAL\u202e"])).toBeUndefined();
  });
});
