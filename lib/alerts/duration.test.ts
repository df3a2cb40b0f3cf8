import { describe, expect, it } from "vitest";

import { describeDuration, parseIsoDuration, windowStart } from "@/lib/alerts/duration";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("ISO 8601 durations", () => {
  it.each([
    ["P7D", { years: 0, months: 0, milliseconds: 7 * DAY }],
    ["PT604800S", { years: 0, months: 0, milliseconds: 7 * DAY }],
    ["P1W", { years: 0, months: 0, milliseconds: 7 * DAY }],
    ["PT12H", { years: 0, months: 0, milliseconds: 12 * HOUR }],
    ["P1DT12H", { years: 0, months: 0, milliseconds: 36 * HOUR }],
    ["PT0.5H", { years: 0, months: 0, milliseconds: HOUR / 2 }],
    ["PT1,5M", { years: 0, months: 0, milliseconds: 90_000 }],
    ["P1M", { years: 0, months: 1, milliseconds: 0 }],
    ["P1Y2M3D", { years: 1, months: 2, milliseconds: 3 * DAY }],
    ["p2d", { years: 0, months: 0, milliseconds: 2 * DAY }],
  ])("parses %s", (text, expected) => {
    expect(parseIsoDuration(text)).toEqual(expected);
  });

  it.each(["", "P", "PT", "P1DT", "7D", "P-1D", "P1.5M", "P0D", "PT0S", "1 week", "P1H", "PT1D"])("rejects %j", (text) => {
    expect(parseIsoDuration(text)).toBeNull();
  });

  it("treats P7D and PT604800S as the same window, as Validic's own example does (ASSUMPTION: a day is 24 hours)", () => {
    const end = new Date("2026-03-10T12:00:00Z");
    const a = parseIsoDuration("P7D");
    const b = parseIsoDuration("PT604800S");
    expect(a && windowStart(end, a)).toEqual(b && windowStart(end, b));
  });

  it("steps months on the calendar and clamps to the month's last day", () => {
    const month = parseIsoDuration("P1M");
    expect(month && windowStart(new Date("2028-03-31T10:00:00Z"), month).toISOString()).toBe("2028-02-29T10:00:00.000Z");
    expect(month && windowStart(new Date("2026-01-15T00:00:00Z"), month).toISOString()).toBe("2025-12-15T00:00:00.000Z");
  });

  it("describes windows in words", () => {
    const describe = (text: string) => {
      const d = parseIsoDuration(text);
      return d ? describeDuration(d) : null;
    };
    expect(describe("PT604800S")).toBe("7 days");
    expect(describe("P1D")).toBe("1 day");
    expect(describe("P1DT12H")).toBe("1 day and 12 hours");
    expect(describe("P1M2DT3H")).toBe("1 month, 2 days and 3 hours");
  });
});
