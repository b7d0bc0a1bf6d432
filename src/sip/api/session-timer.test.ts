import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { systemClock } from "../core/clock.js";
import { answerTerms, MIN_SE, offerTerms, parseSessionExpires, SessionTimer } from "./session-timer.js";

describe("session timer negotiation (RFC 4028)", () => {
  it("parses Session-Expires", () => {
    expect(parseSessionExpires("1800")).toEqual({ interval: 1800 });
    expect(parseSessionExpires("1800;refresher=uas")).toEqual({ interval: 1800, refresher: "uas" });
    expect(parseSessionExpires(" 600 ; refresher = UAC ")).toEqual({ interval: 600, refresher: "uac" });
    expect(parseSessionExpires("99999999")).toEqual({ interval: 86_400 });
    expect(parseSessionExpires("abc")).toBeUndefined();
    expect(parseSessionExpires("0")).toBeUndefined();
    expect(parseSessionExpires(undefined)).toBeUndefined();
  });

  it("answers 422 with our Min-SE to an interval below it", () => {
    expect(answerTerms({ sessionExpires: "60", supported: ["timer"] })).toEqual({
      action: "reject",
      statusCode: 422,
      headers: [`Min-SE: ${MIN_SE}`],
    });
  });

  it("a caller that supports timers refreshes (Require: timer in our 200)", () => {
    expect(answerTerms({ sessionExpires: "1800", supported: ["replaces", "timer"] })).toEqual({
      action: "accept",
      headers: ["Session-Expires: 1800;refresher=uac", "Require: timer"],
      terms: { interval: 1800, refresher: "uac" },
    });
  });

  it("a caller that names us refresher, or does not support timers, makes us refresh", () => {
    expect(answerTerms({ sessionExpires: "900;refresher=uas", supported: ["timer"] })).toMatchObject({
      terms: { interval: 900, refresher: "uas" },
    });
    expect(answerTerms({ sessionExpires: "900", supported: [] })).toEqual({
      action: "accept",
      headers: ["Session-Expires: 900;refresher=uas"],
      terms: { interval: 900, refresher: "uas" },
    });
  });

  it("takes the caller's Min-SE when it is above the interval", () => {
    expect(answerTerms({ sessionExpires: "100", minSe: "300", supported: ["timer"] })).toMatchObject({ terms: { interval: 300 } });
  });

  it("no Session-Expires: no timer", () => {
    expect(answerTerms({ supported: ["timer"] })).toEqual({ action: "accept", headers: [] });
  });

  it("our call: the answer's terms, or we refresh what we asked for", () => {
    expect(offerTerms({ sessionExpires: "1200;refresher=uas" })).toEqual({ interval: 1200, refresher: "uas" });
    expect(offerTerms({})).toEqual({ interval: 1800, refresher: "uac" });
  });
});

describe("SessionTimer", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("the refresher refreshes at half the interval, and again after each refresh", () => {
    const on = { refresh: vi.fn(), expire: vi.fn() };
    const timer = new SessionTimer(systemClock, { interval: 120, refresher: "uac" }, () => true, on);
    vi.advanceTimersByTime(59_999);
    expect(on.refresh).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(on.refresh).toHaveBeenCalledTimes(1);
    timer.refreshed();
    vi.advanceTimersByTime(60_000);
    expect(on.refresh).toHaveBeenCalledTimes(2);
    expect(on.expire).not.toHaveBeenCalled();
    timer.stop();
  });

  it("the other side expires the session at the interval less min(32 s, interval/3) without a refresh", () => {
    const on = { refresh: vi.fn(), expire: vi.fn() };
    const timer = new SessionTimer(systemClock, { interval: 90, refresher: "uac" }, () => false, on);
    vi.advanceTimersByTime(59_999); // 90 - 30
    expect(on.expire).not.toHaveBeenCalled();
    timer.refreshed(); // a refresh came: a new interval
    vi.advanceTimersByTime(59_999);
    expect(on.expire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(on.expire).toHaveBeenCalledTimes(1);
    expect(on.refresh).not.toHaveBeenCalled();
    timer.stop();
  });

  it("stop() ends it", () => {
    const on = { refresh: vi.fn(), expire: vi.fn() };
    new SessionTimer(systemClock, { interval: 1800, refresher: "uas" }, () => false, on).stop();
    vi.advanceTimersByTime(10 ** 7);
    expect(on.expire).not.toHaveBeenCalled();
  });
});
