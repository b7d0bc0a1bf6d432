import { afterEach, describe, expect, it, vi } from "vitest";
import { getLogger, logLevel, recentLog, setLogLevel } from "./logger.js";

afterEach(() => {
  setLogLevel("warn");
  vi.restoreAllMocks();
});

describe("logger", () => {
  it("the level decides what reaches the console and the recent lines, both alike", () => {
    const info = vi.spyOn(console, "info").mockImplementation(() => undefined);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const log = getLogger("unit");
    setLogLevel("warn");
    log.info("quiet at warn");
    log.warn("heard at warn", new Error("why"));
    expect(info).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith("[unit]", "heard at warn", expect.any(Error));
    setLogLevel("info");
    expect(logLevel()).toBe("info");
    log.info("heard at info", { code: 401 });
    const lines = recentLog().filter((l) => l.includes("[unit]"));
    expect(lines.some((l) => l.includes("quiet at warn"))).toBe(false);
    expect(lines.at(-2)).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z warn \[unit\] heard at warn Error: why$/);
    expect(lines.at(-1)).toMatch(/ info \[unit\] heard at info \{"code":401\}$/);
    setLogLevel("off");
    log.error("nothing at off");
    expect(recentLog().some((l) => l.includes("nothing at off"))).toBe(false);
  });

  it("keeps the last 300 lines only", () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const log = getLogger("many");
    for (let i = 0; i < 400; i++) log.warn(`line ${i}`);
    const kept = recentLog();
    expect(kept).toHaveLength(300);
    expect(kept.at(-1)).toMatch(/line 399$/);
    expect(kept[0]).toMatch(/line 100$/);
  });
});
