import { describe, expect, it } from "vitest";

import { addDays, daysBetween, formatUtcOffset, formatZonedDateTime, isValidTimeZone, localDay, startOfLocalDay, timeZoneOffsetMs } from "@/lib/time/zone";

const NY = "America/New_York";
const HOUR = 3_600_000;

describe("time zones", () => {
  it("knows New York's offset on both sides of the March and November changes", () => {
    expect(timeZoneOffsetMs(new Date("2026-03-08T06:59:59Z"), NY)).toBe(-5 * HOUR);
    expect(timeZoneOffsetMs(new Date("2026-03-08T07:00:00Z"), NY)).toBe(-4 * HOUR);
    expect(timeZoneOffsetMs(new Date("2026-11-01T05:59:59Z"), NY)).toBe(-4 * HOUR);
    expect(timeZoneOffsetMs(new Date("2026-11-01T06:00:00Z"), NY)).toBe(-5 * HOUR);
  });

  it("puts 23:30 local on the local day, not the UTC one", () => {
    expect(localDay(new Date("2026-03-09T03:30:00Z"), NY)).toBe("2026-03-08");
    expect(localDay(new Date("2026-03-09T04:00:00Z"), NY)).toBe("2026-03-09");
  });

  it("finds local midnight, with 23- and 25-hour days at the changes", () => {
    expect(startOfLocalDay("2026-03-08", NY).toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(startOfLocalDay("2026-03-09", NY).toISOString()).toBe("2026-03-09T04:00:00.000Z");
    expect(startOfLocalDay("2026-11-01", NY).toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(startOfLocalDay("2026-11-02", NY).toISOString()).toBe("2026-11-02T05:00:00.000Z");
    expect(startOfLocalDay("2026-06-01", "Asia/Kolkata").toISOString()).toBe("2026-05-31T18:30:00.000Z");
  });

  it("does calendar arithmetic on days", () => {
    expect(addDays("2026-02-27", 2)).toBe("2026-03-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(daysBetween("2026-03-01", "2026-03-31")).toBe(30);
    expect(daysBetween("2026-03-08", "2026-03-09")).toBe(1);
  });

  it("formats source offsets and zoned times", () => {
    expect(formatUtcOffset(-18_000)).toBe("UTC−05:00");
    expect(formatUtcOffset(19_800)).toBe("UTC+05:30");
    expect(formatUtcOffset(0)).toBe("UTC±00:00");
    expect(formatUtcOffset(null)).toBe("offset unknown");
    expect(formatZonedDateTime(new Date("2026-03-09T03:30:00Z"), NY)).toBe("Mar 8, 2026, 11:30 PM EDT");
    expect(isValidTimeZone(NY)).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });

  it("formats a zoned time in one pass exactly as the medium date, short time and the zone's abbreviation", () => {
    for (const zone of [NY, "America/Phoenix", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]) {
      const styled = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: zone });
      const named = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "short" });
      // Every 2 days 1 h 13 min through a year: every hour of the day, on both sides of both DST changes.
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 177_180_000) {
        const instant = new Date(t);
        const abbreviation = named.formatToParts(instant).find((p) => p.type === "timeZoneName")?.value;
        expect(formatZonedDateTime(instant, zone)).toBe(`${styled.format(instant)} ${abbreviation}`);
      }
    }
  });
});
