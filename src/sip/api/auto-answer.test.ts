import { describe, expect, it } from "vitest";
import { parseHeaderElements } from "../core/header-params.js";
import { autoAnswerDelay } from "./auto-answer.js";

const ci = (...callInfo: string[]) => ({ callInfo, alertInfo: [] });
const ai = (...alertInfo: string[]) => ({ callInfo: [], alertInfo });

describe("autoAnswerDelay: only the known forms, parsed as header parameters", () => {
  it.each([
    [ci("<sip:pbx.example.com>;answer-after=0"), 0],
    [ci("<sip:pbx> ; Answer-After = 3"), 3],
    [ci("<http://x/photo.jpg>;purpose=icon, <sip:pbx>;answer-after=2"), 2],
    [ci("<sip:pbx>;answer-after=600"), 60],
    [ai("<http://127.0.0.1>;info=alert-autoanswer;delay=0"), 0],
    [ai("<http://127.0.0.1>;info=alert-autoanswer;delay=2"), 2],
    [ai("<http://127.0.0.1>;info=alert-autoanswer"), 0],
    [ai('<http://127.0.0.1>;info="alert-autoanswer"'), 0],
    [ai("<http://127.0.0.1>;info=intercom"), 0],
    [ai("Auto Answer"), 0],
    [ai("intercom"), 0],
    [ai("info=alert-autoanswer"), 0],
    [ai("<http://x/ring.wav>", "<http://127.0.0.1>;info=alert-autoanswer;delay=1"), 1],
    [ai("<http://x>;info=alert-autoanswer, garbage"), 0],
  ])("%j asks, after %s s", (headers, delay) => {
    expect(autoAnswerDelay(headers)).toBe(delay);
  });

  it.each([
    // Words in URIs, other parameters and other texts are no request.
    ci("<sip:pbx;answer-after=0>"),
    ci("<http://x/?a;answer-after=0>;purpose=info"),
    ci("<sip:pbx>;x-answer-after=0"),
    ci("<sip:pbx>;answer-after=soon"),
    ci("answer-after=0"),
    ci('<sip:pbx>;purpose="x;answer-after=0"'),
    ai("<http://x/auto-answer.wav>"),
    ai("<http://x/autoanswer>;info=ring2"),
    ai("<http://x/>;info=alert-autoanswerplease"),
    ai("Ring Answer"),
    ai("please Auto Answer me"),
    { callInfo: ["<http://x/photo.jpg>;purpose=icon"], alertInfo: ["<http://x/ring.wav>"] },
    { callInfo: [], alertInfo: [] },
  ])("%j does not ask", (headers) => {
    expect(autoAnswerDelay(headers)).toBeUndefined();
  });
});

describe("parseHeaderElements", () => {
  it("splits at commas and semicolons outside <...> and quotes, and unquotes values", () => {
    const [a, b] = parseHeaderElements(['<sip:a;x=1,y>;purpose=icon;n="q;\\"v,";flag', "Auto Answer;delay=2"]);
    expect(a).toEqual({
      uri: "sip:a;x=1,y",
      text: "",
      params: new Map([
        ["purpose", "icon"],
        ["n", 'q;"v,'],
        ["flag", ""],
      ]),
    });
    expect(b).toEqual({ text: "Auto Answer", params: new Map([["delay", "2"]]) });
    expect(parseHeaderElements(["<sip:unclosed;answer-after=0", "<sip:a> junk;answer-after=0"])).toEqual([]);
  });
});
