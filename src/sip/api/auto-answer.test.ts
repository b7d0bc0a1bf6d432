import { describe, expect, it } from "vitest";
import { autoAnswerDelay } from "./auto-answer.js";

describe("autoAnswerDelay", () => {
  it.each([
    [{ callInfo: ["<sip:pbx.example.com>;answer-after=0"], alertInfo: [] }, 0],
    [{ callInfo: ["<sip:pbx>; answer-after=3"], alertInfo: [] }, 3],
    [{ callInfo: [], alertInfo: ["<http://127.0.0.1>;info=alert-autoanswer;delay=0"] }, 0],
    [{ callInfo: [], alertInfo: ["<http://127.0.0.1>;info=alert-autoanswer;delay=2"] }, 2],
    [{ callInfo: [], alertInfo: ["Ring Answer"] }, 0],
    [{ callInfo: ["<http://x/photo.jpg>;purpose=icon"], alertInfo: ["<http://x/ring.wav>"] }, undefined],
    [{ callInfo: [], alertInfo: [] }, undefined],
  ])("%j -> %s", (headers, delay) => {
    expect(autoAnswerDelay(headers)).toBe(delay);
  });
});
